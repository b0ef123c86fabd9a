# Entry point on the ESP32: build the board from its wiring, then load and run the coach.
# The board comes first: its buffers are then made in a fresh heap, before the app's
# modules are loaded around them.
from board.esp32 import Board

board = Board()

from app import run  # noqa: E402

run(board)
