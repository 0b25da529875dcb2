"""Every staff command and button, for every role: allowed, or exactly the unknown-command answer."""

from __future__ import annotations

import pytest

from handlers import Assistant
from handlers.roles import ROLES
from tests.support.chat import Chat
from tests.support.staff_helpers import make_staff, router_without

# command (Indonesian and English names) -> the role it needs
COMMANDS = {
    "staf": "admin",
    "staff": "admin",
    "tinjau": "reviewer",
    "review": "reviewer",
    "statistik": "viewer",
    "stats": "viewer",
    "ekspor": "reviewer",
    "export": "reviewer",
    "belumterjawab": "admin",
    "unanswered": "admin",
    "reload": "admin",
    "muatulang": "admin",
    "siaran": "broadcaster",  # the broadcast feature's command
    "broadcast": "broadcaster",
    "tiket": "agent",  # talk to a person (handlers/handoff)
    "tickets": "agent",
    "balas": "agent",
    "reply": "agent",
    "tutup": "agent",
    "close": "agent",
    "kembalikan": "agent",
    "release": "agent",
    "tampilnama": "agent",
    "showname": "agent",
}
# Allowed, these only explain their arguments when given none: nothing to audit.
USAGE_ONLY = {"siaran", "broadcast", "balas", "reply", "tutup", "close", "kembalikan", "release",
              "tampilnama", "showname"}
# button payload prefixes of the staff tools -> the role they need
PAYLOADS = {"rev:ok:1": "reviewer", "rev:skip:1": "reviewer", "una:i:1": "admin",
            "tk:take:1": "agent", "tk:close:1": "agent"}
# who is asking: no role, each stored role, and the admin from ADMIN_IDS
ASKERS = ["nobody", *ROLES, "configured-admin"]


def allowed(asker: str, role: str) -> bool:
    return asker in ("admin", "configured-admin") or asker == role


async def _asker_chat(deps, assistant, asker: str) -> Chat:
    if asker == "configured-admin":
        return Chat(assistant, "9000")
    if asker != "nobody":
        await make_staff(deps, "7100", asker)
    return Chat(assistant, "7100")


@pytest.mark.parametrize("asker", ASKERS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
async def test_command_permissions(deps, assistant, asker: str, command: str) -> None:
    if command not in assistant.router.commands:
        pytest.skip(f"/{command} is not registered (yet)")
    assert assistant.router.commands[command].role == COMMANDS[command]
    chat = await _asker_chat(deps, assistant, asker)
    replies = await chat.send(f"/{command}")
    # The same user, asking an assistant that has no staff features at all.
    bare = Chat(Assistant(deps, router_without("staff", "broadcast", "handoff")), chat.user_id)
    unknown = await bare.send(f"/{command}")
    assert "/" + command in unknown[0].text
    if allowed(asker, COMMANDS[command]):
        assert replies != unknown
        assert await deps.storage.audit.recent() or command in USAGE_ONLY
    else:
        assert replies == unknown
        assert await deps.storage.audit.recent() == []


@pytest.mark.parametrize("asker", ASKERS)
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
async def test_button_permissions(deps, assistant, asker: str, payload: str) -> None:
    chat = await _asker_chat(deps, assistant, asker)
    if payload.split(":")[0] not in assistant.router.payloads:
        pytest.skip(f"{payload} is not registered (yet)")
    replies = await chat.payload(payload)
    bare = Chat(Assistant(deps, router_without("staff", "broadcast", "handoff")), chat.user_id)
    stale = await bare.payload(payload)
    if allowed(asker, PAYLOADS[payload]):
        assert replies != stale
    else:
        assert replies == stale


@pytest.mark.parametrize("asker", ["nobody", "viewer"])
async def test_every_protected_button_is_hidden(deps, assistant, asker: str) -> None:
    chat = await _asker_chat(deps, assistant, asker)
    bare = Chat(Assistant(deps, router_without("staff", "broadcast", "handoff")), chat.user_id)
    protected = [
        p for p, spec in assistant.router.payloads.items() if spec.role not in (None, asker)
    ]
    assert {"rev", "una"} <= set(protected)
    for prefix in protected:
        assert await chat.payload(f"{prefix}:1") == await bare.payload(f"{prefix}:1")


async def test_every_staff_command_is_in_the_matrix(assistant) -> None:
    staff_commands = {name for name, spec in assistant.router.commands.items() if spec.role}
    assert staff_commands <= set(COMMANDS)
    assert {"staf", "tinjau", "statistik", "ekspor"} <= staff_commands


async def test_removed_role_stops_a_reviewer_mid_rejection(deps, assistant) -> None:
    from tests.support.staff_helpers import add_registration

    await make_staff(deps, "7101", "reviewer")
    registration = await add_registration(deps, "2101")
    reviewer = Chat(assistant, "7101", language_hint="en")
    await reviewer.send("/review")
    await reviewer.press("❌ Reject")
    await deps.storage.roles.revoke("telegram", "7101", "reviewer")
    await reviewer.send("not a note any more")
    assert (await deps.storage.registrations.get(registration.id)).status == "submitted"
    assert (
        await deps.storage.conversations.get((await deps.storage.users.get("telegram", "7101")).id)
        is None
    )
