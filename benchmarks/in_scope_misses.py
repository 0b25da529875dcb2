"""Every development table's in-scope misses (and out-of-scope answers), read as the bot reads
them (`knowledge.understand`, semantic stage on), sorted by kind, with counts per language.

    .venv/bin/python -m benchmarks.in_scope_misses [--lexical] [--list] [--table NAME ...]

Kinds of an in-scope miss:
- `taken`: read as small talk or a request that is not the topic's twin action;
- `fallback, nearest right` / `fallback, nearest wrong`: neither stage answered; whether the
  whole message's nearest topic in meaning was the right one;
- `did you mean, right offered` / `did you mean, wrong`;
- `wrong topic` (a neighbour), split `long` when the message has several sentences or clauses
  (the sentence chosen may be the fault) and `short` otherwise.

Development tables only (tests/data/faq_dev_*.yaml, tables K-N in the blind format when
there): never a blind or held-out table. Question vectors are kept in a file of their own
(`--vectors`, default /tmp) so that a second run embeds nothing it embedded before.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np

from knowledge import load_knowledge
from knowledge.languages import LANGUAGES
from knowledge.semantic import semantic_options
from knowledge.understand import TWINS, parts, understand
from tests.support import faq_tables, question_vectors

PLAIN = faq_tables.DEV_PLAIN
OUT_ONLY = ("faq_out_of_scope.yaml", "faq_dev_oos.yaml", "faq_dev_oos_k.yaml",
            "faq_dev_oos_long.yaml", "faq_dev_oos_aa.yaml", "faq_dev_oos_ab.yaml",
            "faq_dev_oos_ac.yaml", "faq_dev_oos_ad.yaml", "faq_dev_oos_ae.yaml",
            "faq_dev_oos_af.yaml")  # fmt: skip
BLIND_FORMAT = tuple(faq_tables.DEV_WRITTEN.values())  # topics / out_of_scope, like the blind ones
CACHE = Path.home() / ".cache" / "umkm-bot"  # the sample vectors these scripts keep between runs


class Remembered:
    """An embedder that keeps every vector it computed in a file, for the next run."""

    def __init__(self, inner, path: Path) -> None:
        self.inner, self.model_id, self.path = inner, inner.model_id, path
        # the vectors shipped with the tests (tests/data/embeddings), then this script's own
        self.known: dict[str, np.ndarray] = question_vectors.cache(None, inner)._known()
        if path.exists():
            self.known.update(pickle.loads(path.read_bytes()))
        self.added = 0

    def embed(self, texts):
        if len(texts) == 1 and texts[0] in self.known:
            return self.known[texts[0]][None, :].copy()
        found = self.inner.embed(texts)
        if len(texts) == 1:
            self.known[texts[0]], self.added = found[0].copy(), self.added + 1
        return found

    def fit(self, text: str, *args) -> str:
        return self.inner.fit(text, *args)

    def save(self) -> None:
        if self.added:
            self.path.write_bytes(pickle.dumps(self.known))


def rows(names: list[str]) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str]]]:
    """(table, topic, language, question) in scope and (table, language, question) out of scope."""
    inside, outside = [], []
    for name in names:
        if not (faq_tables.DATA / name).exists():
            continue
        blind_format = name in BLIND_FORMAT
        found = faq_tables.blind_in_scope(name) if blind_format else faq_tables.in_scope((name,))
        if name not in OUT_ONLY:  # faq_out_of_scope.yaml's greetings and thanks are no topics
            inside += [(name, topic, lang, q) for topic, lang, q in found]
        table = (
            faq_tables.blind_out_of_scope(name)
            if blind_format
            else faq_tables.out_of_scope((name,))
        )
        outside += [(name, lang, q) for lang, qs in table.items() for q in qs]
    return inside, outside


def kind_of(faq, found, topic: str, text: str) -> str:
    """The kind of an in-scope miss (see the module's docstring)."""
    decision = found.decision
    if found.intent in ("smalltalk", "action"):
        return "taken"
    if decision is None or decision.kind == "fallback":
        index = faq.matcher.semantic
        nearest = index.rank(text)[0][0] if index is not None else None
        return "fallback, nearest " + ("right" if nearest == topic else "wrong")
    if decision.kind == "suggest":
        return "did you mean, " + ("right offered" if topic in decision.choices else "wrong")
    long = len(parts(text, clauses=True)) > 1
    return "wrong topic, " + ("long" if long else "short")


def details(faq, topic: str, text: str) -> str:
    """The whole message's lexical ranking and nearest topics, and the right topic's place."""
    with no_semantic(faq):
        lexical = faq.matcher.decide(text)
    ranked = dict(lexical.ranked)
    line = f"lexical {lexical.kind} " + ", ".join(f"{t} {s:.0f}" for t, s in lexical.ranked[:3])
    line += f" (right {ranked.get(topic, 0):.0f})"
    index = faq.matcher.semantic
    if index is not None:
        near = index.rank(text)
        line += "; cosine " + ", ".join(f"{t} {c:.3f}" for t, c in near[:3])
        line += f" (right {dict(near).get(topic, 0):.3f})"
    return line


@contextmanager
def no_semantic(faq):
    """The matcher without its semantic stage, for a while."""
    index, faq.matcher.semantic = faq.matcher.semantic, None
    try:
        yield
    finally:
        faq.matcher.semantic = index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lexical", action="store_true", help="lexical matching only")
    parser.add_argument("--list", action="store_true", help="print every miss")
    parser.add_argument("--details", action="store_true", help="scores of each miss")
    parser.add_argument("--table", nargs="*", help="only these tables (file names)")
    parser.add_argument("--vectors", default="/tmp/umkm-question-vectors.pkl")
    args = parser.parse_args(argv)
    options = None if args.lexical else semantic_options(True, CACHE)
    if options is not None:
        options = replace(options, embedder=Remembered(options.embedder, Path(args.vectors)))
    knowledge = load_knowledge(semantic=options)
    faq = knowledge.faq
    names = args.table or [*PLAIN, *BLIND_FORMAT, *OUT_ONLY]
    inside, outside = rows(names)
    kinds: Counter = Counter()
    right, total, listed = Counter(), Counter(), []
    for name, topic, lang, text in inside:
        found = understand(faq, knowledge.intents, knowledge.language, text)
        total[lang] += 1
        if found.topic == topic or (found.intent == "action" and TWINS.get(found.action) == topic):
            right[lang] += 1
            continue
        kind = kind_of(faq, found, topic, text)
        kinds[kind, lang] += 1
        got = found.topic or found.action or (found.decision.topic if found.decision else None)
        listed.append(
            f"{kind:28} {lang} {name[4:-5]:8} {topic} -> {found.intent} {got}: {text!r}"
            + (f"\n{'':32}{details(faq, topic, text)}" if args.details else "")
        )
    kept, asked = Counter(), Counter()
    for name, lang, text in outside:
        found = understand(faq, knowledge.intents, knowledge.language, text)
        asked[lang] += 1
        if found.intent == "fallback":
            kept[lang] += 1
        else:
            got = found.topic or found.action or found.small_talk
            listed.append(
                f"{'out of scope answered':28} {lang} {name[4:-5]:8} -> {found.intent} {got}: {text!r}"
                + (f"\n{'':32}{details(faq, '', text)}" if args.details else "")
            )
    mode = "lexical" if options is None else "semantic"
    print(f"{mode}; tables: {', '.join(n for n in names if (faq_tables.DATA / n).exists())}")
    print(
        f"{'in scope right':28} "
        + " ".join(
            f"{lang} {right[lang] / max(total[lang], 1):6.2%} of {total[lang]:4}"
            for lang in LANGUAGES
        )
    )
    print(
        f"{'out of scope falls back':28} "
        + " ".join(
            f"{lang} {kept[lang] / max(asked[lang], 1):6.2%} of {asked[lang]:4}"
            for lang in LANGUAGES
        )
    )
    for kind in sorted({k for k, _ in kinds}):
        print(f"{kind:28} " + " ".join(f"{lang} {kinds[kind, lang]:4}" for lang in LANGUAGES))
    if args.list:
        print("\n".join(sorted(listed)))
    if options is not None:
        options.embedder.save()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
