"""Words shared by the commands' messages."""


def plural(count: int, word: str) -> str:
    """'1 record', '2 records'."""
    return f"{count} {word}" + ("" if count == 1 else "s")
