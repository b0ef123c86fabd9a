"""Pictures of the OLED: a 128x64 MONO_VLSB framebuffer as a PNG, scaled up, OLED colours."""

import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 128, 64
SCALE = 4
BORDER = 8
LIT = (225, 240, 255)
LIT_DIM = (95, 105, 115)
DARK = (8, 10, 14)
BEZEL = (32, 34, 38)


def pixel(frame: bytes, x: int, y: int) -> bool:
    return bool(frame[(y // 8) * WIDTH + x] >> (y % 8) & 1)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def render(frame: bytes, dim: bool = False) -> tuple[int, int, bytes]:
    """(width, height, RGB rows each prefixed with PNG filter byte 0)."""
    lit = LIT_DIM if dim else LIT
    width = WIDTH * SCALE + 2 * BORDER
    height = HEIGHT * SCALE + 2 * BORDER
    bezel_row = b"\x00" + bytes(BEZEL) * width
    rows = [bezel_row] * BORDER
    for y in range(HEIGHT):
        line = bytearray()
        line += bytes(BEZEL) * BORDER
        for x in range(WIDTH):
            line += bytes(lit if pixel(frame, x, y) else DARK) * SCALE
        line += bytes(BEZEL) * BORDER
        rows += [b"\x00" + bytes(line)] * SCALE
    rows += [bezel_row] * BORDER
    return width, height, b"".join(rows)


def write_png(path: Path, frame: bytes, dim: bool = False) -> None:
    width, height, raw = render(frame, dim)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunks)
