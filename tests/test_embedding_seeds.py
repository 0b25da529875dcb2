"""The vectors shipped with the knowledge (and the test tables'): reused per text, and still the model's."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.embedding_cache import SEEDS, EmbeddingCache
from tests.support import question_vectors
from tests.support.embedders import Counting


class Fake:
    """A stand-in model: a text's vector is its length; counts what it embeds."""

    model_id = "fake-model"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts):
        self.embedded += texts
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32).reshape(-1, 2)


def ship(folder, texts, vectors):
    """A shipped file as `make vectors` writes it."""
    name = f"faq-embeddings-{EmbeddingCache(None, Fake.model_id).model}-shipped.npz"
    np.savez_compressed(folder / name, texts=np.array(texts, dtype=str), vectors=vectors)


def test_shipped_vectors_are_reused_per_text_and_only_the_new_text_is_embedded(tmp_path) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    seeds.mkdir()
    ship(seeds, ["apa itu kur", "cara daftar nib"], np.array([[9.0, 9.0], [8.0, 8.0]], np.float32))
    fake = Fake()
    vectors, hit = EmbeddingCache(cache, Fake.model_id, seeds=(seeds,)).vectors(
        ["cara daftar nib", "biaya halal", "apa itu kur"], fake
    )
    assert fake.embedded == ["biaya halal"] and not hit
    assert vectors.tolist() == [[8.0, 8.0], [11.0, 1.0], [9.0, 9.0]]  # the shipped ones, as shipped
    again = Fake()
    found, _ = EmbeddingCache(cache, Fake.model_id, seeds=(seeds,)).vectors(["biaya halal"], again)
    assert found.tolist() == [[11.0, 1.0]]
    assert again.embedded == []  # the cache folder's file (written above) holds it now


def test_without_a_cache_folder_the_shipped_vectors_still_count(tmp_path) -> None:
    ship(tmp_path, ["apa itu kur"], np.array([[9.0, 9.0]], np.float32))
    fake = Fake()
    store = EmbeddingCache(None, Fake.model_id, seeds=(tmp_path,))
    vectors, _ = store.vectors(["apa itu kur", "tq"], fake)
    assert fake.embedded == ["tq"] and vectors.tolist() == [[9.0, 9.0], [2.0, 1.0]]
    assert list(tmp_path.glob("*.npz")) == [next(tmp_path.glob("*shipped.npz"))]  # nothing written


SAME_VECTOR = question_vectors.SAME_VECTOR  # why this bound: tests/support/question_vectors.py


@pytest.mark.parametrize(
    "folder", [SEEDS, question_vectors.SEEDS], ids=["knowledge", "test-tables"]
)
def test_the_shipped_vectors_are_what_the_model_computes(folder, embedder) -> None:
    """Fails after a model or preprocessing change: run `make vectors`."""
    files = sorted(folder.glob("faq-embeddings-*.npz"))
    assert len(files) == 1, f"{folder}: one shipped file expected, run `make vectors`"
    with np.load(files[0], allow_pickle=False) as data:
        texts, vectors = data["texts"].tolist(), data["vectors"]
    assert vectors.dtype == np.float32 and vectors.shape == (len(texts), 384) and len(texts) > 1000
    for i in (0, len(texts) // 2, len(texts) - 1):
        fresh = embedder.embed([texts[i]])[0]
        cosine = fresh @ vectors[i] / np.linalg.norm(fresh) / np.linalg.norm(vectors[i])
        assert cosine >= SAME_VECTOR, f"{texts[i]!r}: run `make vectors`"


def test_the_real_knowledge_embeds_almost_nothing_on_a_fresh_machine(embedder, tmp_path) -> None:
    """What `make vectors` shipped covers today's samples (else a fresh start embeds them all)."""
    from knowledge import load_knowledge
    from knowledge.semantic import SemanticOptions

    counting = Counting(embedder)
    faq = load_knowledge(semantic=SemanticOptions(counting, tmp_path)).faq
    samples = len(faq.matcher.samples)
    print(f"\nfresh start: {counting.count} of {samples} samples embedded")
    assert counting.count <= 0.05 * samples, "the shipped vectors are stale: run `make vectors`"
