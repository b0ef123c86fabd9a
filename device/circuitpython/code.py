# Entry point on CircuitPython, which runs code.py at power-on and after each reload (deploy
# installs this file there): build the board from its wiring, then load and run the coach.
from circuitpython.hardware import Board

coach_board = Board()

from app import run  # noqa: E402

run(coach_board)
