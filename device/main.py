# Entry point on the ESP32 (after boot.py, at a power-on or a hard reset): build the board
# from its wiring, then load and run the coach. The board comes first: its buffers are then
# made in a fresh heap, before the app's modules are loaded around them, with the collector
# keeping up (the board's gc_threshold, board/config.py's GC_THRESHOLD). A Ctrl-C anywhere on
# the way (the host wants the REPL) leaves the board silent and dark at the REPL, its watchdog
# fed while the host calls: Board() sees to its own bring-up (board/esp32.py), app.run() to
# the coach's.
import gc

from board.esp32 import Board

board = Board()
gc.threshold(board.gc_threshold)

try:
    from app import run
except KeyboardInterrupt:
    board.deinit()
except Exception as exc:
    # The firmware cannot load (app.py or what it imports missing, or cut short by a copy that
    # never finished): a restart would fail the same way, every few seconds. The board waits at
    # the REPL, silent and dark, its watchdog held, the error in error.txt, for the host to
    # deploy again.
    import sys

    sys.print_exception(exc)
    board.silence()
    board.deinit(True)
    try:
        with open("error.txt", "w") as f:
            sys.print_exception(exc, f)
    except OSError:
        pass
else:
    run(board)
