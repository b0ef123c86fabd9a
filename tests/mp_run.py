# Runs the device test modules under the MicroPython unix port, the same files
# pytest runs on CPython. Each test_* function is called once; the closing line
# counts passes and failures, and the exit status is 1 if any failed.
import os
import sys

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
# Absolute: the tests move into scratch flash folders, and the firmware imports some
# modules only when it needs them.
if HERE[0] != "/":
    HERE = os.getcwd() + "/" + HERE
sys.path.insert(0, HERE + "/../device")
sys.path.insert(0, HERE + "/device")


def run_module(name, only):
    passed = failed = 0
    try:
        module = __import__(name)
    except Exception as exc:
        print("FAIL import %s" % name)
        sys.print_exception(exc)
        return 0, 1
    for attr in sorted(dir(module)):
        if not attr.startswith("test_") or (only and only not in attr):
            continue
        test = getattr(module, attr)
        try:
            test()
            passed += 1
        except Exception as exc:
            failed += 1
            print("FAIL %s.%s" % (name, attr))
            sys.print_exception(exc)
    return passed, failed


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    names = sorted(f[:-3] for f in os.listdir(HERE + "/device") if f.startswith("test_") and f.endswith(".py"))
    passed = failed = 0
    for name in names:
        p, f = run_module(name, only)
        passed += p
        failed += f
    print("micropython: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


main()
