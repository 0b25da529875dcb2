"""/staf: admins grant and remove roles from the chat; every change is audited."""

from __future__ import annotations

import pytest

from tests.support.chat import Chat


@pytest.fixture
def admin(assistant) -> Chat:
    return Chat(assistant, "9000", language_hint="en")


async def test_grant_lets_the_member_in_and_is_audited(deps, assistant, admin) -> None:
    member = Chat(assistant, "55", language_hint="en")
    await member.send("/stats")
    assert "I don't know the command /stats" in member.text
    await admin.send("/staff add telegram:55 viewer")
    assert admin.text == "telegram:55 now has the role Viewer. Recorded in the audit log."
    assert await deps.storage.roles.roles_of("telegram", "55") == {"viewer"}
    [entry] = await deps.storage.audit.recent(action="role.grant")
    assert (entry.actor, entry.target, entry.detail) == (
        "telegram:9000",
        "telegram:55",
        {"role": "viewer"},
    )
    await member.send("/stats")
    assert "Statistics" in member.text
    await admin.send("/staff add telegram:55 viewer")
    assert "already has the role Viewer" in admin.text
    assert len(await deps.storage.audit.recent(action="role.grant")) == 1


async def test_remove_takes_the_role_away(deps, assistant, admin) -> None:
    await admin.send("/staf tambah telegram:56 peninjau")  # Indonesian words work too
    assert await deps.storage.roles.roles_of("telegram", "56") == {"reviewer"}
    member = Chat(assistant, "56", language_hint="en")
    await member.send("/review")
    assert "No registrations are waiting" in member.text
    await admin.send("/staf hapus telegram:56 reviewer")
    assert "was taken from telegram:56" in admin.text
    assert await deps.storage.roles.roles_of("telegram", "56") == set()
    [entry] = await deps.storage.audit.recent(action="role.revoke")
    assert (entry.target, entry.detail) == ("telegram:56", {"role": "reviewer"})
    await member.send("/review")
    assert "I don't know the command /review" in member.text
    await admin.send("/staff remove telegram:56 reviewer")
    assert "does not have the role Reviewer" in admin.text


async def test_granted_admin_can_grant(deps, assistant, admin) -> None:
    await admin.send("/staff add whatsapp:6281234567890 admin")
    deputy = Chat(assistant, "6281234567890", channel="whatsapp", language_hint="en")
    await deputy.send("/staff add telegram:57 broadcaster")
    assert "now has the role Broadcaster" in deputy.text
    [entry] = await deps.storage.audit.recent(action="role.grant", limit=1)
    assert entry.actor == "whatsapp:6281234567890"


async def test_configured_admin_stays_admin(deps, admin) -> None:
    await admin.send("/staff remove telegram:9000 admin")
    assert "only be changed in the configuration" in admin.text
    await admin.send("/staff")
    assert "telegram:9000" in admin.text


async def test_list_shows_members_and_roles(deps, admin) -> None:
    await admin.send("/staff add telegram:58 viewer")
    await admin.send("/staff add telegram:58 reviewer")
    await admin.send("/staff")
    assert "• telegram:58: Reviewer, Viewer" in admin.text
    assert "Admins from the configuration (ADMIN_IDS): telegram:9000" in admin.text
    assert [e.action for e in await deps.storage.audit.recent(limit=1)] == ["staff.list"]


@pytest.mark.parametrize(
    "args",
    [
        "add",
        "add telegram:58",
        "add 58 viewer",
        "add telegram:58 boss",
        "promote telegram:58 viewer",
        "add sms:58 viewer",
        "add telegram:58 viewer extra",
        "add telegram:'; DROP TABLE users;-- viewer",
    ],
)
async def test_bad_input_shows_usage_and_changes_nothing(deps, admin, args: str) -> None:
    await admin.send(f"/staff {args}")
    assert admin.text.startswith("Usage:")
    assert await deps.storage.roles.all() == []
    assert await deps.storage.audit.recent(action="role.grant") == []


async def test_roles_read_as_labels_in_the_staff_members_language_and_labels_can_be_typed(
        deps, assistant) -> None:
    indonesian = Chat(assistant, "9000", language_hint="id")
    await indonesian.send("/staf tambah telegram:61 peninjau")
    assert indonesian.text.startswith("telegram:61 sekarang memiliki peran Peninjau.")
    malay = Chat(assistant, "9000", channel="telegram", language_hint="ms")
    await malay.send("/bahasa ms")
    await malay.send("/staf tambah telegram:61 pemerhati")  # the Malay label of viewer
    assert "Pemerhati" in malay.text
    assert await deps.storage.roles.roles_of("telegram", "61") == {"reviewer", "viewer"}
    await malay.send("/staf")
    assert "• telegram:61: Penyemak, Pemerhati" in malay.text
    assert "reviewer" not in malay.text and "viewer" not in malay.text
