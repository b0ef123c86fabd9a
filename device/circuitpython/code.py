# Entry point on CircuitPython, which runs code.py at power-on and after each reload (deploy
# installs this file there): build the board from its wiring, then load and run the coach;
# unless boot.py gave the drive to the computer (the button was held at reset), when the coach
# could keep no journal and the screen says how to get it back.
import storage

if storage.getmount("/").readonly:
    from circuitpython.hardware import show_drive_mode

    show_drive_mode()
else:
    from circuitpython.hardware import Board

    coach_board = Board()

    from app import run

    run(coach_board)
