"""The modules of indexer/ and web/ import each other without a cycle.

A cycle makes a module's names depend on which module happened to be imported
first, and is what forced imports into function bodies. The graph is read from
the source with `ast`: every `import` and `from … import` counts, at the top of a
module or inside a function, and a package counts as its __init__.py. Importing
`a.b.c` runs a/__init__ and a/b/__init__ first, but those implicit edges are left
out: a package that re-exports its own modules (indexer, web) is not a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("indexer", "web")


def modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """{"web.api": …/web/api.py, "web": …/web/__init__.py, …}"""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules among `known` that the module `name` (at `path`) imports.

    `from p import x` imports the module p.x when there is one, else p itself.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in known else source)
    return targets & known


def import_graph(root: Path, packages=PACKAGES) -> dict[str, set[str]]:
    found = modules(root, packages)
    return {name: imported(name, path, set(found)) for name, path in found.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as [a, b, …, a], or None when it has none."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle():
    cycle = find_cycle(import_graph(REPO))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_no_module_of_web_imports_the_app_factory():
    graph = import_graph(REPO)
    assert {name for name, targets in graph.items() if name.startswith("web.") and "web" in targets} == set()


@pytest.mark.parametrize("files, cycle", [
    ({"p/__init__.py": "from . import a", "p/a.py": "from . import helper", "p/helper.py": ""}, None),
    ({"p/__init__.py": "from . import a", "p/a.py": "from . import thing"}, ["p", "p.a", "p"]),
    ({"p/__init__.py": "", "p/a.py": "import p.b", "p/b.py": "def f():\n    from .a import x"},
     ["p.a", "p.b", "p.a"]),
    ({"p/__init__.py": "", "p/q/__init__.py": "", "p/q/a.py": "from ..b import y", "p/b.py": "from p.q import a"},
     ["p.b", "p.q.a", "p.b"]),
    ({"p/__init__.py": "", "p/a.py": "import os\nfrom json import dumps"}, None),
])
def test_cycles_are_found(tmp_path, files, cycle):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert find_cycle(import_graph(tmp_path, ("p",))) == cycle
