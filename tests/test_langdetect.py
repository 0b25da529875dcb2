"""The language detector on its own: priors, ties, Malay and Indonesian markers, letters, the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KNOWLEDGE_DIR, load_knowledge
from knowledge.langdetect import GRAM_CAP, LanguageDetector, load_markers
from knowledge.texts import KnowledgeError


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def test_the_detector_keeps_the_prior_when_a_message_does_not_tell(knowledge) -> None:
    detector = knowledge.language
    assert detector.guess("ok", prior="ms").language == "ms"
    assert not detector.guess("menu", prior="en").sure
    sure = detector.guess("gimana caranya daftar nib di oss kak", prior="en")
    assert (sure.language, sure.sure) == ("id", True)
    assert detector.guess("macam mana nak mohon sijil halal", prior="id").language == "ms"


def test_malay_phrases_and_a_closing_ke_tell_malay_from_indonesian(knowledge) -> None:
    detector = knowledge.language
    for text in ("permohonan sy dah lulus ke", "hai cik, selamat tengah hari", "ok ke tak"):
        assert detector.guess(text).language == "ms", text
    assert detector.guess("mau ke kantor dinas").language == "id"  # "ke" that goes somewhere


def test_english_with_malay_or_indonesian_words_mixed_in_is_their_writers_language(knowledge):
    detector = knowledge.language
    for text in ("boleh tak I register my company through this chat?",
                 "can I edit my registration ke after submit?",
                 "I nak export product to Indonesia, what paperwork ah?"):  # fmt: skip
        guess = detector.guess(text)
        assert (guess.language, guess.sure) == ("ms", True), text
    assert detector.guess("btw gimana how do I apply for the NIB online?").language == "id"
    for text in ("can you solve this algebra homework for me: 2x+5=17", "ok lah thanks",
                 "how many SMEs in Bandung ah?"):  # "x", "lah", "ah": English chat's too
        assert detector.guess(text).language == "en", text


def test_a_tie_without_a_prior_goes_to_indonesian_then_malay_never_first_to_english(knowledge):
    detector = knowledge.language
    assert detector.guess("terima kasih").language == "id"  # both write it alike
    assert detector.guess("hi encik").language == "ms"  # Malay chat borrows "hi"
    alone = LanguageDetector()  # one word of each language, seen as often: English and Malay tie
    for lang, word in (("id", "dong"), ("en", "hi"), ("ms", "encik")):
        alone.learn(lang, [word], weight=5)
    tied = alone.guess("hi encik")
    assert tied.margin < 0.3 and tied.language == "ms"


def test_a_marker_of_three_words_is_refused(tmp_path: Path) -> None:
    text = (KNOWLEDGE_DIR / "language_words.yaml").read_text(encoding="utf-8")
    path = tmp_path / "language_words.yaml"
    path.write_text(text.replace("last_ms: [ke, sangat]", "last_ms: [ke, sangat, dah ke]"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="last_ms: too many words in dah ke"):
        load_markers(path)
    path.write_text(text.replace("tengah hari,", "selamat tengah hari,"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="ms: too many words in selamat tengah hari"):
        load_markers(path)
    path.write_text(text, encoding="utf-8")
    found = load_markers(path)
    assert "tengah hari" in found["ms"] and found["last_ms"] == ["ke", "sangat"]


def test_an_unknown_long_word_is_read_by_its_letters() -> None:
    """A word no text uses counts by its letter trigrams, weakly: "disember" is Malay spelling."""
    detector = LanguageDetector()
    detector.learn("id", ["desember november september bulan"])
    detector.learn("ms", ["disember november september bulan"])
    detector.learn("en", ["december november september month"])
    assert detector.guess("pameran bulan dissember").language == "ms"
    assert detector.scores("dissember")["id"] >= -GRAM_CAP  # spelling is weak evidence
    assert detector.guess("pameran bulan desmber").language == "id"


def test_words_both_neighbours_share_are_still_not_english(knowledge) -> None:
    """ "terima kasih" tells nothing between Indonesian and Malay, but it is not English: a Malay
    user's "bye, terima kasih" keeps Malay (was English by one borrowed word)."""
    detector = knowledge.language
    assert detector.guess("bye, terima kasih", prior="ms").language == "ms"
    assert detector.guess("ok, terima kasih banyak").language == "id"  # a tie: Indonesian first
    assert detector.guess("main menu pls").language == "en"  # "menu" is English too


def test_calendar_and_number_words_tell_malay_from_indonesian(knowledge) -> None:
    guess = knowledge.language.guess
    assert guess("pameran tu bila, bulan mac ke julai").language == "ms"
    assert guess("modal 2 miliar cukup").language == "id"
    assert guess("harga lapan ringgit").language == "ms"


@pytest.mark.parametrize(
    "text", ["ibu negara thailand apa", "gaji minimum berapa sekarang", "harga resipi rendang",
             "kerja sekolah anak", "ok set"],
)  # "ibu kota", "upah minimum", "resep", "PR", "oke": Indonesian writes these otherwise
def test_malay_words_and_phrases_indonesian_writes_otherwise(knowledge, text) -> None:
    assert knowledge.language.guess(text).language == "ms"


def test_a_leading_x_is_malaysian_chat_for_tak(knowledge) -> None:
    detector = knowledge.language
    assert detector.scores("sy xperlu bantuan") == detector.scores("sy tak perlu bantuan")
    assert detector.guess("xnak daftar").language == "ms"
    assert detector.guess("xbox murah").margin < 0.3  # not "tak box": "box" is no Malay word
