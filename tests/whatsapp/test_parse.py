"""Meta's notification shapes (tests/data/whatsapp) turned into messages, statuses, Incoming."""

from __future__ import annotations

import pytest

from channels.whatsapp.parse import (
    BadNotification,
    Inbound,
    language_hint,
    parse_notification,
    to_incoming,
)
from handlers.types import Button, Media
from tests.whatsapp.conftest import fixture, message


def only_message(name: str) -> Inbound:
    messages, statuses = parse_notification(fixture(name))
    assert statuses == [] and len(messages) == 1
    return messages[0]


def test_text():
    msg = only_message("text")
    assert (msg.wa_id, msg.name, msg.kind) == ("16505551234", "Sheena Nelson", "text")
    assert msg.message_id.startswith("wamid.")
    incoming = to_incoming(msg)
    assert incoming.channel == "whatsapp" and incoming.user_id == "16505551234"
    assert incoming.text == "Does it come in another color?"
    assert incoming.display_name == "Sheena Nelson" and incoming.language_hint == "en"


def test_button_reply_and_list_reply_become_payloads():
    assert to_incoming(only_message("button_reply")).payload == "cancel-button"
    assert to_incoming(only_message("list_reply")).payload == "priority_express"


def test_image_carries_media_and_still_names_its_kind_as_unsupported():
    incoming = to_incoming(only_message("image"))
    assert incoming.kind == "media" and incoming.unsupported == "image"
    assert incoming.media == Media("photo", "1003383421387256", None, "image/jpeg", None,
                                   "This is a caption")
    assert incoming.text is None  # the caption is not taken as a question


def test_document_carries_media():
    content = {"id": "884422", "filename": "jadwal.pdf", "mime_type": "application/pdf",
               "sha256": "abc", "caption": "Jadwal pameran"}
    (msg,), _ = parse_notification(message("6281234", "document", content))
    incoming = to_incoming(msg)
    assert incoming.media == Media("document", "884422", "jadwal.pdf", "application/pdf", None,
                                   "Jadwal pameran")
    assert incoming.unsupported == "document"
    (bad,), _ = parse_notification(message("6281234", "document", {"filename": "x.pdf"}))
    assert to_incoming(bad).media is None and to_incoming(bad).kind == "unsupported"


@pytest.mark.parametrize(
    ("name", "state", "code"),
    [
        ("status_sent", "sent", None),
        ("status_delivered", "delivered", None),
        ("status_read", "read", None),
        ("status_failed", "failed", 131049),
    ],
)
def test_statuses(name, state, code):
    messages, statuses = parse_notification(fixture(name))
    assert messages == [] and len(statuses) == 1
    assert statuses[0].status == state and statuses[0].error_code == code
    assert statuses[0].recipient == "16505551234" and statuses[0].wamid.startswith("wamid.")


@pytest.mark.parametrize("kind", ["audio", "location", "sticker", "video", "unsupported"])
def test_other_kinds_are_unsupported(kind):
    (msg,), _ = parse_notification(message("6281234567890", kind, {"id": "123"}))
    assert to_incoming(msg).unsupported == kind


def test_shared_contact_card():
    card = [
        {
            "name": {"formatted_name": "Sari"},
            "phones": [{"phone": "+62 812-3456-7890", "wa_id": "6281234567890"}],
        }
    ]
    data = message("6281234567890", "contacts", {})
    data["entry"][0]["changes"][0]["value"]["messages"][0]["contacts"] = card
    (msg,), _ = parse_notification(data)
    incoming = to_incoming(msg)
    assert incoming.contact_phone == "+62 812-3456-7890" and incoming.contact_is_own


@pytest.mark.parametrize("typed", ["STOP", "stop", " Berhenti ", "BERHENTI"])
def test_stop_words_unsubscribe(typed):
    (msg,), _ = parse_notification(message("6281234567890", "text", {"body": typed}))
    incoming = to_incoming(msg)
    assert incoming.command == "berhenti" and incoming.args == ""


def test_commands_still_parse():
    (msg,), _ = parse_notification(message("6281234567890", "text", {"body": "/status"}))
    assert to_incoming(msg).command == "status"


def test_typed_answers_to_the_last_options():
    options = tuple(Button(f"Sektor {i}", f"sec:{i}") for i in range(1, 13))
    (msg,), _ = parse_notification(message("6281234567890", "text", {"body": "12"}))
    assert to_incoming(msg, options, numbered=True).payload == "sec:12"
    assert to_incoming(msg, options, numbered=False).text == "12"  # numbers were not shown
    (msg,), _ = parse_notification(message("6281234567890", "text", {"body": "sektor 3"}))
    assert to_incoming(msg, options, numbered=False).payload == "sec:3"
    (msg,), _ = parse_notification(message("6281234567890", "text", {"body": "13"}))
    assert to_incoming(msg, options, numbered=True).text == "13"


def test_language_hint_from_country_code():
    assert [language_hint(n) for n in ("6281234", "60123456", "16505551234")] == ["id", "ms", "en"]


@pytest.mark.parametrize("data", [[], {"object": "page"}, "x", None])
def test_not_a_notification(data):
    with pytest.raises(BadNotification):
        parse_notification(data)


def test_malformed_items_are_skipped():
    data = message("6281234567890", "text", {"body": "halo"})
    value = data["entry"][0]["changes"][0]["value"]
    value["messages"] += [
        {"id": "x"},
        "junk",
        {"from": "6281111111", "id": "y", "type": "interactive", "interactive": {"type": "button_reply"}},
    ]
    value["statuses"] = [{"status": "read"}, {"id": "wamid.Z", "status": "read", "errors": "junk"}]
    messages, statuses = parse_notification(data)
    assert [m.kind for m in messages] == ["text", "interactive"]
    assert to_incoming(messages[1]).unsupported == "interactive"
    assert [s.wamid for s in statuses] == ["wamid.Z"]


@pytest.mark.parametrize(
    ("phone", "wa_id", "own"),
    [
        ("+62 812-3456-7890", "6281234567890", True),
        ("+62 811-1111-2222", "6281234567890", False),  # someone else's number, sender's wa_id
        ("+62 812-3456-7890", "6289999999999", False),  # sender's number, another account
        ("+62 812-3456-7890", None, False),  # not on WhatsApp: nothing proves it
    ],
)
def test_a_shared_card_proves_ownership_only_when_phone_and_wa_id_are_the_sender(phone, wa_id, own):
    card = [{"name": {"formatted_name": "X"}, "phones": [{"phone": phone, "wa_id": wa_id}]}]
    data = message("6281234567890", "contacts", {})
    data["entry"][0]["changes"][0]["value"]["messages"][0]["contacts"] = card
    (msg,), _ = parse_notification(data)
    assert to_incoming(msg).contact_is_own is own
