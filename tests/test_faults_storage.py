"""A full, read-only or unusable database: a clear error for the operator, a polite one for users."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handlers import Incoming
from storage import StorageError

ROOT = Path(__file__).resolve().parent.parent


def polite(deps, lang: str = "id") -> str:
    return deps.knowledge.texts.render(lang, "core.storage_error")


def storage_logs(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "handlers.assistant"]


async def fill_up(deps) -> None:
    """The disk is full: the database may not grow by a single page."""
    row = await deps.storage.db.fetchone("PRAGMA page_count")
    await deps.storage.db.execute(f"PRAGMA max_page_count = {row[0]}")


async def test_disk_full_gives_users_a_polite_answer_and_the_operator_one_error(
    assistant, deps, caplog
):
    caplog.set_level(logging.INFO)
    for i in range(5):  # some users already here, one in the middle of a flow
        await assistant.handle(Incoming.from_text("telegram", str(i), "/start"))
    user = await deps.storage.users.get("telegram", "0")
    await deps.storage.conversations.save(user.id, "register", "city", {"answers": {"a": 1}})
    await fill_up(deps)

    answers = []
    for i in range(100, 160):  # newcomers need room the database no longer has
        replies = await assistant.handle(Incoming.from_text("telegram", str(i), "x" * 2000))
        answers.append(replies[0].text)
    assert polite(deps) in answers
    failing = [r for r in storage_logs(caplog) if r.levelno == logging.ERROR]
    assert len(failing) == 1, [r.getMessage() for r in failing]  # once per outage
    assert "full" in failing[0].getMessage()  # says what is wrong
    assert not [r for r in caplog.records if r.exc_info]  # no traceback per message

    assert await deps.storage.db.integrity_ok()
    conv = await deps.storage.conversations.get(user.id)
    assert (conv.step, conv.draft) == ("city", {"answers": {"a": 1}})

    await deps.storage.db.execute("PRAGMA max_page_count = 1073741823")  # space freed
    replies = await assistant.handle(Incoming.from_text("telegram", "999", "/help"))
    assert "/daftar" in replies[0].text  # recovered by itself, no restart
    assert any("works again" in r.getMessage() for r in storage_logs(caplog))


async def test_read_only_database_keeps_every_row_and_recovers(assistant, deps, caplog):
    await assistant.handle(Incoming.from_text("telegram", "1", "/start"))
    await assistant.handle(Incoming("telegram", "1", payload="lang:en"))
    before = await deps.storage.users.get("telegram", "1")
    await deps.storage.db.execute("PRAGMA query_only = ON")  # writes now fail: read-only
    # Reading needs no write since 6637a37 (an arrival that changes nothing is not written), so
    # /start and small talk are answered as usual; starting the form must store it: the polite
    # message, each time, with one error logged for the outage.
    for text in ("/start", "halo"):
        replies = await assistant.handle(Incoming.from_text("telegram", "1", text))
        assert replies[0].text != polite(deps) and replies[0].text
    for text in ("/daftar", "/register", "/daftar"):
        replies = await assistant.handle(Incoming.from_text("telegram", "1", text))
        assert replies[0].text == polite(deps)
    assert len([r for r in storage_logs(caplog) if r.levelno == logging.ERROR]) == 1
    await deps.storage.db.execute("PRAGMA query_only = OFF")
    assert await deps.storage.users.get("telegram", "1") == before
    replies = await assistant.handle(Incoming.from_text("telegram", "1", "/help"))
    assert "/register" in replies[0].text  # still English: nothing was lost


async def test_a_failed_commit_leaves_no_transaction_open(deps):
    await fill_up(deps)
    with pytest.raises(StorageError, match="full"):
        async with deps.storage.db.transaction() as tx:
            for i in range(500):
                await tx.execute(
                    "INSERT INTO users (channel, user_id, first_seen, last_seen)"
                    " VALUES ('telegram', ?, '', '')",
                    (f"bulk-{i}-" + "x" * 500,),
                )
    assert await deps.storage.users.count() == 0  # all or nothing
    await deps.storage.db.execute("PRAGMA max_page_count = 1073741823")
    async with deps.storage.db.transaction() as tx:  # a new transaction can begin
        await tx.execute(
            "INSERT INTO users (channel, user_id, first_seen, last_seen) VALUES ('t', '1', '', '')"
        )
    assert await deps.storage.users.count() == 1


def _garbage(tmp_path: Path) -> str:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not a database " * 200)
    return str(path)


@pytest.mark.parametrize(
    "where",
    [
        lambda tmp: "/proc/bot.sqlite3",  # a read-only place (even for root)
        lambda tmp: "/etc/hostname/sub/bot.sqlite3",  # its folder cannot be made
        _garbage,  # a file that is not a database
    ],
    ids=["read-only-place", "no-folder", "not-a-database"],
)
@pytest.mark.parametrize("command", ["console", "telegram"])
def test_unusable_database_at_start_is_one_clear_line_for_the_operator(tmp_path, where, command):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{where(tmp_path)}",
        "SEMANTIC_MATCHING": "false",
        "TELEGRAM_BOT_TOKEN": "1:never-used",
        "TELEGRAM_API_URL": "http://127.0.0.1:9/bot",
        "PTB_TIMEDELTA": "true",
    }
    result = subprocess.run(
        [sys.executable, "bot.py", command],
        cwd=ROOT,
        env=env,
        input="/help\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot"), result.stderr
    assert "Traceback" not in result.stderr and "never-used" not in result.stderr
