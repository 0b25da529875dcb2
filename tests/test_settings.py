"""Settings: typed, validated with one clear line, secrets hidden."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from logsetup import RedactingFilter
from settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def load(**env):
    return load_settings(environ=env, env_file=None)


def test_defaults():
    settings = load()
    assert settings.database_path == "data/bot.sqlite3"
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert (settings.host, settings.port, settings.broadcast_rate) == ("127.0.0.1", 8080, 25.0)


def test_admin_ids_are_parsed():
    settings = load(ADMIN_IDS="telegram:123, whatsapp:6281234567890")
    assert settings.is_admin("telegram", "123") and settings.is_admin("whatsapp", "6281234567890")
    assert not settings.is_admin("telegram", "6281234567890")


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"ADMIN_IDS": "telegram:1,bob"}, "ADMIN_IDS"),
        ({"DATABASE_URL": "postgres://x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"BROADCAST_RATE": "-1"}, "BROADCAST_RATE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has spaces"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"PUBLIC_URL": "ftp://x"}, "PUBLIC_URL"),
    ],
)
def test_bad_values_name_the_variable_in_one_line(env, name):
    with pytest.raises(SettingsError) as info:
        load(**env)
    message = str(info.value)
    assert message.startswith(f"{name}:") and "\n" not in message


def test_unknown_key_in_env_file_is_refused(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("TELEGRAM_BOT_TOKN=123\n")
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKN"):
        load_settings(environ={}, env_file=env_file)


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=9000\nHOST=0.0.0.0\n")
    settings = load_settings(environ={"PORT": "9100"}, env_file=env_file)
    assert (settings.host, settings.port) == ("0.0.0.0", 9100)


def test_secrets_never_show_in_repr_or_logs(caplog):
    settings = load(TELEGRAM_BOT_TOKEN="123:SECRET-TOKEN", WHATSAPP_APP_SECRET="appsecret")
    assert "SECRET-TOKEN" not in repr(settings) and "appsecret" not in str(settings)
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "POST %s", ("https://x/bot123:SECRET-TOKEN/getMe",), None
    )
    RedactingFilter(settings.secrets()).filter(record)
    assert record.getMessage() == "POST https://x/bot***/getMe"


def test_bot_refuses_to_start_with_a_bad_setting(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "console"],
        input="",
        capture_output=True,
        text=True,
        env={"ADMIN_IDS": "nobody", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: ADMIN_IDS: entry 'nobody' is not CHANNEL:ID (e.g. telegram:123456)"
    )


def test_env_example_documents_every_setting_and_loads_as_is():
    example = (ROOT / ".env.example").read_text()
    from settings import Settings

    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in example, name
    settings = load_settings(environ={}, env_file=ROOT / ".env.example")
    assert settings.telegram_bot_token is None and settings.public_url is None


def test_tracebacks_in_logs_are_redacted_too():
    from logsetup import RedactingFormatter

    formatter = RedactingFormatter("%(message)s", ["123:SECRET-TOKEN"])
    try:
        raise ValueError("InvalidToken: 123:SECRET-TOKEN was refused")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = formatter.format(record)
    assert "SECRET-TOKEN" not in text and "InvalidToken: *** was refused" in text
