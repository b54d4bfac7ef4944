"""The shape of the shared package, read from its source with `ast` (nothing is imported):

- no import cycle between modules of functions/core/estate, function-level imports included;
- estate.http is the only module that imports Chalice, and the functions reach Chalice only through it.

The graph: one node per module (a package is its __init__); an edge A → B for every `import` or
`from … import` anywhere in A (module level or inside a function; not under `if TYPE_CHECKING`)
that names B, resolved to the deepest module that exists (`from estate.store import signing` is an
edge to estate.store.signing, `from estate.store.taxes import PAID` to estate.store.taxes). An edge
from a module to a package that contains it (its own package's __init__) is not a dependency on a
sibling and is left out. Imports of anything outside estate (PIL, fpdf, boto3 kept lazy for cold
starts) are no edges at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "functions/core"
PACKAGE = CORE / "estate"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    """Every dotted name an import in `tree` may refer to (both `a.b` and `a.b.c` for `from a.b import c`)."""
    names: list[str] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        if _is_type_checking(node):
            pending.extend(getattr(node, "orelse", []))
            continue
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.extend(f"{base}.{alias.name}" for alias in node.names)
            names.append(base)
        pending.extend(ast.iter_child_nodes(node))
    return names


def import_graph() -> dict[str, set[str]]:
    sources = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for module, path in sources.items():
        is_package = path.name == "__init__.py"
        for name in _imported_names(ast.parse(path.read_text("utf-8")), module, is_package):
            target = name
            while target and target not in sources:
                target = target.rpartition(".")[0]
            if not target or target == module or module.startswith(target + "."):
                continue   # outside estate, itself, or a package that contains it
            graph[module].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle path (first node repeated at the end) for each strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:   # Tarjan; the package has a few dozen modules, recursion is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_path_within(graph, group) for group in groups]


def _path_within(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest way from the group's first module back to itself, staying inside the group."""
    start = min(group)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def test_no_import_cycle_between_modules_of_the_shared_package():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in cycles)


def test_the_cycle_finder_reports_the_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_function_level_and_relative_imports_are_edges():
    tree = ast.parse("import os\ndef f():\n    from estate.store import taxes\n    from . import sibling\n"
                     "if TYPE_CHECKING:\n    from estate.http import ApiRequest\n")
    names = _imported_names(tree, "estate.tax.payments", is_package=False)
    assert {"estate.store.taxes", "estate.tax.sibling", "os"} <= set(names)
    assert "estate.http.ApiRequest" not in names


def _imports_chalice(path: Path) -> bool:
    names = _imported_names(ast.parse(path.read_text("utf-8")), "", False)
    return any(name == "chalice" or name.startswith("chalice.") for name in names)


def test_only_the_http_edge_imports_chalice():
    importers = sorted(_module_name(path) for path in PACKAGE.rglob("*.py") if _imports_chalice(path))
    assert importers == ["estate.http"]
    apps = sorted((ROOT / "functions").glob("*/app.py"))
    assert apps and not [str(app.relative_to(ROOT)) for app in apps if _imports_chalice(app)]
