"""A broadcast with a photo or document, previewed as each channel delivers it: the file with
its caption, or without one and the text after it — by the channels' own limits and splitting."""

from __future__ import annotations

import html
import re

import pytest

from channels.staff_web.delivery import delivered, per_channel
from channels.telegram.render import LIMITS as TELEGRAM
from channels.whatsapp.limits import LIMITS as WHATSAPP
from channels.whatsapp.render import UiTexts, render_replies
from handlers import Assistant
from handlers.broadcast.compose import message_replies
from handlers.types import Attachment
from tests.support.broadcasting import add_user
from tests.support.chat import Chat
from tests.support.staff_web import csrf_of, signed_in, workspace

PHOTO = Attachment(0, "photo", "pameran.png", "image/png", 1234)
UI = UiTexts("Pilih", "Pilih salah satu", "Balas dengan nomor")


def test_a_short_text_is_the_caption_on_every_channel() -> None:
    replies = message_replies("Pameran UMKM Senin.", PHOTO)
    [(channels, [shown])] = per_channel(replies, ["telegram", "whatsapp"])
    assert channels == "Telegram · WhatsApp"
    assert (shown.kind, shown.filename, shown.text, shown.size) == (
        "photo", "pameran.png", "Pameran UMKM Senin.", 19)


def test_a_long_text_follows_the_file_and_is_split_as_the_channels_split_it() -> None:
    text = ("Pameran UMKM di Gedung Sate. " * 200).strip()  # 5,799 characters
    replies = message_replies(text, PHOTO)
    for limits in (TELEGRAM, WHATSAPP):
        file, *texts = delivered(replies, limits)
        assert (file.kind, file.text, file.uncaptioned) == ("photo", "", len(text))
        assert [t.text for t in texts] == [t for t in _sent_texts(replies, limits)]
        assert len(texts) == 2 and all(t.size <= 4096 for t in texts)
        assert " ".join(t.text for t in texts) == text


def _sent_texts(replies, limits) -> list[str]:
    """The texts the channel's own renderer sends (WhatsApp's is pure: draw it)."""
    if limits is WHATSAPP:
        rendered = render_replies(replies, UI).messages
        assert getattr(rendered[0], "caption", "x") is None  # the file, without caption
        return [m["text"]["body"] for m in rendered[1:]]
    from channels.common.text import split_text

    return split_text(replies[1].text, limits.text_max)


def test_emoji_count_twice_on_telegram_so_the_channels_show_apart() -> None:
    text = "Promo 🎉" * 100  # 700 characters, 800 UTF-16 units: a caption on both
    groups = per_channel(message_replies(text, PHOTO), ["telegram", "whatsapp"])
    assert [(names, shown[0].size) for names, shown in groups] == [
        ("Telegram", 800), ("WhatsApp", 700)]
    caption, rest = TELEGRAM.file_and_text("🎉" * 513)  # 1,026 units: too long for Telegram
    assert (caption, rest) == (None, "🎉" * 513)
    assert WHATSAPP.file_and_text("🎉" * 513) == ("🎉" * 513, "")


@pytest.fixture
def settings(make_settings):
    return make_settings(ADMIN_IDS="telegram:9000", STAFF_WEB="1")


async def test_the_composer_previews_the_file_with_its_caption_per_language(
    deps, assistant: Assistant
) -> None:
    await add_user(deps.storage, "1701", name="Sari", language="id")
    await add_user(deps.storage, "1702", name="Ann", language="en", channel="whatsapp")
    admin = Chat(assistant, "9000", language_hint="en")
    await admin.send("/language en")
    async with workspace(assistant) as base_url, signed_in(base_url, admin) as client:
        csrf = csrf_of((await client.get("/staff/broadcasts")).text)
        photo = {"file_name": "pameran.png", "file_type": "image/png", "file_size": "1234"}

        async def preview(**data):
            return (await client.post("/staff/broadcasts/preview", data={**photo, **data},
                                      headers={"x-csrf-token": csrf})).text

        short = await preview(text="Halo {{ nama }}, pameran Senin.")
        assert short.count("Photo · pameran.png") == 2  # the Indonesian and the English
        assert '<div class="preview caption">Halo Sari, pameran Senin.' in short
        assert "(Telegram 2, WhatsApp 1)" in short and "Telegram · WhatsApp" in short
        caption, size = re.search(
            r'class="preview caption">(.*?)</div>\s*<p class="muted size">Caption: (\d+) of at '
            r'most 1024 characters', short, re.S).groups()
        assert caption.endswith("/berhenti.") and int(size) == len(html.unescape(caption))
        long = await preview(text="Halo {{ nama }}. " + "Pameran UMKM di Gedung Sate. " * 40)
        assert 'class="muted no-caption"' in long and "is longer than a caption" in long
        assert '<div class="preview">Halo Sari. Pameran UMKM' in long  # the text after the file
        wrong = await preview(text="Halo", file_type="application/x-msdownload")
        assert "This kind of file cannot be sent" in wrong and "pameran.png" not in wrong
        big = await preview(text="Halo", file_size=str(6 * 1024 * 1024))
        assert "This photo is too big (6.0 MB)" in big
