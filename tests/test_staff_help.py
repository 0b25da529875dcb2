"""/help shows staff the commands their roles allow; the table matches the router."""

from __future__ import annotations

from handlers.app import build_router
from handlers.staff.help import ANY_ROLE, STAFF_COMMANDS
from tests.support.chat import Chat
from tests.support.staff_helpers import make_staff


def test_every_staff_command_is_in_help_with_its_role() -> None:
    router = build_router()
    staff_commands = {spec.name: spec.role for spec in router.commands.values() if spec.role}
    gated = {name: role for name, role in STAFF_COMMANDS if role != ANY_ROLE}
    assert gated == staff_commands
    assert {name for name, role in STAFF_COMMANDS if role == ANY_ROLE} == {"masuk"}


def test_every_staff_command_is_described_in_every_language(deps) -> None:
    texts = deps.knowledge.texts
    for name, _role in STAFF_COMMANDS:
        for lang in ("id", "en", "ms"):
            assert f"staffhelp.{name}" in texts.keys(lang), (lang, name)


async def test_help_lists_only_the_commands_of_ones_roles(deps, assistant) -> None:
    await make_staff(deps, "7301", "reviewer")
    reviewer = Chat(assistant, "7301", language_hint="en")
    await reviewer.send("/help")
    assert "Staff commands (your roles: Reviewer):" in reviewer.text
    assert "/review – review registrations" in reviewer.text
    assert "/export" in reviewer.text
    assert "/broadcast" not in reviewer.text and "/unanswered" not in reviewer.text

    admin = Chat(assistant, "9000", language_hint="id")
    await admin.send("/bantuan")
    assert "Perintah petugas" in admin.text
    for command in ("/tinjau", "/ekspor", "/statistik", "/siaran", "/belumterjawab", "/staf"):
        assert command in admin.text


async def test_help_for_a_citizen_has_no_staff_commands(assistant) -> None:
    citizen = Chat(assistant, "7302", language_hint="ms")
    await citizen.send("/help")
    assert "/daftar" in citizen.text
    assert "kakitangan" not in citizen.text and "/tinjau" not in citizen.text


async def test_the_help_line_for_roles_uses_the_words_of_staf_and_an_example(deps, assistant):
    # session 9 walk: /help said SALURAN:ID, /staf said KANAL:ID, and neither showed an ID
    admin = Chat(assistant, "9000", language_hint="id")
    await admin.send("/bantuan")
    line = "/staf tambah|hapus KANAL:ID PERAN (mis. telegram:123456789 peninjau)"
    assert line in admin.text
    await admin.send("/staf tambah telegram:123456789 peninjau")  # the example works as written
    assert "sekarang memiliki peran Peninjau" in admin.text
