"""CircuitPython's storage: the flash's mount, read-only to code until boot.py remounts it, as
after a reset; each remount is recorded."""

remounts = []


class VfsFat:
    readonly = True


_root = VfsFat()


def getmount(mount_path):
    return _root


def remount(mount_path, readonly=False, *, disable_concurrent_write_protection=False):
    remounts.append((mount_path, readonly))
    _root.readonly = readonly
