"""The enclosure renders with OpenSCAD, to parts of the size its settings say, with the preview.

`make test` installs OpenSCAD (and xvfb for the preview) first; elsewhere these skip, saying why.
"""

import os
import shutil

import pytest
import render

pytestmark = pytest.mark.skipif(
    shutil.which("openscad") is None, reason="openscad is not installed: apt-get install openscad, or make enclosure"
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("enclosure")
    stls = {part: out / (part + ".stl") for part in render.PARTS}
    for part, path in stls.items():
        render.render_stl(part, path)
    return stls


def size(path):
    corners = [list(map(float, line.split()[1:])) for line in path.read_text().splitlines() if "vertex" in line]
    return [max(c[i] for c in corners) - min(c[i] for c in corners) for i in range(3)]


def test_the_parts_have_the_settings_sizes(rendered):
    p = render.scad_params()
    width, depth, height = size(rendered["body"])
    assert width == pytest.approx(p["width"], abs=0.1)
    assert depth == pytest.approx(p["depth"], abs=0.1)
    assert height == pytest.approx(p["back_h"], abs=0.1)
    base_w, base_d, _ = size(rendered["base"])
    assert (base_w, base_d) == pytest.approx((p["width"], p["depth"]), abs=0.1)
    # The hook must open wider than the rail it is meant for.
    assert size(rendered["clip"])[1] > p["rail_t"]


def test_the_button_is_big_enough_for_a_weak_hand():
    assert render.scad_params()["button_hole"] >= 16


@pytest.mark.skipif(
    shutil.which("xvfb-run") is None and not os.environ.get("DISPLAY"),
    reason="no display for OpenSCAD's pictures: apt-get install xvfb",
)
def test_the_preview_renders(rendered, tmp_path):
    out = tmp_path / "preview.png"
    render.preview(rendered, out)
    assert out.stat().st_size > 20_000
