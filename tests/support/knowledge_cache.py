"""The real knowledge loaded once per test process instead of once per `open_deps`.

Loading `knowledge/` (reading the YAML, indexing ~2,800 sample questions, learning the language
detector) takes about 0.5 s of CPU, and most tests open a `Deps`: that was a few minutes of CPU
per run. `open_deps` (through `wiring.deps.load_knowledge`) now gets a shared copy, under three
rules that keep every test as strict as with its own load:

- only the plain knowledge (default folder, no semantic stage) is shared;
- within one test only the first load gets it: a second `Deps` (a restart, another worker)
  loads its own, so nothing one of them changes can show up in the other;
- before it is handed out, the copy is checked against what it was when loaded (the number of
  sample questions, which curated phrasings add; the FAQ's clock, which tests set; the
  entries, contacts and holidays; the parts themselves). A copy a test changed is dropped and
  loaded again.

A test that changes the knowledge in some other way must load its own (`load_knowledge()`).

Tests that only read the knowledge (the accuracy tables, the lexical `faq` fixture) share one
more copy per process, `read_only_knowledge()`, which fails the next test that asks for it if
anything changed it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import wiring.deps
from knowledge import KNOWLEDGE_DIR, Knowledge, load_knowledge

_lock = threading.Lock()
_state: dict = {"shared": None, "print": None, "test": None, "given": None}
_read_only: dict = {"knowledge": None, "print": None}


def fingerprint(knowledge: Knowledge) -> tuple:
    """What a test could change in place: the sizes and identities named in the docstring."""
    faq = knowledge.faq
    matcher = faq.matcher
    return (
        id(knowledge.texts), id(faq), id(knowledge.intents), id(knowledge.language),
        id(knowledge.contacts), id(knowledge.holidays), id(matcher), id(faq.clock),
        id(matcher.thresholds), matcher.semantic, len(matcher.samples), len(faq.entries),
        len(knowledge.contacts), len(knowledge.holidays), len(faq.out_of_scope),
    )  # fmt: skip


def shared_knowledge(folder: Path = KNOWLEDGE_DIR, semantic=None) -> Knowledge:
    """`load_knowledge` for `open_deps`: the shared copy where the rules allow, else a load."""
    with _lock:
        test = _state["test"]
        if semantic is not None or Path(folder) != KNOWLEDGE_DIR or test is None:
            return load_knowledge(folder, semantic)
        if _state["given"] == test:  # a second Deps in this test: its own knowledge
            return load_knowledge(folder, semantic)
        shared = _state["shared"]
        if shared is None or fingerprint(shared) != _state["print"]:
            shared = _state["shared"] = load_knowledge(folder, semantic)
            _state["print"] = fingerprint(shared)
        _state["given"] = test
        return shared


def read_only_knowledge() -> Knowledge:
    """The real knowledge (lexical only), loaded once per process, for tests that only read it."""
    with _lock:
        knowledge = _read_only["knowledge"]
        if knowledge is None:
            knowledge = _read_only["knowledge"] = load_knowledge()
            _read_only["print"] = fingerprint(knowledge)
        elif fingerprint(knowledge) != _read_only["print"]:
            raise AssertionError(
                "a test before this one changed the shared read-only knowledge: it must load its own"
            )
        return knowledge


@pytest.fixture(autouse=True)
def _knowledge_once_per_process(request: pytest.FixtureRequest, monkeypatch) -> None:
    """Every test opens its Deps through `shared_knowledge`."""
    with _lock:
        _state["test"], _state["given"] = request.node.nodeid, None
    monkeypatch.setattr(wiring.deps, "load_knowledge", shared_knowledge)
