"""The simulator in Chinese (`"language": "zh"`): the trace's screen text carries the Chinese
words, the screenshots are the reviewed pictures pixel for pixel, and the terminal view draws
them."""

import io
import struct
import zlib
from pathlib import Path

from anklepump.sim.png import BORDER, SCALE
from anklepump.sim.simulator import Terminal

PICTURES = Path(__file__).resolve().parents[1] / "device" / "screens"
DAY = "2026-11-24T"


def frame_of_png(path: Path) -> bytes:
    """The 128x64 MONO_VLSB framebuffer a screenshot was made from."""
    data = path.read_bytes()
    at = 8
    width = idat = None
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width = struct.unpack(">I", body[:4])[0]
        elif kind == b"IDAT":
            idat = zlib.decompress(body)
        at += 12 + length
    stride = 1 + 3 * width
    frame = bytearray(1024)
    for y in range(64):
        row = idat[(BORDER + y * SCALE) * stride : (BORDER + y * SCALE + 1) * stride]
        for x in range(128):
            if row[1 + 3 * (BORDER + x * SCALE)] > 128:
                frame[(y // 8) * 128 + x] |= 1 << (y % 8)
    return bytes(frame)


def picture(frame: bytes) -> str:
    return "".join(
        "".join("#" if frame[(y // 8) * 128 + x] >> (y % 8) & 1 else "." for x in range(128)) + "\n" for y in range(64)
    )


def test_the_coach_speaks_chinese_in_the_trace_the_screenshots_and_the_terminal(sim, tmp_path):
    shots = tmp_path / "shots"
    run = sim(
        "--start",
        DAY + "08:59:50",
        "--for",
        "40s",
        "--screens",
        str(shots),
        settings={"language": "zh"},
        script="09:00:10 press\n",
    )
    assert run.code == 0, run.stderr
    screens = run.kinds("screen")
    prompt = next(e for e in screens if e["name"] == "prompt")
    assert prompt["text"] == ["做踝泵", "按一下开始", "按住稍后", "双击这次不做"]
    texts = [e["text"][0] for e in screens if e["name"] == "session"]
    assert texts[0] == "准备" and "勾脚" in texts and "保持" in texts
    # The picture the simulator took of the prompt is the reviewed one.
    (shot,) = shots.glob("*_prompt.png")
    frame = frame_of_png(shot)
    assert picture(frame) == (PICTURES / "zh_prompt.txt").read_text()
    # The terminal view: two pixel rows a character, the same pixels.
    out = io.StringIO()
    Terminal(out).draw(frame, 255, "prompt", "09:00:00", "")
    rows = out.getvalue().split("\n")[1:33]
    want = (PICTURES / "zh_prompt.txt").read_text().splitlines()
    for y in range(0, 64, 2):
        cells = {("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄", (".", "."): " "}
        line = "".join(cells[(want[y][x], want[y + 1][x])] for x in range(128))
        assert rows[y // 2] == "│" + line + "│", y
