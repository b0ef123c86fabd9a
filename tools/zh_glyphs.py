"""The Chinese screens' glyphs: device/ui/zh.bin from GNU Unifont, exactly the characters
of device/ui/zh.py's words (letters and digits come from the firmware's own font).

    python tools/zh_glyphs.py            write device/ui/zh.bin (make glyphs)
    python tools/zh_glyphs.py --check    exit 1 if it is not what the words and Unifont make

Unifont comes from Debian's `unifont` package (/usr/share/unifont/unifont.hex: one glyph a
line, `XXXX:` and 64 hex digits for a 16x16 one). The file's layout is in device/ui/wide.py;
the licence in docs/fonts.md. A character of the words that Unifont has no 16x16 glyph for
stops the build with its name.
"""

import argparse
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "device" / "ui" / "zh.py"
OUT = ROOT / "device" / "ui" / "zh.bin"
UNIFONT = Path("/usr/share/unifont/unifont.hex")
# A full-width glyph: 16 rows of 16 pixels, 4 hex digits a row.
WIDE_DIGITS = 64


class BuildError(Exception):
    pass


def characters(words) -> list[str]:
    """The characters the firmware draws from the glyphs: every one past ASCII, sorted."""
    found = sorted({c for word in words for c in word if ord(c) > 0x7F})
    for c in found:
        if ord(c) > 0xFFFF:
            raise BuildError(f"{c!r} (U+{ord(c):X}) is past the code points the glyph file holds")
    low = sorted({c for word in words for c in word if ord(c) < 0x20})
    if low:
        raise BuildError(f"control character U+{ord(low[0]):04X} in the words")
    return found


def read_unifont(path: Path, wanted: list[str]) -> dict[str, bytes]:
    """The 16x16 glyphs of the wanted characters, as 32 bytes each."""
    points = {f"{ord(c):04X}": c for c in wanted}
    glyphs = {}
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except OSError as exc:
        raise BuildError(f"cannot read {path} ({exc.strerror}): install Debian's unifont package") from None
    for line in lines:
        point, _, digits = line.partition(":")
        if point in points:
            if len(digits) != WIDE_DIGITS:
                raise BuildError(f"{points[point]!r} (U+{point}) has no 16x16 glyph in {path}")
            glyphs[points[point]] = bytes.fromhex(digits)
    for c in wanted:
        if c not in glyphs:
            raise BuildError(f"{c!r} (U+{ord(c):04X}) has no glyph in {path}")
    return glyphs


def build(words, unifont: Path = UNIFONT) -> bytes:
    """The glyph file for these words."""
    wanted = characters(words)
    glyphs = read_unifont(unifont, wanted)
    out = bytearray(len(wanted).to_bytes(2, "little"))
    for c in wanted:
        out += ord(c).to_bytes(2, "little")
    for c in wanted:
        out += glyphs[c]
    return bytes(out)


def zh_words() -> tuple[str, ...]:
    return runpy.run_path(str(WORDS))["WORDS"].split("\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build device/ui/zh.bin from GNU Unifont.")
    parser.add_argument("--check", action="store_true", help="only check that the committed file is current")
    args = parser.parse_args(argv)
    try:
        data = build(zh_words())
    except BuildError as exc:
        print(f"glyphs: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not OUT.is_file() or OUT.read_bytes() != data:
            print(f"glyphs: {OUT.relative_to(ROOT)} is stale: run make glyphs", file=sys.stderr)
            return 1
        return 0
    OUT.write_bytes(data)
    print(f"glyphs: {OUT.relative_to(ROOT)}, {(len(data) - 2) // 34} characters, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
