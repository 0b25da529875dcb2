"""Real-world WhatsApp payloads: notices that are not user content, groups, bad ids, bodies."""

from __future__ import annotations

import json
import logging

import pytest

from channels.whatsapp.parse import NOTICE_KINDS, parse_notification
from handlers.outbound import PermanentFailure
from tests.fakes.graph_api import PHONE_NUMBER_ID
from tests.support.chat import Chat
from tests.support.regform import register
from tests.whatsapp.conftest import fixture

SENDER, NEW_NUMBER = "16505551234", "16505559999"
NOTICES = ["revoke", "edit", "system_user_changed_number", "system_customer_identity_changed",
           "call_permission_reply"]


async def _post(wa_server, name: str) -> None:
    response = await wa_server.post(fixture(name))
    assert response.status_code == 200, response.text
    await wa_server.channel.webhook.drain()


@pytest.mark.parametrize("name", NOTICES)
def test_notices_parse_as_notices(name):
    [notice], _ = parse_notification(fixture(name), PHONE_NUMBER_ID)
    assert notice.kind in NOTICE_KINDS and notice.text is None


@pytest.mark.parametrize("name", [*NOTICES, "group_text", "invalid_senders",
                                  "other_phone_number_id", "value_errors"])
async def test_nothing_is_answered(wa_server, name):
    await _post(wa_server, name)
    assert wa_server.graph.messages == [] and wa_server.graph.rejected == []


async def test_a_changed_number_carries_the_registration_over(wa_server, caplog):
    old, new = "6281234500001", "6281234500002"  # Indonesian numbers: the form takes those
    notice = json.loads(json.dumps(fixture("system_user_changed_number"))
                        .replace(SENDER, old).replace(NEW_NUMBER, new))
    deps = wa_server.deps
    person = Chat(wa_server.channel.inbound.assistant, old, channel="whatsapp")
    await register(person, phone="0812 3450 0001", website=None)
    await wa_server.text(old, "halo")  # the 24-hour window and options, under the old number
    before = len(wa_server.graph.messages)
    with caplog.at_level(logging.INFO, logger="channels.whatsapp"):
        assert (await wa_server.post(notice)).status_code == 200
        await wa_server.channel.webhook.drain()
    assert "WhatsApp user changed number: data carried over" in caplog.text
    assert old not in caplog.text and new not in caplog.text  # numbers stay out of logs
    assert len(wa_server.graph.messages) == before  # no answer
    assert await deps.storage.users.get("whatsapp", old) is None
    user = await deps.storage.users.get("whatsapp", new)
    reg = await deps.storage.registrations.get_for_user(user.id)
    assert reg.phone == f"+{new}" and reg.phone_verified
    assert await deps.storage.whatsapp.last_inbound(new) is not None
    replies = await wa_server.text(new, "/status")  # the new number sees its registration
    assert reg.reference in str(replies)


async def test_a_group_message_is_ignored_with_a_debug_line(wa_server, caplog):
    with caplog.at_level(logging.DEBUG, logger="channels.whatsapp"):
        await _post(wa_server, "group_text")
    assert "group message ignored" in caplog.text
    assert await wa_server.deps.storage.users.get("whatsapp", SENDER) is None


async def test_invalid_sender_ids_are_dropped_and_logged(wa_server, caplog):
    with caplog.at_level(logging.WARNING, logger="channels.whatsapp"):
        await _post(wa_server, "invalid_senders")
    lines = [r.getMessage() for r in caplog.records if "sender id" in r.getMessage()]
    assert len(lines) == 3 and any("missing" in line for line in lines)
    rows = await wa_server.deps.storage.db.fetchall("SELECT user_id FROM users")
    assert rows == []  # never "+US.1234" or "+bla"


async def test_another_phone_number_id_is_ignored_and_webhook_errors_logged(wa_server, caplog):
    with caplog.at_level(logging.INFO, logger="channels.whatsapp"):
        await _post(wa_server, "other_phone_number_id")
        await _post(wa_server, "value_errors")
    assert "another phone number id ignored" in caplog.text
    assert "WhatsApp webhook error 131051: Message type unknown" in caplog.text
    assert await wa_server.deps.storage.users.get("whatsapp", SENDER) is None


@pytest.mark.parametrize("bad", ["US.1234", "bla", "+6281234567890", ""])
async def test_the_sender_never_sends_to_an_invalid_number(wa_server, bad):
    from handlers.types import Reply

    with pytest.raises(PermanentFailure):
        await wa_server.channel.sender.send(bad, [Reply("halo")])
    assert wa_server.graph.messages == [] and wa_server.graph.rejected == []


async def test_a_signed_but_deeply_nested_body_is_400(wa_server):
    nested = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 100_000
    nested += b"]" * 100_000 + b"}"
    response = await wa_server.post(nested)
    assert response.status_code == 400
    assert await wa_server.text("6281234567890", "halo")  # and the server still answers
