"""/belumterjawab: similar unanswered questions grouped; linking makes them answer, for good."""

from __future__ import annotations

import pytest

from bot import open_deps
from handlers import Assistant
from tests.chat import Chat

ASKED = [
    ("3001", "kapan ada bazar umkm di gedung sate"),
    ("3002", "kapan ada bazar umkm di gedung sate?"),
    ("3003", "kapan ada bazar UMKM di Gedung Sate kak"),
    ("3004", "resep rendang padang yang enak"),
]


@pytest.fixture
async def asked(deps, assistant) -> None:
    for user_id, question in ASKED:
        await Chat(assistant, user_id, language_hint="id").send(question)
    assert all(not q.answered for q in [await deps.storage.questions.get(i) for i in (1, 2, 3, 4)])


@pytest.fixture
def admin(assistant) -> Chat:
    return Chat(assistant, "9000", language_hint="en")


async def test_groups_with_counts_and_languages(asked, admin) -> None:
    replies = await admin.send("/unanswered")
    assert "4 unanswered questions from the last 30 days, in 2 groups" in replies[0].text
    first, second = replies[1], replies[2]
    assert "Group 1 · 3× · id 3 · number 1" in first.text
    assert "“kapan ada bazar umkm di gedung sate”" in first.text
    assert "Group 2 · 1× · id 1 · number 4" in second.text
    assert [b.payload for b in first.buttons][-1] == "una:i:1"
    assert all(b.payload.startswith("una:l:1:") for b in first.buttons[:-1])


async def test_link_answers_afterwards_and_survives_restart(
    deps, settings, asked, assistant, admin
) -> None:
    asker = Chat(assistant, "3009", language_hint="id")
    await asker.send("kapan ada bazar umkm di gedung sate")
    assert (await deps.storage.questions.get(5)).answered is False
    await admin.send("/unanswered link 1 events-schedule")
    assert "questions linked to events-schedule" in admin.text
    [entry] = await deps.storage.audit.recent(action="unanswered.link")
    assert entry.target == "events-schedule" and entry.detail["questions"] == [1, 2, 3, 5]
    expected = deps.knowledge.faq.render("events-schedule", "id")
    await asker.send("kapan ada bazar umkm di gedung sate")
    assert asker.text.startswith(expected[:60])
    await admin.send("/unanswered")
    assert "Group 1 · 1× · id 1 · number 4" in admin.text  # the linked group is gone

    # A new process on the same database, then a knowledge reload: still answered.
    fresh = await open_deps(settings)
    try:
        again = Chat(Assistant(fresh), "3010", language_hint="id")
        await again.send("kapan ada bazar UMKM di Gedung Sate kak")
        assert again.text.startswith(expected[:60])
        await Chat(Assistant(fresh), "9000").send("/reload")
        await again.send("kapan ada bazar UMKM di Gedung Sate kak")
        assert again.text.startswith(expected[:60])
    finally:
        await fresh.storage.close()


async def test_ignore_stays_ignored(deps, asked, assistant, admin) -> None:
    await admin.payload("una:i:4")
    assert admin.text == "1 questions ignored; they will not be listed again."
    assert (await deps.storage.questions.get(4)).status == "ignored"
    await admin.send("/unanswered")
    assert "number 4" not in admin.text
    await admin.payload("una:i:4")
    assert "already been handled" in admin.text


async def test_link_button_and_bad_input(deps, asked, admin) -> None:
    replies = await admin.send("/unanswered")
    await admin.press(replies[1].buttons[0].payload)
    assert "questions linked to" in admin.text
    await admin.send("/unanswered link 4 no-such-topic")
    assert "There is no topic “no-such-topic”" in admin.text
    await admin.send("/unanswered link x")
    assert admin.text.startswith("Usage:")
    await admin.send("/unanswered topics")
    assert "events-schedule" in admin.text
    await admin.payload("una:l:999:events-schedule")
    assert "already been handled" in admin.text


async def test_empty_log(admin) -> None:
    await admin.send("/belumterjawab")
    assert "No unanswered questions" in admin.text


async def test_reload_keeps_old_knowledge_on_error(deps, admin, monkeypatch) -> None:
    from knowledge import KnowledgeError

    old = deps.knowledge

    def broken():
        raise KnowledgeError("knowledge/faq/mea.yaml: mea-what: answer.en: missing")

    with monkeypatch.context() as patch:
        patch.setattr("handlers.faq.load_knowledge", broken)
        await admin.send("/reload")
    assert "nothing was changed" in admin.text
    assert "knowledge/faq/mea.yaml: mea-what: answer.en: missing" in admin.text
    assert deps.knowledge is old
    [entry] = await deps.storage.audit.recent(action="knowledge.reload")
    assert entry.detail["ok"] is False
    await admin.send("/reload")
    assert admin.text.startswith("Knowledge reloaded")
    assert deps.knowledge is not old
