"""The intents file itself: the checks that refuse a broken one, and the consent and skip words
read from it (how messages are read: tests/test_intents.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handlers.registration.typed import consent_answer
from knowledge import KNOWLEDGE_DIR
from knowledge.intents import IntentRules
from knowledge.texts import KnowledgeError


@pytest.fixture(scope="module")
def rules() -> IntentRules:
    return IntentRules.load(KNOWLEDGE_DIR / "intents.yaml")


def _shipped() -> dict:
    return yaml.safe_load((KNOWLEDGE_DIR / "intents.yaml").read_text(encoding="utf-8"))


def _written(folder: Path, data: dict) -> Path:
    path = folder / "intents.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "skip"),
    [("blm punya nib", True), ("skip", True), ("tidak ada", True), ("don't have one", True),
     ("tiada", True), ("teu acan", True), ("teu gaduh website", True),
     ("1234567890123", False), ("toko@gmail.com", False)],
)  # fmt: skip
def test_skip_words(rules, text, skip) -> None:
    assert rules.is_skip(text) is skip


def test_a_bare_no_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    text = yaml.safe_dump(_shipped(), allow_unicode=True).replace("- n a\n", "- n a\n- no\n", 1)
    path.write_text(text.replace("'no'", "no"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="in quotes"):
        IntentRules.load(path)


@pytest.mark.parametrize(
    ("text", "said"),
    [("Iya!", "agree"), ("sumuhun", "agree"), ("saya setuju.", "agree"), ("yes", "agree"),
     ("henteu", "decline"), ("no", "decline"), ("wow", None), ("sip", None),
     ("ya tapi data sy aman?", None),
     # changed one's mind, with address words (session 12's walk: asked again three times)
     ("ga jadi deh", "decline"), ("nanti aja min", "decline"), ("tak nak", "decline"),
     ("setuju min", "agree"), ("ya dong", None), ("cek status dong", None)],
)  # fmt: skip
def test_a_typed_consent_is_read_from_the_file(rules, text, said) -> None:
    assert consent_answer(rules, text) == said


def test_the_consent_words_are_edited_in_the_file(tmp_path: Path) -> None:
    data = _shipped()
    data["consent"]["agree"].append("mangga")  # Sundanese "please, go ahead"
    assert consent_answer(IntentRules.load(_written(tmp_path, data)), "mangga") == "agree"
    del data["consent"]
    with pytest.raises(KnowledgeError, match="consent"):
        IntentRules.load(_written(tmp_path, data))


def test_a_missing_action_names_the_file_and_the_action(tmp_path: Path) -> None:
    data = _shipped()
    del data["actions"]["handoff"]
    with pytest.raises(KnowledgeError, match="actions: handoff"):
        IntentRules.load(_written(tmp_path, data))


def test_a_typed_answer_means_one_button_of_a_form_question(tmp_path: Path) -> None:
    data = _shipped()
    assert IntentRules.load(_written(tmp_path, data)).choice("cancel", "nanti aja") == "keep"
    data["form_choices"]["cancel"]["discard"].append("nanti")  # "later" cannot also throw away
    with pytest.raises(KnowledgeError, match="form_choices: cancel: discard and keep both hold 'nanti'"):
        IntentRules.load(_written(tmp_path, data))
