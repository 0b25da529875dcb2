"""`make bench` runs every benchmark module and nothing else (a tool beside them failed it)."""

from __future__ import annotations

import importlib
import inspect

from benchmarks.__main__ import ORDER, discover


def test_every_discovered_module_is_a_benchmark() -> None:
    names = discover()
    assert names[: len(ORDER)] == ORDER
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        assert inspect.iscoroutinefunction(getattr(module, "run", None)), name


def test_tools_beside_the_benchmarks_are_not_run() -> None:
    assert "in_scope_misses" not in discover()
