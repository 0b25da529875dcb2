"""The test support's shared read-only knowledge: one load per process, and a test that changed
it is caught by the next one that asks for it (tests/support/knowledge_cache.py)."""

from __future__ import annotations

import pytest

from tests.support import knowledge_cache
from tests.support.knowledge_cache import read_only_knowledge


def test_the_read_only_knowledge_is_loaded_once_and_a_change_to_it_is_caught(monkeypatch) -> None:
    # a state of this test's own, so the copy other tests share is never touched
    monkeypatch.setattr(knowledge_cache, "_read_only", {"knowledge": None, "print": None})
    first = read_only_knowledge()
    assert read_only_knowledge() is first
    assert first.faq.matcher.add_sample("financing", "en", "a phrasing a curator added today")
    with pytest.raises(AssertionError, match="changed the shared read-only knowledge"):
        read_only_knowledge()
