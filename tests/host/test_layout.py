"""The host package's layout: every subpackage is installed, and no module imports one that
imports it back (imports inside functions count too)."""

import ast
from pathlib import Path

import pytest

HOST = Path(__file__).resolve().parents[2] / "host_tools"
PACKAGE = HOST / "anklepump"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(HOST).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found.update(n for n in names if n in modules)
    return found - {name}


def test_no_import_cycles():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    cycles = []

    def visit(name, path):
        for target in sorted(graph[name]):
            if target in path:
                cycles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in done:
                visit(target, path + [target])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [name])
    assert cycles == []


def test_every_subpackage_is_installed():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11 and later")
    listed = tomllib.loads((HOST / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    on_disk = [name for name, path in _modules().items() if path.name == "__init__.py"]
    assert sorted(listed) == sorted(on_disk)
