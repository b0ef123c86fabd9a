# Entry point on the ESP32: build the board from its wiring, then load and run the coach.
# The board comes first: its buffers are then made in a fresh heap, before the app's
# modules are loaded around them, with the collector keeping up (board/config.py).
import gc

from board.config import GC_THRESHOLD
from board.esp32 import Board

board = Board()
gc.threshold(GC_THRESHOLD)

from app import run  # noqa: E402

run(board)
