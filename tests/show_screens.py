# Prints every screen the tests check, as the test pictures draw them ('#' lit),
# with the text draw() returns. Under MicroPython, from the repository root:
#
#   micropython tests/show_screens.py [NAME ...]          look at them (zh_NAME: in Chinese)
#   micropython tests/show_screens.py --write [NAME ...]  rewrite tests/device/screens/NAME.txt
#
# Rewrite only after looking: the files are the reviewed expectations.
import sys

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, HERE + "/../device")
sys.path.insert(0, HERE + "/device")

from test_screens import CASES, CASES_ZH, PICTURES, chinese, english, new_screen, picture  # noqa: E402
from ui import screens  # noqa: E402


def main():
    args = sys.argv[1:]
    write = "--write" in args
    names = [a for a in args if a != "--write"]
    fb = new_screen()
    for name, view, _ in CASES + CASES_ZH:
        if names and name not in names:
            continue
        (chinese if name.startswith("zh_") else english)()
        text = screens.draw(fb, view)
        drawn = picture(fb)
        print("%s  %s" % (name, text))
        print(drawn)
        if write:
            with open(PICTURES + name + ".txt", "w") as f:
                f.write(drawn)


main()
