# The simulated board's flash: the ESP32's "vfs" partition as a block device over one
# image file, with LittleFS mounted on it as the ESP32's _boot.py mounts it: vfs.VfsLfs2
# with its default parameters, the same C code the ESP32 port runs (docs/flash.md). The
# device writes through to the file at every program and erase, as NOR flash does, so a
# process that ends anywhere leaves the image as a power cut would. It counts reads,
# programs and erases, costs them in simulated time by a stated flash model, and can cut
# the power after a given number of writes. It imports nothing of the firmware: the
# firmware is loaded from the flash it mounts.
import os
import sys

import vfs
from micropython import const

BLOCK_SIZE = const(4096)
_PAGE = const(256)
# Winbond W25Q32FV (the 32 Mbit SPI NOR flash class of ESP32-WROOM-32 modules), AC
# characteristics: 4 KB sector erase tSE 45 ms typical, 400 ms worst; page program tPP
# 0.7 ms typical, 3 ms worst, for each 256-byte page a program touches. Reads at 40 MHz
# dual I/O, 10 bytes a microsecond. All in microseconds: no floats on the board's side.
ERASE_US = const(45000)
ERASE_WORST_US = const(400000)
PAGE_US = const(700)
PAGE_WORST_US = const(3000)
_READ_BYTES_PER_US = const(10)

_IOCTL_BLOCK_COUNT = const(4)
_IOCTL_BLOCK_SIZE = const(5)
_IOCTL_BLOCK_ERASE = const(6)


class PowerCut(BaseException):
    """The power failed during (torn) or right after the block write the run was to stop at."""


class BlockDevice:
    """The partition, over the image file at path. cut_after: the block write (program or
    erase) after which the power fails (None: never); torn: that write is itself half done.
    on_cost(us): told the typical time of each operation, for a clock that charges it;
    on_cut(): told when the power fails, before PowerCut is raised."""

    def __init__(self, path, cut_after=None, torn=False, on_cost=None, on_cut=None):
        self._file = open(path, "r+b")  # noqa: SIM115 (open while the board runs)
        self._file.seek(0, 2)
        self.blocks = self._file.tell() // BLOCK_SIZE
        self.reads = 0
        self.programs = 0
        self.erases = 0
        self.typical_us = 0
        self.worst_us = 0
        self.cut_after = cut_after
        self.torn = torn
        self.cut = False
        self.on_cost = on_cost
        self.on_cut = on_cut
        self._erased = b"\xff" * BLOCK_SIZE
        self._old = bytearray(BLOCK_SIZE)

    def writes(self):
        return self.programs + self.erases

    def _charge(self, typical, worst):
        self.typical_us += typical
        self.worst_us += worst
        if self.on_cost is not None:
            self.on_cost(typical)

    def _write(self, address, data):
        """One block write's bytes at address, or (the one the power fails in) a prefix of them."""
        if self.cut:
            raise PowerCut
        last = self.cut_after is not None and self.writes() + 1 >= self.cut_after
        if last and self.torn:
            data = data[: len(data) // 2]
        self._file.seek(address)
        self._file.write(data)
        if last:
            self.cut = True
            self._file.close()

    def readblocks(self, block, buf, offset=0):
        if self.cut:
            raise PowerCut
        self.reads += 1
        self._file.seek(block * BLOCK_SIZE + offset)
        self._file.readinto(buf)
        self._charge(len(buf) // _READ_BYTES_PER_US, len(buf) // _READ_BYTES_PER_US)

    def writeblocks(self, block, buf, offset=None):
        if self.cut:
            raise PowerCut
        if offset is None:
            # A whole-block write (LittleFS never makes one): erase first, as the ESP32 port does.
            self._erase(block)
            offset = 0
        address = block * BLOCK_SIZE + offset
        # NOR flash programs only clear bits: what was not erased stays ANDed in.
        old = memoryview(self._old)[: len(buf)]
        self._file.seek(address)
        self._file.readinto(old)
        for i in range(len(buf)):
            old[i] &= buf[i]
        pages = (offset + len(buf) - 1) // _PAGE - offset // _PAGE + 1
        self._write(address, old)
        self.programs += 1
        self._charge(pages * PAGE_US, pages * PAGE_WORST_US)
        self._check_cut()

    def _erase(self, block):
        self._write(block * BLOCK_SIZE, self._erased)
        self.erases += 1
        self._charge(ERASE_US, ERASE_WORST_US)
        self._check_cut()

    def _check_cut(self):
        if self.cut:
            if self.on_cut is not None:
                self.on_cut()
                self.on_cut = None
            raise PowerCut

    def ioctl(self, op, arg):
        if op == _IOCTL_BLOCK_COUNT:
            return self.blocks
        if op == _IOCTL_BLOCK_SIZE:
            return BLOCK_SIZE
        if op == _IOCTL_BLOCK_ERASE:
            self._erase(arg)
            return 0
        return 0

    def close(self):
        if not self.cut:
            self._file.close()


def mount(device):
    """LittleFS on the device as the flash root, as the ESP32's _boot.py mounts it, in place of
    the host's filesystem; the firmware is imported from it from now on."""
    vfs.umount("/")
    vfs.mount(vfs.VfsLfs2(device), "/")
    os.chdir("/")
    sys.path[:] = ["", "/lib"]
