"""Replies as stored JSON: given back equal; a reply's JSON kept only while the reply lives."""

from __future__ import annotations

import gc
import json

from handlers import wire
from handlers.types import Attachment, Button, Reply, ReplyKind
from handlers.wire import answer_from_json, answer_to_json, replies_from_json, replies_to_json

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


def test_a_replys_json_is_kept_while_the_reply_lives_and_file_bytes_never() -> None:
    """A FAQ answer (one Reply all day) is made JSON once; a reply made for one user (their
    registration data) is not kept after its message is done."""
    shared = Reply("Jawaban FAQ yang sama untuk semua", (Button("Lagi", "faq:more"),))
    answer_to_json([shared], "id")
    assert wire.KEPT[shared] == json.dumps(wire._reply_dict(shared), ensure_ascii=False)
    personal = Reply("Nama: Siti, HP: +62 812 0000 0000")
    with_bytes = Reply("berkas", kind=ReplyKind.DOCUMENT, file=b"data", filename="a.csv")
    answer_to_json([personal, with_bytes], "id")
    assert with_bytes not in wire.KEPT and personal in wire.KEPT
    del personal
    gc.collect()
    assert [reply.text for reply in wire.KEPT.keys()].count("Nama: Siti, HP: +62 812 0000 0000") == 0
    assert shared in wire.KEPT  # still referenced: still kept
