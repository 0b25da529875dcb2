"""FAQ matching: speed at the real size and at 100x, and a plain rapidfuzz extractOne beside it.

Reported, for the real knowledge and a synthetic one 100x larger (every topic copied 100 times
with a marker word, so common words' posting lists also grow 100x): questions per second and
p50/p99 latency of `Matcher.decide` on one core; the same for `rapidfuzz.process.extractOne`
over all sample questions, with its accuracy on the held-out and out-of-scope tables.
Also, lexical only and with the semantic stage: q/s and p50/p99 on one core, start-up of a
fresh process (cold: no embedding cache; cached), its peak RSS, and accuracy on the held-out
and blind tables. Quick: 10x instead of 100x, fewer repetitions, no cold start.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from knowledge import load_knowledge
from knowledge.faq import Faq, build_faq
from knowledge.languages import LANGUAGES

BASELINE_CUTOFF = 80  # extractOne score from which the baseline answers (else falls back)
ROOT = Path(__file__).resolve().parent.parent


def tables() -> tuple[list[tuple[str, str]], list[str]]:
    """(topic, question) of the held-out table (written blind), and its out-of-scope questions."""
    from tests.support import faq_tables

    held = [(topic, q) for topic, _, q in faq_tables.in_scope(faq_tables.HELD_OUT)]
    oos = faq_tables.held_out_out_of_scope()
    return held, [q for qs in oos.values() for q in qs]


def scaled(faq: Faq, copies: int) -> Faq:
    """A knowledge `copies` times larger: each topic repeated with a marker word."""
    entries = list(faq.entries.values())
    bigger = []
    for k in range(copies):
        for entry in entries:
            if k == 0:
                bigger.append(entry)
                continue
            mark = f"zq{k}x"
            questions = {
                lang: tuple(f"{q} {mark}" for q in entry.questions[lang]) for lang in LANGUAGES
            }
            bigger.append(
                type(entry)(**{**entry.__dict__, "id": f"{entry.id}-{k}", "questions": questions})
            )
    return build_faq(bigger, faq.contacts, faq.matcher.normaliser, faq.out_of_scope)


def timed(fn, questions: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Per-call latency in milliseconds: wall clock, and CPU time of this thread (one core)."""
    wall, cpu = [], []
    for _ in range(repeat):
        for q in questions:
            start, start_cpu = time.perf_counter(), time.thread_time()
            fn(q)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def _p(ordered: list[float], q: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 3)


def figures(prefix: str, latencies: tuple[list[float], list[float]]) -> dict:
    wall, cpu = sorted(latencies[0]), sorted(latencies[1])
    return {
        f"{prefix}_qps": round(1000 / statistics.fmean(cpu), 1),
        f"{prefix}_p50_ms": _p(cpu, 0.5),
        f"{prefix}_p99_ms": _p(cpu, 0.99),
        f"{prefix}_wall_p99_ms": _p(wall, 0.99),
    }


def baseline(faq: Faq, cutoff: float = BASELINE_CUTOFF):
    """extractOne over every sample question: its topic, or None below `cutoff`."""
    texts = [s.text for s in faq.matcher.samples]
    topics = [s.topic for s in faq.matcher.samples]
    processed = [utils.default_process(t) for t in texts]

    def ask(question: str) -> str | None:
        found = process.extractOne(
            utils.default_process(question), processed, scorer=fuzz.WRatio, processor=None
        )
        return topics[found[2]] if found and found[1] >= cutoff else None

    return ask


def accuracy(ask, held, oos) -> tuple[float, float]:
    right = sum(ask(q) == topic for topic, q in held) / len(held)
    fallback = sum(ask(q) is None for q in oos) / len(oos)
    return right, fallback


def matcher_answer(faq: Faq):
    """The topic our matcher answers with; "" for a did-you-mean; None for a fallback."""

    semantic = faq.matcher.semantic

    def ask(question: str) -> str | None:
        if semantic is not None:  # every question pays for its own embedding, also on repeats
            semantic.query_vector.cache_clear()
        decision = faq.matcher.decide(question)
        return {"answer": decision.topic, "fallback": None}.get(decision.kind, "")

    return ask


SNAPSHOT = """
import json, sys, time
start = time.perf_counter()
from knowledge import load_knowledge
from knowledge.semantic import semantic_options
options = semantic_options(sys.argv[1] == "semantic", sys.argv[2])
faq = load_knowledge(semantic=options).faq
seconds = time.perf_counter() - start
for question in ("apa itu little bandung", "ada pinjeman modal buat umkm ga min? sy butuh kompor"):
    faq.matcher.decide(question)
# VmHWM: this process's peak (ru_maxrss would carry the parent's peak across exec)
status = open("/proc/self/status").read().split("VmHWM:")[1]
rss = int(status.split()[0]) / 1024
print(json.dumps({"start_s": round(seconds, 2), "rss_mb": round(rss, 1),
                  "semantic": faq.matcher.semantic is not None}))
"""


def start_up(mode: str, cache: str) -> dict:
    """Start-up (imports + knowledge) and peak RSS of a fresh process, in `mode`."""
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT, mode, cache],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def blind_tables() -> dict[str, tuple[list[tuple[str, str]], list[str]]]:
    """Per blind table: (topic, question) rows and its out-of-scope questions."""
    from tests.support import faq_tables

    return {
        number: (
            [(topic, q) for topic, _, q in faq_tables.blind_in_scope(name)],
            [q for qs in faq_tables.blind_out_of_scope(name).values() for q in qs],
        )
        for number, name in faq_tables.BLINDS.items()
    }


def modes(quick: bool, questions: list[str], repeat: int, blind: bool) -> dict:
    """Lexical only and with the semantic stage: speed, start-up, RSS, accuracy on both tables.

    The blind table's figures only when `blind` (the full `make bench`): whoever tunes the
    matcher with the quick runs never sees them.
    """
    from knowledge.semantic import SemanticOptions, load_embedder

    result: dict = {}
    held, oos = tables()
    embedder = load_embedder(1)
    cache = str(ROOT / "data" / "cache")  # SEMANTIC_CACHE_DIR's default: kept between runs
    runs = {"lexical": load_knowledge().faq}
    if embedder is not None:
        runs["semantic"] = load_knowledge(semantic=SemanticOptions(embedder, Path(cache))).faq
    for mode, faq in runs.items():
        ask = matcher_answer(faq)
        result.update(figures(f"{mode}_real", timed(ask, questions, repeat)))
        right, fallback = accuracy(ask, held, oos)
        result[f"{mode}_heldout_right"] = round(right, 3)
        result[f"{mode}_heldout_oos_fallback"] = round(fallback, 3)
        for number, (rows, outside) in blind_tables().items() if blind else ():
            right, fallback = accuracy(ask, rows, outside)
            result[f"{mode}_blind{number}_right"] = round(right, 3)
            result[f"{mode}_blind{number}_oos_fallback"] = round(fallback, 3)
    result["lexical_start_s"], result["lexical_rss_mb"] = _snap("lexical", cache)
    if embedder is not None:
        if not quick:  # a fresh cache: embeds every sample, about a minute on one core
            with tempfile.TemporaryDirectory() as cold:
                result["semantic_start_cold_s"], _ = _snap("semantic", cold)
        result["semantic_start_cached_s"], result["semantic_rss_mb"] = _snap("semantic", cache)
    return result


def _snap(mode: str, cache: str) -> tuple[float, float]:
    found = start_up(mode, cache)
    if found["semantic"] != (mode == "semantic"):
        raise RuntimeError(f"start-up in {mode} mode did not give that mode")
    return found["start_s"], found["rss_mb"]


async def run(quick: bool) -> dict:
    copies = 10 if quick else 100
    repeat = 1 if quick else 3
    held, oos = tables()
    questions = [q for _, q in held] + oos
    real = load_knowledge().faq
    result: dict = {"faq_topics": len(real.entries), "faq_samples": len(real.matcher.samples)}
    result.update(modes(quick, questions, repeat, blind=not quick))
    ours = matcher_answer(real)
    result.update(figures("faq_real", timed(ours, questions, repeat)))
    right, fallback = accuracy(ours, held, oos)
    result.update(
        {"faq_real_heldout_right": round(right, 3), "faq_real_oos_fallback": round(fallback, 3)}
    )
    plain = baseline(real)
    result.update(figures("extractone_real", timed(plain, questions, repeat)))
    right, fallback = accuracy(plain, held, oos)
    top1, _ = accuracy(baseline(real, cutoff=0), held, oos)
    result.update(
        {
            "extractone_heldout_right": round(right, 3),
            "extractone_heldout_top1": round(top1, 3),
            "extractone_oos_fallback": round(fallback, 3),
        }
    )
    start = time.perf_counter()
    big = scaled(real, copies)
    result[f"faq_x{copies}_build_s"] = round(time.perf_counter() - start, 1)
    result["faq_scale"] = copies
    result[f"faq_x{copies}_samples"] = len(big.matcher.samples)
    sample = questions[:: max(1, len(questions) // 120)]
    result.update(figures(f"faq_x{copies}", timed(matcher_answer(big), sample, 1)))
    result.update(figures(f"extractone_x{copies}", timed(baseline(big), sample, 1)))
    for name, value in result.items():
        print(f"  {name:32} {value}")
    return result


def compare_modes() -> dict:
    """Only the lexical-only vs semantic comparison (no 100x knowledge, no cold start)."""
    held, oos = tables()
    return modes(True, [q for _, q in held] + oos, repeat=1, blind=False)


if __name__ == "__main__":  # python -m benchmarks.faq
    for key, value in compare_modes().items():
        print(f"  {key:32} {value}")
