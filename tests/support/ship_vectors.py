"""`make vectors`: rebuild the vectors that ship with the knowledge and with the test tables.

The semantic stage reuses a shipped vector wherever a sample's text is unchanged, so a fresh
install (or CI's fresh machine) embeds only what was added since: run this after large knowledge
edits or a model change (tests/test_embedding_seeds.py fails when the model no longer computes the
shipped vectors). It embeds everything afresh (about 70 s of CPU), never from the user's cache
or the shipped files, on one thread as the tests do, and keeps exactly the current texts.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from knowledge import embedding_cache
from knowledge.embedding_cache import CACHE_PREFIX, SEEDS, EmbeddingCache
from knowledge.semantic import load_embedder
from tests.support import question_vectors
from tests.support.semantic_cache import warm


def ship(source: Path, model: str, target: Path) -> Path:
    """Copy `source`'s newest file for `model` into `target`, compressed; drop older ones."""
    newest = EmbeddingCache(source, model, seeds=())._files()[0]
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob(f"{CACHE_PREFIX}{EmbeddingCache(None, model).model}-*.npz"):
        old.unlink()
    with np.load(newest, allow_pickle=False) as data:
        np.savez_compressed(target / newest.name, texts=data["texts"], vectors=data["vectors"])
    return target / newest.name


def main() -> int:
    embedder = load_embedder(1)
    if embedder is None:
        print("the embedding model is not installed (make install)", file=sys.stderr)
        return 1
    targets = ((embedder.model_id, SEEDS), (embedder.model_id + question_vectors.KEY, question_vectors.SEEDS))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp  # nothing from the user's cache
        embedding_cache.SEEDS = question_vectors.SEEDS = None  # nor from the shipped vectors
        folder = Path(tmp) / "run"
        warm(folder)
        for model, target in targets:
            path = ship(folder, model, target)
            print(f"{path}: {len(np.load(path)['texts'])} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
