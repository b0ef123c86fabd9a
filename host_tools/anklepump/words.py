"""Words shared by the commands' messages."""


def plural(count: int, word: str) -> str:
    """'1 record', '2 records'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def printable(text: object) -> str:
    """Text that came from a device, safe to print on a terminal: control characters (the
    start of a terminal's escape sequences among them) shown as Python writes them, '\\x1b'."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in str(text))
