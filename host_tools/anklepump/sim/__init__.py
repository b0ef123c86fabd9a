"""The simulator: the real firmware under the real MicroPython, on a simulated board."""
