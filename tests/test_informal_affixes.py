"""Chat Indonesian's "-in" (for "-kan") comes off verbs, never off words that end so themselves."""

from __future__ import annotations

import pytest

from knowledge import KNOWLEDGE_DIR
from knowledge.normalise import Normaliser


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser.load(KNOWLEDGE_DIR / "normalise.yaml")


@pytest.mark.parametrize(("informal", "formal"), [("daftarin", "daftarkan"), ("kirimin", "kirimkan")])
def test_an_informal_in_reads_as_kan(normaliser, informal: str, formal: str) -> None:
    assert normaliser.tokens(informal) == normaliser.tokens(formal)


@pytest.mark.parametrize("word", ["kemarin", "mungkin", "kahwin", "bermain", "dijamin"])
def test_words_ending_in_in_keep_it(normaliser, word: str) -> None:
    # session 14: "kemarin" (yesterday) was read as "kemarkan", "kahwin" (marry) as "kahwkan"
    assert normaliser.tokens(word) != normaliser.tokens(word[:-2] + "kan")
