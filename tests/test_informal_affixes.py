"""Chat Indonesian's "-in" (for "-kan") comes off verbs, never off words that end so themselves;
a synonym's word with "-nya" ("its") is still that synonym."""

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


@pytest.mark.parametrize(("with_nya", "word"), [("perintahnya", "command"), ("biayanya", "fee"), ("syaratnya", "requirements")])
def test_a_synonym_with_nya_is_still_that_synonym(normaliser, with_nya: str, word: str) -> None:
    # session 19: "perintahnya apa aja min" missed the synonym "perintah" = "command" and was
    # answered with how to register (development tables V and W)
    assert normaliser.tokens(with_nya) == normaliser.tokens(with_nya[:-3])
    assert normaliser.tokens(word) == normaliser.tokens(with_nya[:-3])


@pytest.mark.parametrize("word", ["punya", "tanya", "hanya"])
def test_a_word_ending_in_nya_itself_is_kept(normaliser, word: str) -> None:
    assert normaliser.tokens(word) != normaliser.tokens(word[:-3] or "x")
