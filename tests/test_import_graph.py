"""The application's import graph has no cycles, and nothing imports the entry point back.

Every import counts, module-level or inside a function: a late import hides a cycle, it does not
remove it. `from pkg import sub` is an edge to the module `pkg.sub` when there is one (else to
`pkg`, for a name defined there): a package's child loading a sibling never re-enters the
package's `__init__`, which is already running. The graph is read from the source with `ast`,
so it needs no import to run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("handlers", "knowledge", "storage", "channels", "wiring")
MODULES = ("settings", "logsetup", "bot")


def module_files(packages=PACKAGES, modules=MODULES) -> dict[str, Path]:
    """Dotted module name -> file, for the application's packages and top-level modules."""
    found = {name: ROOT / f"{name}.py" for name in modules if (ROOT / f"{name}.py").exists()}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported_names(path: Path, module: str) -> Iterator[tuple[str, ...]]:
    """What each import in `path` may name, most specific first (relative imports resolved).

    `from a import b` imports the module a.b when there is one, else the name b from module a.
    """
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name,) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            yield from ((f"{base}.{alias.name}", base) for alias in node.names)


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the application modules it imports."""
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        graph[module] = set()
        for candidates in imported_names(path, module):
            found = next((name for name in candidates if name in files), None)
            if found is not None and found != module:
                graph[module].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other (strongly connected, Tarjan), largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found, key=len, reverse=True)


def a_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """One import path around `group`, for the failure message: a -> b -> ... -> a."""
    start, members = group[0], set(group)
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for other in sorted(graph[path[-1]] & members):
            if other == start:
                return [*path, start]
            if other not in path:
                paths.append([*path, other])
    return group


def test_the_application_has_no_import_cycles() -> None:
    graph = import_graph(module_files())
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(
        f"  {' -> '.join(a_cycle(graph, group))}  ({len(group)} modules)" for group in found
    )


def test_the_graph_sees_a_cycle_through_a_late_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    real = import_graph(module_files())
    assert "wiring.commands" in real["bot"]  # bot.py is read like any module
    assert "handlers.app" in real["handlers.assistant"]  # an import inside a function
    assert "handlers.registration.phone" in real["handlers.registration.questions"]  # from a import b


def test_nothing_imports_the_entry_point() -> None:
    """bot.py parses arguments; the composition root (wiring/) is what others import."""
    everything = {**module_files(), **module_files(("tests", "benchmarks"), ())}
    importers = sorted(
        module for module, path in everything.items()
        if any("bot" in names for names in imported_names(path, module))
    )  # fmt: skip
    assert importers == []
