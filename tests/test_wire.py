"""Replies as stored JSON: given back equal; answers kept as JSON once, file bytes never kept."""

from __future__ import annotations

import json

from handlers.types import Attachment, Button, Reply, ReplyKind
from handlers.wire import (
    _reply_json_kept,
    answer_from_json,
    answer_to_json,
    replies_from_json,
    replies_to_json,
)

REPLIES = [
    Reply('Kata "kutip", baris\nbaru, ñ dan 😀 </b>{{ x }}', (Button("Ya", "menu:ya"),)),
    Reply("berkas", kind=ReplyKind.DOCUMENT, file=b"\x00\xffdata", filename="a.csv"),
    Reply("foto", kind=ReplyKind.PHOTO, attachment=Attachment(7, "photo", "p.png", "image/png", 4)),
]


def test_replies_come_back_equal_and_the_json_is_plain_json() -> None:
    stored = answer_to_json(REPLIES, "ms")
    assert answer_from_json(stored) == (REPLIES, "ms")
    assert json.loads(stored)["replies"][1]["file"] == "AP9kYXRh"  # base64
    assert answer_from_json(answer_to_json([], None)) == ([], None)
    assert replies_from_json(replies_to_json(REPLIES)) == REPLIES
    assert json.loads(replies_to_json([])) == []


def test_a_reply_is_made_json_once_but_file_bytes_are_never_kept() -> None:
    _reply_json_kept.cache_clear()
    for _ in range(3):
        answer_to_json(REPLIES, "id")
    info = _reply_json_kept.cache_info()
    assert (info.misses, info.hits, info.currsize) == (2, 4, 2)  # text and attachment replies
