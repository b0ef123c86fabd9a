# The power-cut campaign, under the MicroPython unix port: the firmware's journal and
# files on LittleFS (vfs.VfsLfs2 on the simulated board's block device, board/vflash.py),
# the power cut at every block write of a workload, then the board booted again on what
# the flash kept. The workload writes records (rolling into a new segment), acknowledges
# them as after a sync, and replaces settings.json and state.json. After each cut:
# every record whose append had returned is in the journal, no sequence number twice, the
# next one goes on from the last, and the coach runs.
#
#   micropython tests/powercut.py DIR [EVERY [torn]]
#
# DIR: a scratch folder for the image; EVERY: cut at every EVERY-th write (1: all of them);
# torn: the cut write is itself half done. Prints one JSON line of figures.
import json
import os
import sys

import vfs

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
if HERE[0] != "/":
    HERE = os.getcwd() + "/" + HERE
sys.path.insert(0, HERE + "/../device")

from board.vflash import BLOCK_SIZE, BlockDevice, PowerCut  # noqa: E402
from core.clock import EPOCH  # noqa: E402
from core.coach import Now  # noqa: E402
from core.journal_codec import seq_of  # noqa: E402
from flash import write_atomic  # noqa: E402
from journal import Journal  # noqa: E402
from journal_open import open_journal  # noqa: E402
from journal_read import read_records  # noqa: E402

BLOCKS = 512  # the ESP32_GENERIC 4 MB board's vfs partition (docs/flash.md)
MOUNT = "/flash"
FIRST_RECORDS = 120  # already on flash: the workload's appends roll into a second segment
APPENDS = 16
ACK_AT = 3
FILES_AT = 10
T0 = 1795503600 - EPOCH  # 2026-11-24 09:00 UTC


def mount(image, cut_after=None, torn=False):
    device = BlockDevice(image, cut_after, torn)
    vfs.mount(vfs.VfsLfs2(device), MOUNT)
    os.chdir(MOUNT)
    return device


def unmount(device):
    os.chdir("/")
    try:
        vfs.umount(MOUNT)
    except (OSError, PowerCut):
        pass
    device.close()


def workload(device, returned):
    """The writes of a boot's worth of use; the seq of every append that returned."""
    journal = open_journal(Journal(2))
    now = Now(0, T0, 0, True)
    for i in range(APPENDS):
        now.t = T0 + 60 * i
        seq = seq_of(journal.append(("prompt", i % 24, 0), now))
        returned.append(seq)
        if i == ACK_AT:
            journal.acknowledge(seq)
        if i == FILES_AT:
            write_atomic("settings.json", '{"volume": 3}')
            write_atomic("state.json", '{"boots": 2, "first_day": 20416}')


def base_image(image):
    """A fresh board's flash (formatted as inisetup.py does) holding a journal of FIRST_RECORDS."""
    erased = b"\xff" * BLOCK_SIZE
    with open(image, "wb") as f:
        for _ in range(BLOCKS):
            f.write(erased)
    vfs.VfsLfs2.mkfs(BlockDevice(image))
    device = mount(image)
    write_atomic("state.json", '{"boots": 1, "first_day": 20416}')
    journal = open_journal(Journal(1))
    now = Now(0, T0 - 86400, 0, True)
    for _ in range(FIRST_RECORDS):
        journal.append(("prompt", 9, 0), now)
    unmount(device)
    with open(image, "rb") as f:
        return f.read()


def restore(image, data):
    with open(image, "r+b") as f:
        f.write(data)


def coach_runs(image):
    """Boot the firmware on the flash for two simulated minutes; the journal after, or None."""
    from board.sim import Board, boot

    device = mount(image)
    try:
        board = Board(
            {"events": "/dev/null", "speed": 0, "start_unix_ms": (T0 + EPOCH + 3600) * 1000, "for_ms": 120000}
        )
        try:
            boot(board)
        except SystemExit:
            pass
        board.close()
        records, bad = read_records()
        return records, bad
    except Exception as exc:  # a boot that fails is what the campaign counts
        sys.print_exception(exc)
        return None
    finally:
        unmount(device)


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def files_after_cut(image):
    """settings.json, state.json and the journal's ack as the cut left them."""
    device = mount(image)
    files = (read_text("settings.json"), read_text("state.json"), read_text("records/ack"))
    unmount(device)
    return files


def writes_of_workload(image, data):
    restore(image, data)
    device = mount(image)
    workload(device, [])
    writes = device.writes()
    unmount(device)
    return writes


def main():
    folder = sys.argv[1]
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    torn = len(sys.argv) > 3 and sys.argv[3] == "torn"
    image = folder + "/flash.img"
    data = base_image(image)
    total = writes_of_workload(image, data)
    figures = {"writes": total, "cuts": 0, "boots_failed": 0, "records_lost": 0, "records_duplicated": 0}
    figures["seq_reused"] = 0
    figures["files_damaged"] = 0
    for cut in range(1, total + 1, every):
        restore(image, data)
        device = mount(image, cut, torn)
        returned = []
        try:
            workload(device, returned)
            raise AssertionError("the power was not cut at write %d" % cut)
        except PowerCut:
            pass
        unmount(device)
        figures["cuts"] += 1
        settings, state, ack = files_after_cut(image)
        if (
            settings not in (None, '{"volume": 3}')
            or state not in ('{"boots": 1, "first_day": 20416}', '{"boots": 2, "first_day": 20416}')
            or ack not in (None, str(FIRST_RECORDS + ACK_AT + 1))
        ):
            figures["files_damaged"] += 1
        after = coach_runs(image)
        if after is None:
            figures["boots_failed"] += 1
            continue
        records, bad = after
        seqs = [r["seq"] for r in records]
        kept = set(seqs)
        figures["records_lost"] += len([s for s in list(range(1, FIRST_RECORDS + 1)) + returned if s not in kept])
        figures["records_duplicated"] += len(seqs) - len(kept) + bad
        # The boot after the cut goes on from the last record on flash, never below a returned one.
        boots = [r["seq"] for r in records if r["event"] == "boot"]
        if not boots or boots[-1] <= max([FIRST_RECORDS] + returned) or seqs != sorted(seqs):
            figures["seq_reused"] += 1
    print(json.dumps(figures))


main()
