"""Hostile-input harness: the whole core on a fresh database, with every safety check per message."""

from __future__ import annotations

import functools
import logging
import tempfile
from pathlib import Path

from handlers import Assistant, Incoming, Reply, ReplyKind
from knowledge import Knowledge, load_knowledge
from settings import load_settings
from wiring.deps import open_deps

ADMIN = "9000"  # telegram:9000 is the admin in ADMIN_IDS
# Template expressions and what they would print if user text were ever rendered as a template.
TEMPLATE_PROBES = {
    # The classic probe stays as input, but "49" is no marker: replies show times ("00:49").
    # Arithmetic that gets rendered is caught by the next probe's unmistakable product.
    "{{ 7*7 }}": None,
    "{{ 9173*8111 }}": "74402203",
    "{% for i in range(3) %}Zq{% endfor %}": "ZqZqZq",
    "{{ 'ab' ~ 'cd' * 3 }}": "abcdcdcd",
    "{{ contacts }}": "{'",
    "{{ ''.__class__.__mro__ }}": "<class",
    "{{ self.__init__.__globals__ }}": "<function",
    "{{ cycler.__init__.__globals__.os }}": "<module",
    "{% raw %}{{ q }}{% endraw %}": None,  # must come back verbatim, never as "{{ q }}" alone
}


@functools.cache
def shared_knowledge() -> Knowledge:
    """Knowledge is read-only: load it once for every example."""
    return load_knowledge()


class Recorder(logging.Handler):
    """Collects ERROR (and worse) log records: a handler failure is a test failure."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness:
    """A fresh database and the real assistant; every reply is checked as it comes."""

    def __init__(self, **env: str) -> None:
        self.env = env
        self.apologies: list[str] = []
        self.log = Recorder()
        self.sent: list[tuple[Incoming, list[Reply]]] = []

    async def __aenter__(self) -> Harness:
        self._tmp = tempfile.TemporaryDirectory(prefix="hostile-")
        environ = {
            "DATABASE_URL": f"sqlite:///{Path(self._tmp.name) / 'bot.sqlite3'}",
            "ADMIN_IDS": f"telegram:{ADMIN}",
            "FLOOD_RATE": "0",
            "SEMANTIC_MATCHING": "false",
            **self.env,
        }
        self.settings = load_settings(environ=environ, env_file=None)
        self.deps = await open_deps(self.settings, shared_knowledge())
        self.assistant = Assistant(self.deps)
        real_apology = self.assistant._apology

        def apology(incoming: Incoming, key: str) -> Reply:
            self.apologies.append(f"{key} for {incoming!r}")
            return real_apology(incoming, key)

        self.assistant._apology = apology  # the core's catch-all: must never be reached
        logging.getLogger().addHandler(self.log)
        return self

    async def __aexit__(self, *exc_info) -> None:
        logging.getLogger().removeHandler(self.log)
        try:
            if exc_info[0] is None:
                await self.check_database()
        finally:
            await self.deps.storage.close()
            self._tmp.cleanup()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """One message through the core, then the per-message checks."""
        replies = await self.assistant.handle(incoming)
        self.sent.append((incoming, replies))
        assert not self.apologies, self.apologies
        errors = [r.getMessage() for r in self.log.records]
        assert not errors, errors
        check_replies(incoming, replies)
        return replies

    async def check_database(self) -> None:
        """Integrity, foreign keys, and the tables still there."""
        db = self.deps.storage.db
        assert await db.integrity_ok()
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert {"users", "conversations", "schema_migrations"} <= tables
        users = {(i.channel, i.user_id) for i, _ in self.sent}
        # One row per user who wrote, less those whose /hapus deleted theirs (and who did not
        # write again after it).
        erased = await self.deps.storage.privacy.erasure_count()
        assert len(users) - erased <= await self.deps.storage.users.count() <= len(users)


def check_replies(incoming: Incoming, replies: list[Reply]) -> None:
    """Every message is answered with well-formed replies; no user text rendered as a template."""
    assert isinstance(replies, list) and replies, f"no reply to {incoming!r}"
    typed = " ".join(x for x in (incoming.text, incoming.args, incoming.payload) if x)
    for reply in replies:
        assert isinstance(reply, Reply)
        assert reply.text.strip() or reply.kind in (ReplyKind.DOCUMENT, ReplyKind.PHOTO)
        for button in reply.buttons:
            assert button.label.strip() and len(button.payload.encode()) <= 64
        if is_admin(incoming):
            continue  # staff may write broadcast templates on purpose
        for probe, rendered in TEMPLATE_PROBES.items():
            if probe in typed and rendered is not None and rendered not in typed:
                assert rendered not in reply.text, f"{probe!r} was rendered: {reply.text!r}"


def is_admin(incoming: Incoming) -> bool:
    return incoming.channel == "telegram" and incoming.user_id == ADMIN
