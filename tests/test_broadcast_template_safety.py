"""Broadcast templates have bounded cost: only variables, constants, simple filters and `if`.

The issue's hostile templates (a nested loop, `'a' * 10**9`, `9**9999999`) are refused before
anything renders, with a message naming the problem in the staff member's language; a
scheduled broadcast whose author lost the broadcaster role is not sent when it falls due.
"""

from __future__ import annotations

import pytest

from handlers.broadcast.compose import ComposeError, compile_text
from handlers.broadcast.worker import BroadcastWorker
from knowledge.templating import TemplateRefused, check_bounded
from storage.audience import Audience
from tests.support.broadcasting import Clock, RecordingSender, add_registration, add_user
from tests.test_broadcast_outbox import FAST, until

NESTED_LOOP = "{% for a in 'x' * 15000 %}{% for b in 'x' * 15000 %}.{% endfor %}{% endfor %}"
HOSTILE = [
    (NESTED_LOOP, "loop"),
    ("{{ 'a' * 10**9 }}", "arithmetic"),
    ("{{ 9**9999999 }}", "arithmetic"),
    ("{% for a in nama %}{{ a }}{% endfor %}", "loop"),
    ("{{ nama.__class__ }}", "attribute"),
    ("{{ nama['x'] }}", "index"),
    ("{{ range(10**7) }}", "call"),
    ("{{ nama | replace('a', 'aaaaaaaa') }}", "filter"),
    ("{{ nama | center(10**9) }}", "filter"),
    ("{% set x = nama %}{{ x }}", "tag"),
    ("{{ nama | default('a', true) }}", "arguments"),
    ("{{ [nama] }}", "collection"),
    ("{{ 'x' ~ '" + "y" * 600 + "' }}", "constant_long"),
    ("{{ " + "(" * 1500 + "nama" + ")" * 1500 + " }}", "nested"),
    ("Halo " * 900, "source_long"),
]


@pytest.mark.parametrize(("source", "problem"), HOSTILE)
def test_hostile_templates_are_refused_before_rendering(source, problem):
    with pytest.raises(ComposeError) as caught:
        compile_text(source)
    assert caught.value.key == "broadcast.error_construct"
    assert caught.value.data["problem"] == problem


@pytest.mark.parametrize(
    "source",
    [
        "Halo {{ nama }} dari {{ usaha }}!",
        "Halo {{ nama | upper }}, {{ business | default('usaha Anda') | title }}",
        "{% if usaha == 'Batik Ani' %}Khusus Batik Ani{% else %}Halo {{ name }}{% endif %}",
        "{{ nama ~ ' / ' ~ usaha | trim }}{% if 'Kopi' in usaha %} ☕{% endif %}",
        "{{ 'Halo' if nama else 'Hai' }} {{ nama | capitalize }}",
    ],
)
def test_personalisation_still_works(source):
    template = compile_text(source)
    assert template.render(nama="Ani", name="Ani", usaha="Batik Ani", business="Batik Ani")


def test_the_restricted_language_names_what_it_refused():
    with pytest.raises(TemplateRefused) as caught:
        check_bounded("{{ nama | nosuchfilter }}")
    assert (caught.value.kind, caught.value.detail) == ("filter", "nosuchfilter")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "it contains a loop ({% for %})"), ("id", "berisi perulangan ({% for %})"),
     ("ms", "ia mengandungi gelung ({% for %})")],
)
async def test_a_refused_template_is_explained_in_the_staff_language(admin_chat, lang, words):
    await admin_chat.send(f"/bahasa {lang}")
    await admin_chat.send("/siaran")
    await admin_chat.send(NESTED_LOOP)
    assert words in admin_chat.text
    assert "{{ nama }}" in admin_chat.text and "default" in admin_chat.text
    await admin_chat.send("Halo {{ nama }}")  # still composing: a good text is taken
    assert "{% for %}" not in admin_chat.text


async def test_arithmetic_is_refused_with_its_operator(admin_chat):
    await admin_chat.send("/bahasa en")
    await admin_chat.send("/siaran {{ 9**9999999 }}")
    assert "it contains arithmetic (**)" in admin_chat.text


async def _scheduled(deps, author: str) -> int:
    clock = Clock()
    deps.storage.db.now = clock
    pk = await add_user(deps.storage, "5000", name="Ani", language="id")
    await add_registration(deps.storage, pk, owner="Ani", business="Batik Ani")
    broadcast = await deps.storage.broadcasts.create_scheduled(
        ("telegram", author, "en"), "Halo {{ nama }}", Audience(), clock.now.replace(hour=3)
    )
    clock.advance(hours=2)
    return broadcast.id


async def test_a_scheduled_broadcast_is_not_sent_when_its_author_lost_the_role(deps):
    await deps.storage.roles.grant("telegram", "3001", "broadcaster", "telegram:9000")
    await add_user(deps.storage, "3001", name="Staff", language="en")
    broadcast_id = await _scheduled(deps, "3001")
    await deps.storage.roles.revoke("telegram", "3001", "broadcaster")
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: sender.sent["3001"])
    assert (await deps.storage.broadcasts.get(broadcast_id)).status == "cancelled"
    assert sender.sent["5000"] == []
    assert "no longer hold the broadcaster role" in sender.sent["3001"][0]
    [entry] = await deps.storage.audit.recent(action="broadcast.cancel")
    assert entry.actor == "system" and entry.target == f"broadcast:{broadcast_id}"


async def test_a_scheduled_broadcast_of_a_current_broadcaster_is_sent(deps):
    await deps.storage.roles.grant("telegram", "3001", "broadcaster", "telegram:9000")
    broadcast_id = await _scheduled(deps, "3001")
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: sender.sent["5000"])
    assert sender.sent["5000"][0].startswith("Halo Ani")
    assert (await deps.storage.broadcasts.get(broadcast_id)).status != "cancelled"
