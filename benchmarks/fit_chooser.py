"""Fit the weights of `knowledge.chooser` on the development tables, and say what they gain.

    .venv/bin/python -m benchmarks.fit_chooser [--l2 0.001] [--table NAME ...] [--time 120]

Every in-scope question of the development tables (never a blind or held-out one) is read
through `understand` with the rules alone (the chooser's weights set to "the rules' pick");
each message whose whole and pieces answer two or more topics gives its candidates' facts. A
logistic regression of "the right topic rather than that one" over every such pair is fitted
by gradient descent (numpy, L2 penalty). Printed: with each table left out in turn (fitted on
the others, judged on it), how many messages the fitted chooser puts right that the rules got
wrong and the reverse; then the weights fitted on every table, as `chooser.WEIGHTS` takes them.
Question vectors are remembered in a file (`--vectors`) as in `benchmarks.in_scope_misses`.
With `--time N`: what the chooser costs instead, over N long development messages (several
pieces), each read by `understand` with the chooser and without it (order alternating, every
vector embedded afresh): p50 / p99 thread CPU ms per message, one core.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.in_scope_misses import CACHE, Remembered, rows
from knowledge import chooser, load_knowledge
from knowledge.semantic import SemanticOptions, semantic_options
from knowledge.understand import parts, understand
from tests.support import faq_tables

RULES_ONLY = (1.0,) + (0.0,) * (len(chooser.FEATURES) - 1)
STEPS, RATE = 3000, 0.5  # gradient descent: enough steps for the loss to settle at this rate

Sample = tuple[str, str, list[tuple[str, np.ndarray]]]  # table, right topic, candidates' facts


def samples(names: list[str], vectors: Path) -> list[Sample]:
    """The candidates of every development message the chooser is asked about."""
    options = _semantic()
    options = replace(options, embedder=Remembered(options.embedder, vectors))
    knowledge = load_knowledge(semantic=options)
    seen: list[list[chooser.Candidate]] = []
    inner = chooser.candidates

    def recorded(*args, **kwargs):
        found = inner(*args, **kwargs)
        seen.append(found)
        return found

    chooser.candidates, saved = recorded, chooser.WEIGHTS
    chooser.WEIGHTS = RULES_ONLY
    found: list[Sample] = []
    try:
        for name, topic, _, text in rows(names)[0]:
            seen.clear()
            understand(knowledge.faq, knowledge.intents, knowledge.language, text)
            for cands in seen:
                if cands:
                    found.append((name, topic, [(c.topic, np.array(c.features)) for c in cands]))
    finally:
        chooser.candidates, chooser.WEIGHTS = inner, saved
        options.embedder.save()  # type: ignore[attr-defined]
    return found


def _semantic() -> SemanticOptions:
    """The semantic stage's options (the chooser needs it), its sample vectors kept in CACHE."""
    options = semantic_options(True, CACHE)
    assert options is not None, "the chooser needs the semantic stage"
    return options


def fit(data: list[Sample], l2: float) -> np.ndarray:
    """Weights of a logistic regression on (right - other) feature differences."""
    pairs = [
        next(f for t, f in cands if t == right) - other
        for _, right, cands in data
        if any(t == right for t, _ in cands)
        for t, other in cands
        if t != right
    ]
    x = np.array(pairs)
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-x @ w))
        w -= RATE * (-(x.T @ (1 - p)) / len(x) + l2 * w)
    return w


def pick(cands: list[tuple[str, np.ndarray]], w: np.ndarray) -> str:
    """The candidate with the best score; the rules' pick (its first fact) wins a tie."""
    return max(cands, key=lambda c: (float(c[1] @ w), c[1][0]))[0]


def timed(names: list[str], count: int) -> None:
    """p50 / p99 CPU ms of `understand` on `count` long messages, with and without the chooser."""
    knowledge = load_knowledge(semantic=_semantic())
    index = knowledge.faq.matcher.semantic
    texts = [text for _, _, _, text in rows(names)[0] if len(parts(text, clauses=True)) > 1]
    texts = random.Random(3).sample(texts, min(count, len(texts)))
    rules = chooser.reconsider
    spent: dict[str, list[float]] = {"with the chooser": [], "rules alone": []}
    for n, text in enumerate(texts):
        for mode in sorted(spent, reverse=n % 2 == 1):
            chooser.reconsider = rules if mode == "with the chooser" else _unchanged
            index.query_vector.cache_clear()
            start = time.thread_time()
            understand(knowledge.faq, knowledge.intents, knowledge.language, text)
            spent[mode].append((time.thread_time() - start) * 1000)
    chooser.reconsider = rules
    for mode, ms in spent.items():
        print(f"{mode}: p50 {np.percentile(ms, 50):.1f} ms, p99 {np.percentile(ms, 99):.1f} ms "
              f"over {len(ms)} long messages")  # fmt: skip


def _unchanged(index, text, whole, main, also, found, pieces):
    return main, also


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--table", nargs="*", help="only these tables (file names)")
    parser.add_argument("--vectors", default="/tmp/umkm-question-vectors.pkl")
    parser.add_argument("--time", type=int, default=0, help="time N long messages instead")
    args = parser.parse_args(argv)
    names = args.table or [*faq_tables.DEV_PLAIN, *faq_tables.DEV_WRITTEN.values()]
    if args.time:
        timed(names, args.time)
        return 0
    data = samples(names, Path(args.vectors))
    moved: Counter = Counter()
    tables = sorted({name for name, _, _ in data})
    for held in tables:
        w = fit([s for s in data if s[0] != held], args.l2)
        for name, right, cands in data:
            if name == held:
                rules = next(t for t, f in cands if f[0] == 1.0)
                new = pick(cands, w)
                moved[rules == right, new == right] += 1
    print(f"messages with two or more candidates: {len(data)} (tables: {len(tables)})")
    print(f"each table left out: rules right {moved[True, True] + moved[True, False]}, "
          f"chooser right {moved[True, True] + moved[False, True]}; "
          f"put right {moved[False, True]}, put wrong {moved[True, False]}")  # fmt: skip
    w = fit(data, args.l2)
    print("WEIGHTS = (" + ", ".join(f"{v:.2f}" for v in w) + ")  # " + ", ".join(chooser.FEATURES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
