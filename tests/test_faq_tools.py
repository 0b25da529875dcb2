"""FAQ tools: reload, curated phrasings, `bot.py ask`, `bot.py check-knowledge`, normalising."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from handlers import faq as faq_handlers
from handlers.memory import freeze_live
from handlers.registration.fields import texts_needed
from knowledge import KNOWLEDGE_DIR, KnowledgeError, load_knowledge
from knowledge.cli import check_knowledge
from wiring.deps import open_deps

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A temporary copy of the knowledge folder to break."""
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_normaliser_reads_chat_slang_and_synonyms() -> None:
    norm = load_knowledge().faq.matcher.normaliser
    assert norm.tokens("Gmn caranya daftar UMKM kak??") == norm.tokens(
        "bagaimana cara registrasi UKM"
    )
    assert norm.tokens("MEA") == norm.tokens("Komuniti Ekonomi ASEAN") == norm.tokens("AEC")
    assert norm.tokens("sister city") == norm.tokens("bandar berkembar") == norm.tokens("twin town")
    assert norm.tokens("mahal bangeeet") == norm.tokens("mahal banget")
    # Malaysian chat: short forms, final -e for -a, tags like 'ya' (session 9, issue 14)
    assert norm.tokens("cmne nk daftar bisnes kat bot ni ek") == norm.tokens(
        "macam mana nak daftar perniagaan kat bot ini"
    )
    assert norm.tokens("xde ke kedai little bandung kat kl") == norm.tokens(
        "tidak ada kedai little bandung di kl"
    )
    assert norm.tokens("ape bende ekraf tu, bole terangkan sbb sy xtau") == norm.tokens(
        "apa benda ekonomi kreatif itu, boleh terangkan sebab saya tidak tahu"
    )
    assert norm.analyse("halo min!").small_talk == "greeting"
    assert norm.analyse("makasih kak").small_talk == "thanks"
    assert norm.analyse("halo, cara daftar?").small_talk is None


async def test_reload_picks_up_changes_and_keeps_old_knowledge_on_error(
    deps, folder: Path, monkeypatch
) -> None:
    monkeypatch.setattr(faq_handlers, "load_knowledge", lambda **kw: load_knowledge(folder, **kw))
    old = deps.knowledge
    edit(
        folder / "faq" / "mea.yaml",
        "MEA (Masyarakat Ekonomi ASEAN",
        "MEA* (Masyarakat Ekonomi ASEAN",
    )
    assert await faq_handlers.reload_knowledge(deps) is None
    assert deps.knowledge is not old
    assert deps.knowledge.faq.render("mea-what", "id").startswith("MEA*")
    good = deps.knowledge
    edit(folder / "faq" / "mea.yaml", "related: [", "related: [no-such-topic, ")
    error = await faq_handlers.reload_knowledge(deps)
    assert error is not None and "mea.yaml" in error and "no-such-topic" in error
    assert deps.knowledge is good


async def test_a_reload_after_start_up_froze_lets_the_old_knowledge_go(
    deps, folder: Path, monkeypatch
) -> None:
    monkeypatch.setattr(faq_handlers, "load_knowledge", lambda **kw: load_knowledge(folder, **kw))
    assert await faq_handlers.reload_knowledge(deps) is None  # a knowledge of this test's own
    old = weakref.ref(deps.knowledge)
    try:
        freeze_live()  # as the runners do after start-up
        assert await faq_handlers.reload_knowledge(deps) is None
        assert old() is None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    # Had the old knowledge's cycles stayed frozen, they would only be found now.
    assert gc.collect() < 1000


async def test_curated_phrasings_are_live_at_once_and_survive_restart(settings, deps) -> None:
    question = "zzkop bandung tempat ngopi umkm"
    assert deps.knowledge.faq.matcher.decide(question).kind != "answer"
    added = await faq_handlers.add_phrasings(deps, "events-schedule", "id", [question, question])
    assert added == 1
    decision = deps.knowledge.faq.matcher.decide(question)
    assert (decision.kind, decision.topic) == ("answer", "events-schedule")
    with pytest.raises(KeyError):
        await faq_handlers.add_phrasings(deps, "no-such-topic", "id", ["x"])
    await faq_handlers.reload_knowledge(deps)  # phrasings survive a reload ...
    assert deps.knowledge.faq.matcher.decide(question).topic == "events-schedule"
    second = await open_deps(settings)  # ... and a restart
    try:
        assert second.knowledge.faq.matcher.decide(question).topic == "events-schedule"
    finally:
        await second.storage.close()


def run_bot(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "sqlite:////nonexistent/never/used.sqlite3",
        "SEMANTIC_MATCHING": "false",
    }
    return subprocess.run(
        [sys.executable, "bot.py", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_ask_json_answers_arguments_without_a_database() -> None:
    result = run_bot("ask", "--json", "--lang", "en", "apa itu little bandung", "resep rendang")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert set(first) == {"question", "topic", "score", "language", "answer", "intent", "action"}
    assert (first["topic"], first["language"]) == ("little-bandung-what", "en")
    assert (first["intent"], first["action"]) == ("faq", None)
    assert first["answer"] == load_knowledge().faq.render("little-bandung-what", "en")
    assert second["topic"] is None and second["question"] == "resep rendang"
    assert (second["intent"], second["action"]) == ("fallback", None)


def test_ask_json_names_intent_action_and_the_detected_language() -> None:
    questions = [
        "cek status pendaftaran sy dong",
        "siap min, nuhun",
        "how do I join little bandung",
        "saya nak bercakap dengan pegawai",
        "Sorry, can you reply in English please?",
    ]
    result = run_bot("ask", "--json", *questions)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    found = [(r["intent"], r["action"], r["topic"], r["language"]) for r in rows]
    assert found == [
        ("action", "status", None, "id"),
        ("smalltalk", None, None, "id"),
        ("faq", None, "little-bandung-join", "en"),
        ("action", "handoff", None, "ms"),
        ("action", "language", None, "en"),
    ]
    assert rows[1]["answer"] == load_knowledge().texts.render("id", "smalltalk.thanks")
    assert rows[2]["answer"] == load_knowledge().faq.render("little-bandung-join", "en")


def test_ask_reads_questions_from_stdin() -> None:
    result = run_bot("ask", "--json", stdin="cara daftar nib di oss\n\nsyarat sertifikat halal\n")
    assert result.returncode == 0, result.stderr
    topics = [json.loads(line)["topic"] for line in result.stdout.splitlines()]
    assert topics == ["nib-oss", "halal-cert"]


def test_check_knowledge_passes_on_the_real_files() -> None:
    result = run_bot("check-knowledge")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


BREAKAGES = {
    "schema": ("faq/mea.yaml", "  confidence: ", "  confidense: ", "missing field 'confidence'"),
    "duplicate id": ("faq/mea.yaml", "- id: mea-members", "- id: mea-what", "duplicate id"),
    "missing language": (
        "faq/umkm.yaml",
        "    ms: Apa itu UMKM/PKS?",
        "    xx: Apa",
        "title.ms is missing",
    ),
    "template": ("faq/help.yaml", "{{ contacts.", "{{ contacts.nowhere.", "does not render"),
    "related": (
        "faq/permits.yaml",
        "related: [",
        "related: [nope-topic, ",
        "'nope-topic' does not exist",
    ),
    "title length": (
        "faq/mea.yaml",
        "    en: What is the AEC (MEA)?",
        "    en: What is the ASEAN Economic Community?",
        "characters (max 24)",
    ),
    "ui text language": ("texts/ms/faq.yaml", "faq.thanks:", "faq.thanks_typo:", "ms: faq.thanks"),
    "yaml": ("normalise.yaml", "slang:", "slang: [", "normalise.yaml"),
    "keywords": ("faq/mea.yaml", "  keywords: [", "  keywords: [[1], ", "keywords must be a list"),
    "unknown field": ("faq/mea.yaml", "  source: ", "  sauce: x\n  source: ", "unknown field 'sauce'"),
    "per-language shape": ("faq/mea.yaml", "  title:", "  title: one\n  titlex:", "title must give"),
    "examples topic": ("examples.yaml", "topics:\n  bot-help:", "topics:\n  bot-halp:", "'bot-halp'"),
    "examples language": ("examples.yaml", "chat:\n  id:", "chat:\n  jv:", "unknown language 'jv'"),
    "examples shape": ("examples.yaml", "chat:\n", "chatter:\n", "wrong at chatter"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_check_knowledge_names_file_and_entry_for_each_error(folder: Path, name: str) -> None:
    path, old, new, message = BREAKAGES[name]
    edit(folder / path, old, new)
    errors, _warnings = check_knowledge(folder)
    assert any(message in e for e in errors), errors
    if path.startswith("faq/"):
        assert any(path.split("/")[1] in e for e in errors)
        with pytest.raises(KnowledgeError):
            load_knowledge(folder)
    if name == "related":
        assert run_bot("check-knowledge", "--folder", str(folder)).returncode == 1


def test_self_consistency_report_flags_a_question_that_fits_another_topic(folder: Path) -> None:
    edit(
        folder / "faq" / "mea.yaml",
        "      - Apa itu MEA?",
        "      - Apa itu MEA?\n      - Bagaimana cara mendapatkan NIB lewat OSS?",
    )
    errors, warnings = check_knowledge(folder)
    assert errors == []
    assert any("mea.yaml: mea-what" in w and "nib-oss" in w for w in warnings), warnings


def test_check_knowledge_requires_every_form_text_in_every_language(folder: Path) -> None:
    """A registration field's question, label and options must exist in id, en and ms."""
    assert check_knowledge(folder, texts_needed())[0] == []
    for lang in ("id", "en", "ms"):  # gone everywhere: only the declaration knows it is needed
        path = folder / "texts" / lang / "register.yaml"
        path.write_text(path.read_text().replace("register.label.district:", "register.x:"))
    errors, _ = check_knowledge(folder, texts_needed())
    assert [e for e in errors if "register.label.district" in e] == [
        f"{folder / 'texts'}: {lang}: register.label.district is missing (the code uses it)"
        for lang in ("id", "en", "ms")
    ]
    assert run_bot("check-knowledge", "--folder", str(folder)).returncode == 1
