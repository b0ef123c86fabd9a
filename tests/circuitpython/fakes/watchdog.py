"""CircuitPython's watchdog module: the modes."""


class WatchDogMode:
    pass


WatchDogMode.RAISE = WatchDogMode()
WatchDogMode.RESET = WatchDogMode()
