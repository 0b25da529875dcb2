"""Rendering replies within the Cloud API's limits, checked by the stand-in's own rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.whatsapp import limits
from channels.whatsapp.render import Media, UiTexts, render_replies, render_reply
from handlers.types import Button, Reply, ReplyKind
from tests.fakes.graph_api import FakeGraphApi, Rejected

UI = UiTexts(list_button="Pilih", choose="Silakan pilih:", numbered_hint="Balas dengan nomor.")
STAND_IN = FakeGraphApi()


def accepted(body: dict) -> bool:
    """Both the channel's own check and the stand-in's independent one accept the body."""
    assert limits.problems(body) == [], limits.problems(body)
    try:
        STAND_IN._check({"messaging_product": "whatsapp", "to": "+6281234567890", **body})
    except Rejected as exc:
        raise AssertionError(exc.details) from None
    return True


def buttons(*labels: str) -> tuple[Button, ...]:
    return tuple(Button(label, f"p:{i}") for i, label in enumerate(labels))


def test_plain_text():
    (msg,) = render_reply(Reply("Halo!"), UI).messages
    assert msg == {"type": "text", "text": {"preview_url": False, "body": "Halo!"}}


def test_three_short_buttons_are_reply_buttons():
    out = render_reply(Reply("Pilih bahasa", buttons("Indonesia", "English", "Melayu")), UI)
    (msg,) = out.messages
    assert accepted(msg) and msg["interactive"]["type"] == "button"
    assert [b["reply"]["title"] for b in msg["interactive"]["action"]["buttons"]] == [
        "Indonesia",
        "English",
        "Melayu",
    ]
    assert [b.payload for b in out.options] == ["p:0", "p:1", "p:2"] and not out.numbered


def test_four_buttons_become_a_list():
    (msg,) = render_reply(Reply("Menu", buttons("A", "B", "C", "D")), UI).messages
    assert accepted(msg) and msg["interactive"]["type"] == "list"
    assert msg["interactive"]["action"]["button"] == "Pilih"
    assert len(msg["interactive"]["action"]["sections"][0]["rows"]) == 4


def test_long_title_becomes_a_list_row_with_description():
    long = "Pertanyaan umum tentang Little Bandung"  # 38 characters
    (msg,) = render_reply(Reply("Menu", buttons("Ya", long)), UI).messages
    assert accepted(msg) and msg["interactive"]["type"] == "list"
    rows = msg["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0] == {"id": "p:0", "title": "Ya"}
    assert len(rows[1]["title"]) == 24 and rows[1]["title"].endswith("…")
    assert rows[1]["description"] == long


def test_ten_is_a_list_eleven_is_numbered_text():
    ten = render_reply(Reply("Sektor?", buttons(*[f"Sektor {i}" for i in range(10)])), UI)
    assert ten.messages[0]["interactive"]["type"] == "list" and accepted(ten.messages[0])
    eleven = render_reply(Reply("Sektor?", buttons(*[f"Sektor {i}" for i in range(11)])), UI)
    (msg,) = eleven.messages
    assert msg["type"] == "text" and accepted(msg)
    assert "1. Sektor 0" in msg["text"]["body"] and "11. Sektor 10" in msg["text"]["body"]
    assert msg["text"]["body"].endswith("Balas dengan nomor.")
    assert eleven.numbered and len(eleven.options) == 11


def test_duplicate_titles_never_make_buttons():
    out = render_reply(Reply("?", (Button("Ya", "a:1"), Button("Ya", "a:2"))), UI)
    assert all(accepted(m) for m in out.messages)
    assert out.messages[0]["type"] == "text" and out.numbered


def test_long_text_is_split_and_the_buttons_follow():
    text = ("Kalimat yang cukup panjang untuk diulang. " * 250).strip()  # ~10,500 chars
    out = render_reply(Reply(text, buttons("Ya", "Tidak")), UI)
    assert all(accepted(m) for m in out.messages)
    assert [m["type"] for m in out.messages][-1] == "interactive"
    bodies = [m["text"]["body"] for m in out.messages if m["type"] == "text"]
    body = out.messages[-1]["interactive"]["body"]["text"]
    assert len(body) <= 1024 and all(len(b) <= 4096 for b in bodies)
    assert " ".join([*bodies, body if body != UI.choose else ""]).split() == text.split()


def test_document_and_photo():
    doc = render_reply(
        Reply("Ekspor", kind=ReplyKind.DOCUMENT, file=b"PK..", filename="a.xlsx"), UI
    )
    (media,) = doc.messages
    assert isinstance(media, Media) and media.kind == "document" and media.caption == "Ekspor"
    photo = render_reply(
        Reply("x" * 2000, buttons("Ya"), kind=ReplyKind.PHOTO, file=b"\x89PNG", filename="c.png"),
        UI,
    )
    assert isinstance(photo.messages[0], Media) and photo.messages[0].caption is None
    assert all(accepted(m) for m in photo.messages[1:]) and photo.options


def test_options_are_those_of_the_last_reply_with_buttons():
    out = render_replies([Reply("a", buttons("X")), Reply("b"), Reply("c", buttons("Y", "Z"))], UI)
    assert [b.label for b in out.options] == ["Y", "Z"] and len(out.messages) == 3


labels = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60
).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=6000),
    names=st.lists(labels, max_size=14),
)
def test_whatever_the_reply_nothing_rejectable_is_rendered(text, names):
    reply = Reply(text, tuple(Button(n, f"p:{i}") for i, n in enumerate(names)))
    out = render_reply(reply, UI)
    for msg in out.messages:
        accepted(msg)
    assert len(out.options) == len(names)


@pytest.mark.parametrize("count", [0, 1, 3, 4, 10, 11, 30])
def test_counts(count):
    out = render_reply(Reply("Pilih:", buttons(*[f"Opsi {i}" for i in range(count)])), UI)
    assert all(accepted(m) for m in out.messages)
