"""One embedding of the real knowledge's sample questions per test run, shared by every worker.

Embedding the ~2,500 sample questions takes about 27 s of CPU. Each xdist worker used to do it
in its own setup (twice per run on two workers, and again in every run with `-p
no:cacheprovider` or on a fresh clone). Now:

- the controller picks one cache folder for the run (pytest's cache when it is on, else a
  temporary folder removed at the end) and hands it to every worker;
- the first worker that collects a test needing the semantic FAQ starts one background process
  (`python -m tests.support.semantic_cache FOLDER`) that fills the cache while the workers run
  other tests; that process holds an exclusive lock on `FOLDER/lock` until it is done;
- the `semantic_faq` fixture takes the same lock before loading, so it waits for the
  background process and then reads the cache (or, if there was none, embeds under the lock
  itself and the other worker reads what it wrote).

A worker waiting on the lock leaves its core to the background process, so no CPU is lost.
After the samples, the same process embeds the test tables' questions
(tests/support/question_vectors.py), which the fixture hands to the index.

Across runs and clones: whoever fills the run's folder first copies in the files of the user's
cache (`$XDG_CACHE_HOME` or `~/.cache`, `umkm-bot/faq-embeddings`), shared by every clone and
worktree on the machine, and copies the file it ends with back there. The stage reuses cached
vectors per text (knowledge/semantic.py), so a fresh clone embeds only the sample texts that no
run on the machine embedded before (none, if its knowledge is one seen already) instead of all
of them (~40 s of CPU). The run's folder stays its own: other runs never change it mid-run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.embedding_cache import CACHE_PREFIX
from tests.support import question_vectors
from tests.support.question_vectors import preload

ROOT = Path(__file__).resolve().parents[2]
_FOLDER = pytest.StashKey[Path]()
_TEMPORARY = pytest.StashKey[bool]()
_WARMING: list[subprocess.Popen] = []
WORKER_KEY = "faq_embeddings"
SHARED_KEEP = 8  # files kept in the user's cache (knowledge versions of several clones)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "semantic_faq: uses the real knowledge with the semantic stage (embeddings)"
    )
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and WORKER_KEY in workerinput:
        config.stash[_FOLDER] = Path(workerinput[WORKER_KEY])
        return
    cache = getattr(config, "cache", None)
    if cache is not None:  # kept between runs: later runs only embed what changed
        folder, temporary = cache.mkdir("faq-embeddings"), False
    else:
        folder, temporary = Path(tempfile.mkdtemp(prefix="faq-embeddings-")), True
    for marker in folder.glob("warm-*"):  # a folder kept from an earlier run
        marker.unlink(missing_ok=True)
    config.stash[_FOLDER], config.stash[_TEMPORARY] = folder, temporary


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist: every worker uses the controller's folder."""
    node.workerinput[WORKER_KEY] = str(node.config.stash[_FOLDER])


def pytest_collection_finish(session: pytest.Session) -> None:
    """On an xdist worker, start filling the cache if a collected test will need it."""
    config = session.config
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or not any(_needs_semantic(item) for item in session.items):
        return
    folder = config.stash[_FOLDER]
    fd = os.open(folder / "lock", os.O_CREAT | os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # the other worker is starting it, or it runs already
        marker = folder / f"warm-{workerinput.get('testrunuid', 'run')}"
        if marker.exists():
            return
        marker.touch()
        log = open(folder / "warm.log", "wb")  # noqa: SIM115 - the child writes to it
        with log:
            # The child inherits the locked descriptor: the lock is held until it exits.
            _WARMING.append(subprocess.Popen(
                [sys.executable, "-m", "tests.support.semantic_cache", str(folder)],
                cwd=ROOT, pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            ))  # fmt: skip
    finally:
        os.close(fd)


def pytest_unconfigure(config: pytest.Config) -> None:
    for proc in _WARMING:
        if proc.poll() is None:  # the run was cut short before any test needed it
            proc.kill()
        proc.wait()
    if config.stash.get(_TEMPORARY, False):
        shutil.rmtree(config.stash[_FOLDER], ignore_errors=True)


def _needs_semantic(item: pytest.Item) -> bool:
    return "semantic_faq" in getattr(item, "fixturenames", ()) or bool(
        item.get_closest_marker("semantic_faq")
    )


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold `folder/lock`: wait for whoever fills the cache, and keep others out meanwhile."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "lock", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@pytest.fixture(scope="session")
def semantic_cache(request: pytest.FixtureRequest) -> Path:
    """This run's cache of the real knowledge's sample embeddings (shared by the workers)."""
    return request.config.stash[_FOLDER]


@pytest.fixture(scope="session")
def semantic_faq(embedder, semantic_cache: Path):
    """The real knowledge with the semantic stage; read it, do not change it."""
    from knowledge import load_knowledge
    from knowledge.semantic import SemanticOptions

    with locked(semantic_cache), shared_files(semantic_cache):
        faq = load_knowledge(semantic=SemanticOptions(embedder, semantic_cache)).faq
        preload(faq, semantic_cache)  # the tables' questions, if the background process stored them
    return faq


@pytest.fixture(
    scope="module",
    params=["lexical", pytest.param("semantic", marks=pytest.mark.semantic_faq)],
)
def faq(request: pytest.FixtureRequest):
    """The real FAQ lexical only, and with the semantic stage (the default in production): a
    test taking `faq` runs once for each; read it, do not change it."""
    if request.param == "semantic":
        return request.getfixturevalue("semantic_faq")
    from tests.support.knowledge_cache import read_only_knowledge

    return read_only_knowledge().faq


def warm(folder: Path) -> None:
    """Embed the real knowledge's samples, then the test tables' questions, into `folder` (cache
    hits for what was embedded before)."""
    from knowledge import load_knowledge
    from knowledge.semantic import SemanticOptions, load_embedder

    embedder = load_embedder(1)
    if embedder is not None:
        with shared_files(folder):
            load_knowledge(semantic=SemanticOptions(embedder, folder))
            question_vectors.store(folder, embedder)


def user_cache() -> Path | None:
    """The machine-wide folder of sample embeddings for the tests, or None if unwritable."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(base) / "umkm-bot" / "faq-embeddings"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _newest(folder: Path) -> list[Path]:
    """The cache files in `folder`, newest first (another run may remove one meanwhile)."""
    found: list[tuple[float, Path]] = []
    for path in folder.glob(f"{CACHE_PREFIX}*.npz"):
        if ".tmp." not in path.name:
            with contextlib.suppress(OSError):
                found.append((path.stat().st_mtime, path))
    return [path for _, path in sorted(found, reverse=True)]


def _copy(source: Path, target: Path) -> None:
    """Copy `source` to `target` whole or not at all (readers never see half a file)."""
    partial = target.with_name(f".partial-{os.getpid()}-{target.name}")
    try:
        shutil.copy2(source, partial)
        os.replace(partial, target)
    except OSError:  # another run removed the source meanwhile, or the disk is full
        partial.unlink(missing_ok=True)


@contextlib.contextmanager
def shared_files(folder: Path) -> Iterator[None]:
    """Seed `folder` from the user's cache before the stage loads; give back what it wrote."""
    shared = user_cache()
    if shared is None:
        yield
        return
    for path in _newest(shared)[:SHARED_KEEP]:
        if not (folder / path.name).exists():
            _copy(path, folder / path.name)
    yield
    newest: dict[str, Path] = {}  # per model key (samples, table questions): the file this load
    for path in _newest(folder):  # read or wrote
        newest.setdefault(path.name[len(CACHE_PREFIX):].split("-")[0], path)
    for path in newest.values():
        if not (shared / path.name).exists():
            _copy(path, shared / path.name)
            with contextlib.suppress(OSError):  # the newest there: pruned last
                os.utime(shared / path.name)
    for old in _newest(shared)[SHARED_KEEP:]:
        old.unlink(missing_ok=True)


if __name__ == "__main__":  # the background process; the lock came with its descriptors
    warm(Path(sys.argv[1]))
