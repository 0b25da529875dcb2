"""Each flow's buttons come from one table: every code has a handler, payloads parse back."""

from __future__ import annotations

import pytest

from handlers.app import build_router
from handlers.broadcast.buttons import Press
from handlers.broadcast.flow import ON_PRESS
from handlers.faq import ON_PRESS as FAQ_ON_PRESS
from handlers.faq import FaqButton
from handlers.payloads import ButtonCode
from handlers.staff.review import ReviewButton
from handlers.staff.unanswered import UnansweredButton
from tests.support.chat import Chat

TABLES = [Press, ReviewButton, UnansweredButton]


def test_every_button_of_the_broadcast_panel_and_the_faq_has_a_handler() -> None:
    assert set(ON_PRESS) == set(Press)
    assert set(FAQ_ON_PRESS) == set(FaqButton)
    router = build_router()
    assert {table.prefix for table in TABLES} | {b.value for b in FaqButton} <= set(router.payloads)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_payloads_parse_back_and_fit_telegram(table: type[ButtonCode]) -> None:
    codes = [code.value for code in table]
    assert len(codes) == len(set(codes))
    for code in table:
        payload = code.payload(123456, "x" * 20)
        prefix, _, value = payload.partition(":")
        assert prefix == table.prefix and table.parse(value) == (code, "123456:" + "x" * 20)
        assert len(payload.encode()) <= 64
    assert table.parse("no-such-code:1") is None


async def test_an_unknown_or_old_panel_button_is_answered_kindly(admin_chat: Chat) -> None:
    await admin_chat.send("/siaran Halo semua")
    await admin_chat.payload("bc:zz")
    assert "Tombol itu sudah tidak berlaku" in admin_chat.text and admin_chat.labels
    await admin_chat.payload(Press.BACK_TO_PANEL.payload())  # back: the panel, as it was
    assert Press.SEND_NOW.payload() in [b.payload for b in admin_chat.buttons]
