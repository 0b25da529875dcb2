"""Typed settings: environment, then `.env`, then defaults. Secrets never print."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CHANNELS = ("telegram", "whatsapp", "console")
_ADMIN_ID = re.compile(r"^(telegram|whatsapp|console):[A-Za-z0-9_+\-]{1,64}$")
# Ids as the platforms give them: a Telegram user id is a positive integer, a WhatsApp id the
# number in international form without '+' (the form the webhook's `from` carries).
_NUMERIC_IDS = {"telegram": re.compile(r"^[1-9][0-9]{0,19}$"),
                "whatsapp": re.compile(r"^[1-9][0-9]{5,14}$")}  # fmt: skip
_ID_HINTS = {
    "telegram": "a Telegram user id is digits without a leading zero (e.g. telegram:123456)",
    "whatsapp": "write the number with country code, digits only, no '+' (e.g. whatsapp:6281234567890)",
}
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_\-]{1,256}$")


class SettingsError(Exception):
    """A configuration value is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment (see `.env.example`)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: SecretStr | None = None
    public_url: str | None = None
    database_url: str = "sqlite:///data/bot.sqlite3"
    database_pool_size: int = Field(default=10, ge=1, le=500)  # PostgreSQL connections per worker
    worker_id: str = Field(default="", pattern=r"^[A-Za-z0-9_.:\-]{0,64}$")  # "" = host:pid
    # seconds a worker's claim on an outbox or inbox row lasts unless renewed (every third)
    worker_lease: float = Field(default=60.0, ge=0.5, le=3600)
    admin_ids: Annotated[frozenset[str], NoDecode] = frozenset()
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_url: str = "https://graph.facebook.com/v23.0"
    whatsapp_template_name: str = Field(default="pengumuman", pattern=r"^[a-z0-9_]{1,512}$")
    # user language -> the template's language code at Meta (outside the 24-hour window)
    whatsapp_template_languages: Annotated[dict[str, str], NoDecode] = {
        "id": "id",
        "en": "en",
        "ms": "ms",
    }
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    broadcast_progress_every: float = Field(default=5.0, gt=0, le=3600)  # seconds between edits
    platform_read_timeout: float = Field(default=15.0, gt=0, le=300)  # seconds per platform call
    flood_rate: float = Field(default=1.0, ge=0, le=1000)  # per user per second; 0 = off
    flood_burst: int = Field(default=10, ge=1, le=1000)  # messages allowed at once per user
    # Talk to a person: when staff answer, and when a waiting ticket alerts every agent again.
    office_hours: str = "mon-fri 08:00-16:00"
    office_timezone: str = "Asia/Jakarta"
    handoff_realert_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)  # office minutes
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    semantic_matching: bool = True  # the FAQ's embedding stage (knowledge/semantic.py)
    semantic_cache_dir: str = "data/cache"  # sample embeddings, keyed by a hash of the knowledge
    semantic_threads: int = Field(default=1, ge=1, le=64)  # CPU threads for one embedding
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    staff_web: bool = False  # the staff web workspace under /staff in `bot.py serve`
    staff_session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> frozenset[str]:
        if isinstance(value, str):
            items = [part.strip() for part in value.split(",") if part.strip()]
        else:
            items = [str(part) for part in value or ()]
        for item in items:
            if not _ADMIN_ID.match(item):
                raise ValueError(f"entry {item!r} is not CHANNEL:ID (e.g. telegram:123456)")
            channel, _, user_id = item.partition(":")
            if channel in _NUMERIC_IDS and not _NUMERIC_IDS[channel].match(user_id):
                raise ValueError(f"entry {item!r} can never match: {_ID_HINTS[channel]}")
        return frozenset(items)

    @field_validator("whatsapp_template_languages", mode="before")
    @classmethod
    def _parse_template_languages(cls, value: object) -> dict[str, str]:
        if isinstance(value, str):
            pairs = [part.strip().split(":", 1) for part in value.split(",") if part.strip()]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("want LANG:CODE pairs, e.g. id:id,en:en_US,ms:ms")
            value = {lang.strip(): code.strip() for lang, code in pairs}
        if not isinstance(value, dict) or not all(
            re.match(r"^[a-z]{2}$", lang) and re.match(r"^[a-z]{2,3}(_[A-Z]{2})?$", code)
            for lang, code in value.items()
        ):
            raise ValueError("want LANG:CODE pairs, e.g. id:id,en:en_US,ms:ms")
        return dict(value)

    @field_validator("office_hours")
    @classmethod
    def _check_office_hours(cls, value: str) -> str:
        from handlers.handoff.hours import parse_hours  # late: handlers import this module

        parse_hours(value)
        return value

    @field_validator("office_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone (e.g. Asia/Jakarta)") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if value.startswith("sqlite:///") and value != "sqlite:///":
            return value
        if re.match(r"^postgres(ql)?://[^\s/]*/[A-Za-z0-9_\-]+(\?\S*)?$", value):
            return value
        raise ValueError(
            "want sqlite:///PATH (e.g. sqlite:///data/bot.sqlite3) "
            "or postgresql://USER@HOST:PORT/DB"
        )

    @field_validator("telegram_api_url", "whatsapp_api_url", "public_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def database_path(self) -> str:
        """The SQLite file path (or `:memory:`) behind DATABASE_URL."""
        return self.database_url.removeprefix("sqlite:///")

    @property
    def worker(self) -> str:
        """This process's name among several workers: WORKER_ID, else host:pid."""
        return self.worker_id or f"{socket.gethostname()}:{os.getpid()}"

    def is_admin(self, channel: str, user_id: str) -> bool:
        """True if CHANNEL:ID is listed in ADMIN_IDS."""
        return f"{channel}:{user_id}" in self.admin_ids

    def secrets(self) -> list[str]:
        """The secret values set, for log redaction."""
        values = [
            self.telegram_bot_token,
            self.telegram_webhook_secret,
            self.whatsapp_token,
            self.whatsapp_app_secret,
            self.whatsapp_verify_token,
        ]
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env", **overrides
) -> Settings:
    """Build Settings from `environ` (default: the process environment) and `env_file`.

    Raises SettingsError with one line naming the offending variable.
    """
    try:
        if environ is None:
            return Settings(_env_file=env_file, **overrides)
        fields = {
            name: environ[name.upper()]
            for name in Settings.model_fields
            if environ.get(name.upper(), "") != ""
        }
        return Settings(_env_file=env_file, **{**fields, **overrides})
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown setting in {env_file}"
        raise SettingsError(f"{name}: {message}") from None
