"""The semantic stage's sample vectors on disk: one `.npz` file per (model, sample texts) hash.

Besides the cache folder (written at start-up), vectors ship with the knowledge in
`knowledge/embeddings/` (read only, per text): a fresh install embeds only the samples added since
they were built (`make vectors` rebuilds them), not all ~2,600 (about 45 s of CPU on one core).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

CACHE_PREFIX = "faq-embeddings-"
CACHE_KEEP = 3  # cache files kept per model (older knowledge versions are removed)
SEEDS = Path(__file__).parent / "embeddings"  # vectors shipped with the knowledge (make vectors)


class _Embeds(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbeddingCache:
    """One `.npz` file per (model, sample texts) hash under the cache folder."""

    def __init__(self, folder: Path | None, model_id: str, seeds: tuple[Path, ...] | None = None):
        self.folder = folder
        self.seeds = seeds if seeds is not None else (SEEDS,) if SEEDS else ()
        self.model = hashlib.sha256(model_id.encode()).hexdigest()[:12]

    def vectors(self, texts: list[str], embedder: _Embeds) -> tuple[np.ndarray, bool]:
        """The vectors of `texts` and whether they all came from the cache."""
        cached = self.cached(texts)
        if cached is not None:
            return cached, True
        known = self._known()  # earlier knowledge versions and the shipped ones, per text
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, embedder.embed(missing), strict=True))
        vectors = np.stack([known[t] for t in texts]) if texts else embedder.embed([])
        if self.folder is not None:
            self._write(self._path(texts), texts, vectors)
        return vectors, False

    def cached(self, texts: list[str]) -> np.ndarray | None:
        """The vectors of exactly `texts` if a file holds them, else None (nothing embedded)."""
        if self.folder is None:
            return None
        found = self._read(self._path(texts))
        return found if found is not None and len(found) == len(texts) else None

    def _path(self, texts: list[str]) -> Path:
        return self.folder / f"{CACHE_PREFIX}{self.model}-{self._key(texts)}.npz"

    def _key(self, texts: list[str]) -> str:
        digest = hashlib.sha256()
        for text in texts:
            digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()[:24]

    def _files(self, folder: Path | None = None) -> list[Path]:
        folder = folder or self.folder
        pattern = f"{CACHE_PREFIX}{self.model}-*.npz"
        files = folder.glob(pattern) if folder and folder.is_dir() else []
        return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)

    def _read(self, path: Path) -> np.ndarray | None:
        try:
            with np.load(path, allow_pickle=False) as data:
                return data["vectors"]
        except (OSError, KeyError, ValueError):
            return None

    def _known(self) -> dict[str, np.ndarray]:
        known: dict[str, np.ndarray] = {}
        seeded = [path for seeds in self.seeds for path in self._files(seeds)]
        for path in seeded[::-1] + self._files()[::-1]:  # the newest wins
            try:
                with np.load(path, allow_pickle=False) as data:
                    known.update(zip(data["texts"].tolist(), data["vectors"], strict=True))
            except (OSError, KeyError, ValueError):
                continue
        return known

    def _write(self, path: Path, texts: list[str], vectors: np.ndarray) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npz")  # one per writer process
            np.savez(partial, texts=np.array(texts, dtype=str), vectors=vectors)
            partial.replace(path)  # atomic: a reader never sees half a file
            for old in self._files()[CACHE_KEEP:]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("semantic cache not written to %s: %s", self.folder, exc)
