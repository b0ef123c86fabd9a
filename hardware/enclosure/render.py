"""Renders the enclosure's parts to STL with OpenSCAD, and a preview picture of them.

    python hardware/enclosure/render.py            # writes body.stl, base.stl, clip.stl, preview.png here

The preview shows the rendered parts put together, from the bed and from behind, as
OpenSCAD draws them (under xvfb-run where there is no display).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on CI
import matplotlib.pyplot as plt  # after the backend is chosen

HERE = Path(__file__).resolve().parent
SCAD = HERE / "enclosure.scad"
PARTS = ("body", "base", "clip")
COLOURS = {"body": (0.93, 0.93, 0.88), "base": (0.45, 0.5, 0.56), "clip": (0.95, 0.55, 0.15)}


def scad_params(scad: Path = SCAD) -> dict[str, float]:
    """The file's top-level numeric settings (`name = number;`), to place the parts in the preview."""
    found = re.findall(r"^(\w+)\s*=\s*(-?[\d.]+)\s*;", scad.read_text(), re.M)
    return {name: float(value) for name, value in found}


def render_stl(part: str, out: Path, scad: Path = SCAD) -> None:
    openscad = shutil.which("openscad")
    if openscad is None:
        raise SystemExit("openscad is not installed: apt-get install openscad (or see hardware/README.md)")
    subprocess.run([openscad, "-q", "-D", 'part="%s"' % part, "-o", str(out), str(scad)], check=True)
    if out.stat().st_size == 0:
        raise SystemExit("openscad wrote an empty %s" % out)


def assembly_scad(stls: dict[str, Path]) -> str:
    """An OpenSCAD file that places the rendered parts together, the base lowered to show it apart."""
    p = scad_params()
    plate_w = p["clip_screw_pitch"] + 14
    places = {
        "body": (0, 0, 0),
        "base": (0, 0, -p["wall"] - 14),
        "clip": (-plate_w / 2, p["depth"], p["back_h"] - 24),
    }
    lines = []
    for name, path in stls.items():
        r, g, b = COLOURS[name]
        lines.append('color([%g, %g, %g]) translate(%s) import("%s");' % (r, g, b, list(places[name]), path.resolve()))
    return "\n".join(lines) + "\n"


def snapshot(scad: Path, out: Path, rotation: tuple[float, float, float]) -> None:
    """One view of the assembly. OpenSCAD draws its pictures with OpenGL, so without a display
    (CI, a server) it runs inside xvfb-run's virtual one."""
    camera = "--camera=0,0,0,%g,%g,%g,0" % rotation
    command = ["openscad", "-q", "--viewall", "--autocenter", "--imgsize=900,760", camera]
    command += ["--colorscheme=Tomorrow", "-o", str(out), str(scad)]
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            raise SystemExit("no display for OpenSCAD's pictures: apt-get install xvfb (or see hardware/README.md)")
        command = ["xvfb-run", "-a", *command]
    subprocess.run(command, check=True)


def preview(stls: dict[str, Path], out: Path) -> None:
    views = [
        ("From the bed: display window, button in its finger ring, buzzer holes", (62, 0, 330)),
        ("From behind: USB opening, bed-rail clip; the base plate below", (66, 0, 215)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        scad = Path(tmp) / "assembly.scad"
        scad.write_text(assembly_scad(stls))
        shots = []
        for i, (_, rotation) in enumerate(views):
            shots.append(Path(tmp) / ("view%d.png" % i))
            snapshot(scad, shots[-1], rotation)
        fig, axes = plt.subplots(1, 2, figsize=(14, 6.6), facecolor="white")
        for ax, (title, _), shot in zip(axes, views, shots):
            ax.imshow(plt.imread(shot))
            ax.set_title(title, fontsize=12)
            ax.set_axis_off()
    p = scad_params()
    fig.suptitle(
        "Ankle Pump Coach enclosure: %d \u00d7 %d mm, %d mm high at the back (hardware/enclosure/enclosure.scad)"
        % (p["width"], p["depth"], p["back_h"]),
        fontsize=14,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.88, wspace=0.02)
    fig.savefig(out, dpi=90, facecolor="white")
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the STL files and preview.png")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    stls = {}
    for part in PARTS:
        stls[part] = args.out / (part + ".stl")
        render_stl(part, stls[part])
        print("wrote", stls[part])
    preview(stls, args.out / "preview.png")
    print("wrote", args.out / "preview.png")


if __name__ == "__main__":
    sys.exit(main())
