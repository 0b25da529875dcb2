"""Hostile input through the whole core: nothing escapes, every message is answered safely."""

from __future__ import annotations

import asyncio
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import Incoming
from tests.support.hostile import ADMIN, TEMPLATE_PROBES, Harness
from tests.support.strategies import (
    NASTY,
    hostile_text,
    long_text,
    payloads,
    phones,
    short_text,
    unsupported_kinds,
)

# HOSTILE_EXAMPLES=500 searches harder (the default keeps `make test` quick).
SCALE = int(os.environ.get("HOSTILE_EXAMPLES", "40")) / 40
FAST = settings(
    max_examples=int(40 * SCALE),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
USERS = ["1001", "1002", "1003"]
STAFF_TABLES = ("staff_roles", "broadcasts", "deliveries")


def run(coro) -> None:
    """Each example gets its own event loop (and, through Harness, its own database)."""
    asyncio.run(coro)


async def next_message(h: Harness, data: st.DataObject, user: str, last: list) -> Incoming:
    """Draw the next thing this user does: type, command, press, forge, share, or send a sticker."""
    meta = {"display_name": data.draw(st.one_of(st.none(), short_text)), "language_hint": None}
    commands = sorted(h.assistant.router.commands)
    buttons = [b for reply in last for b in reply.buttons]
    action = data.draw(
        st.sampled_from(["text", "command", "press", "press", "forge", "contact", "other"])
    )
    if action == "press" and buttons:
        return Incoming(
            "telegram", user, payload=data.draw(st.sampled_from(buttons)).payload, **meta
        )
    if action == "command":
        name = data.draw(st.sampled_from(commands) | st.from_regex(r"[a-z_]{1,32}", fullmatch=True))
        args = data.draw(st.one_of(st.just(""), hostile_text))
        return Incoming("telegram", user, command=name, args=args, **meta)
    if action == "forge":
        payload = data.draw(payloads(list(h.assistant.router.payloads)))
        return Incoming("telegram", user, payload=payload, **meta)
    if action == "contact":
        own = data.draw(st.booleans())
        return Incoming(
            "telegram", user, contact_phone=data.draw(phones), contact_is_own=own, **meta
        )
    if action == "other":
        return Incoming("telegram", user, unsupported=data.draw(unsupported_kinds), **meta)
    return Incoming.from_text("telegram", user, data.draw(hostile_text), **meta)


async def conversation(data: st.DataObject, users: list[str], steps: int) -> Harness:
    """Several users do random things, interleaved, each step checked by the harness."""
    async with Harness() as h:
        last: dict[str, list] = {user: [] for user in users}
        for _ in range(steps):
            user = data.draw(st.sampled_from(users))
            incoming = await next_message(h, data, user, last[user])
            last[user] = await h.handle(incoming)
        if ADMIN not in users:
            await check_no_staff_effects(h)
    return h


async def check_no_staff_effects(h: Harness) -> None:
    """Users without a role changed nothing staff-only, whatever they forged."""
    db = h.deps.storage.db
    tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in sorted(tables & set(STAFF_TABLES)):
        row = await db.fetchone(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
        assert row[0] == 0, f"a user without a role wrote to {table}"


@FAST
@given(data=st.data())
def test_random_conversations_of_ordinary_users(data):
    run(conversation(data, USERS, data.draw(st.integers(1, 15))))


@settings(FAST, max_examples=int(25 * SCALE))
@given(data=st.data())
def test_random_conversations_with_the_admin_among_users(data):
    run(conversation(data, [ADMIN, *USERS[:2]], data.draw(st.integers(1, 15))))


@FAST
@given(text=hostile_text, hint=st.sampled_from([None, "id", "en-US", "ms", "ar", "he", "zz"]))
def test_any_text_is_answered_and_never_rendered(text, hint):
    async def go():
        async with Harness() as h:
            for _ in range(2):  # the second time on an existing user
                await h.handle(Incoming.from_text("telegram", "1001", text, language_hint=hint))

    run(go())


@settings(FAST, max_examples=int(15 * SCALE))
@given(text=long_text)
def test_ten_thousand_character_messages(text):
    async def go():
        async with Harness() as h:
            await h.handle(Incoming.from_text("telegram", "1001", text))
            await h.handle(Incoming.from_text("telegram", "1001", "/daftar " + text))
            await h.handle(Incoming("telegram", "1001", payload=text))

    run(go())


@settings(FAST, max_examples=int(20 * SCALE))
@given(
    broken=st.lists(st.sampled_from(["\ud800", "\udfff", "\ud83d", "ok", "🙂"]), min_size=1).map(
        "".join
    ),
    field=st.sampled_from(
        ["text", "display_name", "payload", "args", "contact_phone", "unsupported"]
    ),
)
def test_half_surrogate_pairs_in_any_field(broken, field):
    """Broken UTF-16 (a lone surrogate from a platform's JSON) is replaced, never stored raw."""

    async def go():
        async with Harness() as h:
            fields = {"args": broken} if field == "args" else {field: broken}
            if field == "args":
                fields["command"] = "start"
            await h.handle(Incoming("telegram", "1001", **fields))
            await h.handle(Incoming.from_text("telegram", "1001", "/start", display_name=broken))

    run(go())


async def test_every_command_with_every_nasty_argument():
    async with Harness() as h:
        for name in sorted(h.assistant.router.commands):
            for args in NASTY:
                await h.handle(Incoming("telegram", "1001", command=name, args=args))
            await h.handle(Incoming("telegram", "1001", command="batal"))


async def test_every_nasty_text_inside_every_step_a_button_leads_to():
    """Walk each button of the menu, then type every nasty text at the step it leads to."""
    async with Harness() as h:
        start = await h.handle(Incoming.from_text("telegram", "1001", "/start"))
        for button in [b for r in start for b in r.buttons]:
            for text in NASTY:
                await h.handle(Incoming("telegram", "1001", payload=button.payload))
                await h.handle(Incoming.from_text("telegram", "1001", text))
            await h.handle(Incoming("telegram", "1001", command="batal"))


async def test_template_probes_come_back_verbatim_when_echoed():
    """A probe that is echoed (e.g. an unknown command's name) is shown as typed."""
    async with Harness() as h:
        for probe in TEMPLATE_PROBES:
            replies = await h.handle(Incoming("telegram", "1001", command="x", args=probe))
            assert "/x" in replies[0].text


async def test_sql_in_text_leaves_tables_and_rows_alone():
    async with Harness() as h:
        await h.handle(
            Incoming.from_text("telegram", "1001", "/start", display_name="'; DROP TABLE users;--")
        )
        for text in NASTY:
            await h.handle(Incoming.from_text("telegram", "1002", text, display_name=text or None))
        user = await h.deps.storage.users.get("telegram", "1001")
        assert user.display_name == "'; DROP TABLE users;--"  # stored verbatim, as data


@settings(FAST, max_examples=int(30 * SCALE))
@given(payload=payloads(["lang", "menu"]), user=st.sampled_from(["1001", ADMIN]))
def test_forged_payloads_from_a_fresh_user(payload, user):
    async def go():
        async with Harness() as h:
            await h.handle(Incoming("telegram", user, payload=payload))
            if user != ADMIN:
                await check_no_staff_effects(h)

    run(go())


@settings(FAST, max_examples=int(20 * SCALE))
@given(phone=phones, own=st.booleans(), kind=unsupported_kinds)
def test_contacts_and_unsupported_kinds(phone, own, kind):
    async def go():
        async with Harness() as h:
            await h.handle(Incoming("telegram", "1001", contact_phone=phone, contact_is_own=own))
            await h.handle(Incoming("telegram", "1001", unsupported=kind))

    run(go())
