# Fresh folders standing in for the board's flash, on both runtimes (MicroPython
# has no tempfile).
import os
import random


def fresh(name):
    path = "/tmp/anklepump-test-%s-%08x" % (name, random.getrandbits(32))
    os.mkdir(path)
    return path


def remove(path):
    for name in os.listdir(path):
        full = path + "/" + name
        try:
            os.remove(full)
        except OSError:
            remove(full)
    os.rmdir(path)
