"""The Chinese screens' glyphs: tools/zh_glyphs.py makes device/ui/zh.bin from GNU Unifont for
exactly the characters of device/ui/zh.py, and the committed file is what it makes."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("glyph_build", ROOT / "tools" / "zh_glyphs.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

needs_unifont = pytest.mark.skipif(
    not build.UNIFONT.is_file(), reason=f"{build.UNIFONT} missing: install Debian's unifont (make fonts)"
)

# Two glyphs as Unifont's .hex writes them: 勾 16x16 (here all rows 0x1111), é half-width (8x16).
HEX = "52FE:" + "1" * 64 + "\n" + "00E9:" + "0" * 32 + "\n"


@needs_unifont
def test_the_committed_glyphs_are_what_the_words_and_unifont_make():
    words = build.zh_words()
    assert (ROOT / "device" / "ui" / "zh.bin").read_bytes() == build.build(words), "stale: run make glyphs"
    assert build.main(["--check"]) == 0


def test_the_file_holds_each_character_once_in_order(tmp_path):
    unifont = tmp_path / "unifont.hex"
    unifont.write_text(HEX)
    data = build.build(("勾 勾", "%d勾"), unifont)
    assert data == (1).to_bytes(2, "little") + (0x52FE).to_bytes(2, "little") + b"\x11" * 32


@needs_unifont
def test_a_stale_file_is_caught(tmp_path, monkeypatch, capsys):
    out = tmp_path / "zh.bin"
    out.write_bytes((ROOT / "device" / "ui" / "zh.bin").read_bytes()[:-1])
    monkeypatch.setattr(build, "OUT", out)
    monkeypatch.setattr(build, "ROOT", tmp_path)
    assert build.main(["--check"]) == 1
    assert capsys.readouterr().err == "glyphs: zh.bin is stale: run make glyphs\n"
    assert build.main([]) == 0 and build.main(["--check"]) == 0


def test_a_character_without_a_glyph_stops_the_build(tmp_path):
    unifont = tmp_path / "unifont.hex"
    unifont.write_text(HEX)
    with pytest.raises(build.BuildError, match=r"'脚' \(U\+811A\) has no glyph in "):
        build.build(("勾脚",), unifont)
    with pytest.raises(build.BuildError, match=r"'é' \(U\+00E9\) has no 16x16 glyph in "):
        build.build(("é",), unifont)
    with pytest.raises(build.BuildError, match=r"past the code points"):
        build.build(("😀",), unifont)
    with pytest.raises(build.BuildError, match=r"cannot read .*: install Debian's unifont package"):
        build.build(("勾",), tmp_path / "missing.hex")


@needs_unifont
def test_every_character_of_the_words_is_in_unifont():
    words = build.zh_words()
    assert len(build.characters(words)) == (len(build.build(words)) - 2) // 34
