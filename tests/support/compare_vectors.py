"""Whether the shipped question vectors read the tables as this machine's own embeddings would.

    .venv/bin/python -m tests.support.compare_vectors

The tests hand the semantic stage the table questions' vectors shipped in tests/data/embeddings
(tests/support/question_vectors.py) when a fresh embedding of a probe is within SAME_VECTOR of the
stored one. On a CPU other than the one that ran `make vectors` the two differ by a hair; this
reads every table question both ways (the same sample vectors) and prints, per table, how many
decisions differ and how many questions each way gets right. Counts only: a blind table's lines
are never printed. About 3 minutes of CPU on one core.
"""

from __future__ import annotations

import sys
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np

from knowledge import load_knowledge
from knowledge.semantic import semantic_options
from knowledge.understand import TWINS, understand
from tests.support import faq_tables as t
from tests.support import question_vectors as qv


def groups() -> dict[str, list[tuple[str | None, str]]]:
    """(topic, or None for out of scope; question) per table."""
    found = {"development and held-out": [
        (topic, q) for topic, _, q in t.in_scope(t.DEV + t.HELD_OUT + t.DEV_UNDERSTOOD + t.DEV_I)
    ]}  # fmt: skip
    for name, table in {**t.BLINDS, **t.DEV_WRITTEN}.items():
        found[f"table {name}, in scope"] = [(topic, q) for topic, _, q in t.blind_in_scope(table)]
        found[f"table {name}, out of scope"] = [
            (None, q) for questions in t.blind_out_of_scope(table).values() for q in questions
        ]
    return found


def main() -> int:
    with TemporaryDirectory() as folder:
        knowledge = load_knowledge(semantic=semantic_options(True, Path(folder)))
    index = knowledge.faq.matcher.semantic
    live = index.embedder
    texts = qv._texts(live)  # noqa: SLF001 -- the tests' own list
    known = qv.cache(None, live)._known()  # noqa: SLF001
    stored = qv.Stored(live, {text: known[text] for text in texts if text in known})
    every = max(len(texts) // 20, 1)
    probes = [qv._cosine(live.embed([x])[0], known[x]) for x in texts[::every]]  # noqa: SLF001
    print(f"cosine of fresh and shipped vectors, {len(probes)} probes: min {min(probes):.6f}, "
          f"median {np.median(probes):.6f} (used from {qv.SAME_VECTOR})")  # fmt: skip

    def read(embedder, text: str) -> tuple:
        index.embedder, index._last = embedder, None  # noqa: SLF001
        index.query_vector.cache_clear()
        found = understand(knowledge.faq, knowledge.intents, knowledge.language, text)
        return found.intent, found.topic, found.action

    def right(found: tuple, topic: str | None) -> bool:
        intent, got, action = found
        if topic is None:
            return intent == "fallback"
        return got == topic or (intent == "action" and TWINS.get(action) == topic)

    for name, rows in groups().items():
        differ = by_live = by_stored = 0
        for topic, text in rows:
            a, b = read(live, text), read(stored, text)
            differ += a != b
            by_live, by_stored = by_live + right(a, topic), by_stored + right(b, topic)
        print(f"{name:26} {len(rows):5} questions: {differ} decisions differ; right with this "
              f"machine's vectors {by_live}, with the shipped ones {by_stored}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
