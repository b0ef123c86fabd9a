# Entry point on the ESP32: build the board from its wiring and run the coach.
from app import run
from board.esp32 import Board

run(Board())
