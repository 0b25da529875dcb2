"""/tinjau: reviewers verify or reject registrations; the owner is told in their language."""

from __future__ import annotations

import pytest

from handlers.registration.phone import display
from tests.support.chat import Chat
from tests.support.staff_helpers import (
    RecordingSender,
    add_registration,
    make_staff,
)


@pytest.fixture
async def reviewer(deps, assistant) -> Chat:
    await make_staff(deps, "7001", "reviewer")
    return Chat(assistant, "7001", language_hint="en")


async def test_card_shows_every_field(deps, reviewer) -> None:
    registration = await add_registration(
        deps, "2001", "en", email="siti@example.com", interests=("showcase", "training"),
        export_experience="once", export_countries="Malaysia",
    )
    await reviewer.send("/review")
    text = reviewer.text
    for expected in (
        registration.reference,
        "Keripik Ubi Ungu",
        "Siti Rahma",
        "Subsector: Culinary",  # stored codes show as labels in the reviewer's language
        "Scale: Micro",
        "Export experience: Once",
        "Interests: Little Bandung display, Training",
        "Language: English",
        "Coblong",
        display(registration.phone),  # readable, as in the owner's summary: +62 812-…
        "siti@example.com",
        "awaiting review",
        "telegram:2001",
        "(1 waiting)",
        "Consent given (WIB): 2026-11-01 07:00",  # stored as 00:00 UTC
    ):
        assert expected in text
    for code in ("kuliner", "mikro", "showcase", "Language: en"):
        assert code not in text
    assert reviewer.labels == ["✅ Verify", "❌ Reject", "⏭ Skip"]


async def test_verify_tells_owner_in_their_language(deps, reviewer) -> None:
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    registration = await add_registration(deps, "2002", "ms")
    await reviewer.send("/review")
    await reviewer.press("✅ Verify")
    assert f"{registration.reference} (Keripik Ubi Ungu) is verified" in reviewer.text
    assert "The owner has been told." in reviewer.text
    assert "No registrations are waiting" in reviewer.text
    [(user_id, replies)] = sender.sent
    assert user_id == "2002"
    assert "telah disahkan oleh kakitangan bandar raya" in replies[0].text  # Malay
    stored = await deps.storage.registrations.get(registration.id)
    assert (stored.status, stored.reviewed_by) == ("verified", "telegram:7001")
    [entry] = await deps.storage.audit.recent(action="review.verify")
    assert (entry.actor, entry.target) == ("telegram:7001", registration.reference)
    assert entry.detail["delivered"] is True


async def test_reject_asks_for_note_and_tells_owner(deps, reviewer) -> None:
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    registration = await add_registration(deps, "2003", "id")
    await reviewer.send("/review")
    await reviewer.press("❌ Reject")
    assert "Type a short note" in reviewer.text
    assert (await deps.storage.conversations.get(await _pk(deps, "7001"))).flow == "staff_review"
    await reviewer.send("   ")
    assert "Please type the note" in reviewer.text
    await reviewer.send("Mohon lengkapi NIB {{ 7*7 }}")
    assert "is rejected with your note" in reviewer.text
    [(_, replies)] = sender.sent
    notice = replies[0].text
    assert "belum dapat diterima" in notice  # Indonesian
    assert "Mohon lengkapi NIB {{ 7*7 }}" in notice  # the note is data, not a template
    stored = await deps.storage.registrations.get(registration.id)
    assert (stored.status, stored.staff_note) == ("rejected", "Mohon lengkapi NIB {{ 7*7 }}")
    assert await deps.storage.conversations.get(await _pk(deps, "7001")) is None
    [entry] = await deps.storage.audit.recent(action="review.reject")
    assert entry.detail["note"] == "Mohon lengkapi NIB {{ 7*7 }}"


async def test_reject_can_be_cancelled(deps, reviewer) -> None:
    registration = await add_registration(deps, "2004", "id")
    await reviewer.send("/review")
    await reviewer.press("❌ Reject")
    await reviewer.send("/cancel")
    assert (await deps.storage.registrations.get(registration.id)).status == "submitted"
    assert await deps.storage.audit.recent(action="review.reject") == []


async def test_without_sender_staff_is_told_and_status_shows_it(deps, assistant, reviewer) -> None:
    registration = await add_registration(deps, "2005", "en")
    await reviewer.send("/review")
    await reviewer.press("❌ Reject")
    await reviewer.send("Please add your NIB number")
    assert "could not be told right now" in reviewer.text
    [entry] = await deps.storage.audit.recent(action="review.reject")
    assert entry.detail["delivered"] is False
    if "status" not in assistant.router.commands:
        pytest.skip("the registration feature (/status) is not registered yet")
    owner = Chat(assistant, "2005")
    await owner.send("/status")
    assert registration.reference in owner.text
    assert "Please add your NIB number" in owner.text


async def test_skip_and_already_reviewed(deps, assistant, reviewer) -> None:
    first = await add_registration(deps, "2006", "id")
    second = await add_registration(deps, "2007", "id", business_name="Batik Sekar")
    await reviewer.send("/review")
    assert first.reference in reviewer.text and "(2 waiting)" in reviewer.text
    await reviewer.press("⏭ Skip")
    assert second.reference in reviewer.text
    await make_staff(deps, "7002", "reviewer")
    other = Chat(assistant, "7002", language_hint="en")
    await other.payload(f"rev:ok:{second.id}")
    await reviewer.press("✅ Verify")
    assert "already been reviewed" in reviewer.text
    assert first.reference in reviewer.text  # the next one is shown
    assert len(await deps.storage.audit.recent(action="review.verify")) == 1


async def test_blocked_owner_is_marked(deps, reviewer) -> None:
    from handlers.outbound import RecipientBlocked

    class Blocking(RecordingSender):
        async def send(self, user_id, replies):
            raise RecipientBlocked("Forbidden: bot was blocked by the user")

    deps.senders["telegram"] = Blocking()
    await add_registration(deps, "2008", "id")
    await reviewer.send("/review")
    await reviewer.press("✅ Verify")
    assert "could not be told right now" in reviewer.text
    assert (await deps.storage.users.get("telegram", "2008")).blocked


async def _pk(deps, user_id: str) -> int:
    return (await deps.storage.users.get("telegram", user_id)).id


async def test_reviewers_own_unfinished_registration_is_kept(deps, reviewer) -> None:
    """Reviewing (and rejecting with a note) in the middle of one's own form loses nothing."""
    deps.senders["telegram"] = RecordingSender()
    await reviewer.send("/register")
    await reviewer.press("reg:consent:yes")
    await reviewer.send("Dewi Lestari")  # owner name; the form now asks the business name
    registration = await add_registration(deps, "2009", "id")
    await reviewer.send("/review")
    await reviewer.press("❌ Reject")
    await reviewer.send("Please add your NIB number")
    assert "is rejected with your note" in reviewer.text
    assert "your unfinished registration is still saved" in reviewer.text
    assert (await deps.storage.registrations.get(registration.id)).status == "rejected"
    await reviewer.send("/register")
    assert "unfinished registration" in reviewer.text
    await reviewer.press("Continue")
    await reviewer.send("Batik Dewi")
    conv = await deps.storage.conversations.get(await _pk(deps, "7001"))
    assert conv.flow == "register"
    assert conv.draft["answers"] == {"owner_name": "Dewi Lestari", "business_name": "Batik Dewi"}
    assert "_kept" not in conv.draft


async def test_cancelling_a_staff_task_returns_to_the_kept_form(deps, reviewer) -> None:
    await reviewer.send("/register")
    await reviewer.press("reg:consent:yes")
    await add_registration(deps, "2010", "id")
    await reviewer.send("/review")
    await reviewer.press("❌ Reject")
    await reviewer.send("/cancel")
    assert "still saved" in reviewer.text
    conv = await deps.storage.conversations.get(await _pk(deps, "7001"))
    assert (conv.flow, conv.step, conv.draft["resume"]) == ("register", "resume", "owner_name")
