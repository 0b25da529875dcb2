"""Failures are logged with their type and frames, never their message (it may quote users)."""

from __future__ import annotations

import logging

from handlers import Assistant
from handlers.router import Router
from logsetup import configure_logging
from tests.support.chat import Chat

SECRET_TEXT = "Toko Rahasia Bu Ani 0812-9999-1234"


async def test_a_handler_failure_logs_no_user_text(deps, caplog):
    router = Router()

    @router.command("boom")
    async def boom(ctx):
        raise ValueError(f"cannot store {ctx.incoming.args!r}")  # like IllegalCharacterError

    chat = Chat(Assistant(deps, router=router), "1001", language_hint="en")
    with caplog.at_level(logging.DEBUG):
        await chat.send(f"/boom {SECRET_TEXT}")
    assert "something went wrong" in chat.text  # the user gets the apology
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "ValueError" in logged and "in boom" in logged  # type and frame are there
    assert "Rahasia" not in logged and "9999" not in logged


def test_ptb_debug_logging_of_full_updates_stays_off():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("DEBUG", [])
        assert not logging.getLogger("telegram.ext.Application").isEnabledFor(logging.DEBUG)
        assert logging.getLogger("handlers").isEnabledFor(logging.DEBUG)
        configure_logging("WARNING", [])
        assert not logging.getLogger("telegram").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("telegram").setLevel(logging.NOTSET)
