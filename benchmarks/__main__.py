"""Run every benchmark (each `benchmarks/<name>.py` with `async def run(quick) -> dict`) in one go.

python -m benchmarks [--quick] [NAME ...]   (BENCH_QUICK=1 also means --quick)
Prints one table and writes benchmarks/results.json with the figures and the machine. A full
run (every benchmark, not --quick, none failed) also puts the table into docs/benchmarks.md,
between its bench:start and bench:end markers.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DOC = HERE.parent / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# Cheap ones first, so a failure late in the run still leaves figures behind.
ORDER = ["faq", "registration", "memory", "telegram_e2e", "whatsapp_e2e", "broadcast", "load"]


def discover() -> list[str]:
    """Every benchmark module (a file defining `async def run`; tools such as in_scope_misses
    live beside them): ORDER first, then the rest alphabetically."""
    names = sorted(
        p.stem
        for p in HERE.glob("*.py")
        if not p.stem.startswith("_") and "\nasync def run(" in p.read_text(encoding="utf-8")
    )
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def machine() -> dict:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (OSError, ValueError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "commit": _git_commit(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
        )
    except OSError:
        return None
    return out.stdout.strip() or None


async def run_one(name: str, quick: bool) -> dict:
    module = importlib.import_module(f"benchmarks.{name}")
    return await module.run(quick)


def format_value(value: object) -> str:
    if isinstance(value, float):
        if abs(value) >= 10:
            return f"{value:,.1f}"
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(results: dict[str, dict]) -> str:
    """One table: benchmark | figure | value."""
    rows = [
        (bench, key, format_value(value))
        for bench, figures in results.items()
        for key, value in figures.items()
    ]
    widths = [
        max([len(h)] + [len(r[i]) for r in rows])
        for i, h in enumerate(("benchmark", "figure", "value"))
    ]
    lines = [
        f"| {'benchmark':<{widths[0]}} | {'figure':<{widths[1]}} | {'value':>{widths[2]}} |",
        f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 2)}|{'-' * (widths[2] + 1)}:|",
    ]
    lines += [f"| {b:<{widths[0]}} | {k:<{widths[1]}} | {v:>{widths[2]}} |" for b, k, v in rows]
    return "\n".join(lines)


def machine_line(info: dict) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB RAM, Python {info['python']},"
        f" {info['os']}; commit {info['commit']}, {info['date']}"
    )


def update_doc(report: dict) -> bool:
    """Put the table and the machine between the markers of the Performance section."""
    if not DOC.exists():
        return False
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return False
    block = (
        f"{START}\nMachine: {machine_line(report['machine'])}\n\n{table(report['results'])}\n{END}"
    )
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(head + block + tail, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (also BENCH_QUICK=1)")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BENCH_QUICK", "") not in ("", "0")
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    names = args.names or discover()
    results: dict[str, dict] = {}
    failed = []
    for name in names:
        print(f"== {name}{' (quick)' if quick else ''}", flush=True)
        started = time.perf_counter()
        try:
            figures = asyncio.run(run_one(name, quick))
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
            figures = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        figures["wall_s"] = round(time.perf_counter() - started, 1)
        results[name] = figures
    report = {"machine": machine(), "quick": quick, "results": results}
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(f"Machine: {machine_line(report['machine'])}")
    print(table(results))
    print(f"\nwrote {RESULTS.relative_to(HERE.parent)}")
    if not quick and not args.names and not failed and update_doc(report):
        print(f"updated the table in {DOC.relative_to(HERE.parent)}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
