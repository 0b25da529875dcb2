"""The WhatsApp channel assembled: settings check, client, Sender, webhook routes, hooks."""

from __future__ import annotations

from datetime import timedelta

from starlette.routing import Route

from channels.web import WebPart
from channels.whatsapp.client import GraphClient
from channels.whatsapp.inbound import StatusHook, WhatsAppInbound
from channels.whatsapp.media import fetch
from channels.whatsapp.parse import CHANNEL
from channels.whatsapp.sender import UNDELIVERABLE, WhatsAppSender
from channels.whatsapp.webhook import WhatsAppWebhook
from handlers import Assistant, Deps
from handlers.types import Media
from settings import Settings, SettingsError
from storage.inbox import InboxMessage

KEEP_RECORDS = timedelta(days=30)  # sent-message records
_REQUIRED = (
    ("whatsapp_app_secret", "WHATSAPP_APP_SECRET"),
    ("whatsapp_verify_token", "WHATSAPP_VERIFY_TOKEN"),
    ("whatsapp_token", "WHATSAPP_TOKEN"),
    ("whatsapp_phone_number_id", "WHATSAPP_PHONE_NUMBER_ID"),
)


class WhatsAppConfigError(SettingsError):
    """WhatsApp is partly configured; the message names what is missing (one line)."""


def whatsapp_enabled(settings: Settings) -> bool:
    """True when any WHATSAPP_* credential is set: then all of them must be."""
    return any(getattr(settings, field) is not None for field, _ in _REQUIRED)


def check_settings(settings: Settings) -> None:
    """Refuse to serve WhatsApp without an app secret (or the other credentials)."""
    missing = [env for field, env in _REQUIRED if getattr(settings, field) is None]
    if missing:
        raise WhatsAppConfigError(
            f"WhatsApp needs {', '.join(missing)}; refusing to serve its webhook"
            + (" unsigned" if "WHATSAPP_APP_SECRET" in missing else "")
        )


def _secret(value) -> str:
    return value.get_secret_value()


class WhatsAppChannel:
    """Routes for the shared web server, plus start-up and shutdown hooks.

    Building it registers the WhatsApp Sender in `deps.senders` (broadcasts use it).
    """

    def __init__(
        self, deps: Deps, assistant: Assistant, status_hooks: list[StatusHook] | None = None
    ) -> None:
        settings = deps.settings
        check_settings(settings)
        self.deps = deps
        self.client = GraphClient(
            settings.whatsapp_api_url,
            settings.whatsapp_phone_number_id,
            _secret(settings.whatsapp_token),
            settings.platform_read_timeout,
        )
        self.sender = WhatsAppSender(self.client, deps.storage, deps.knowledge, settings)
        hooks = [self.record_receipt] if status_hooks is None else status_hooks
        self.inbound = WhatsAppInbound(assistant, self.sender, deps.storage, hooks)
        self.webhook = WhatsAppWebhook(
            _secret(settings.whatsapp_app_secret),
            _secret(settings.whatsapp_verify_token),
            self.inbound.accept,
            settings.whatsapp_phone_number_id,
        )
        deps.senders[CHANNEL] = self.sender
        deps.fetchers[CHANNEL] = self.fetch

    async def fetch(self, media: Media, limit: int) -> bytes:
        """Download a file a user sent (handlers.media fetcher contract)."""
        return await fetch(self.client, media, limit)

    async def record_receipt(self, message_id: str, status: str, error_code: int | None) -> None:
        """A status webhook updates the broadcast delivery sent as `message_id`, if any."""
        if status in ("delivered", "read", "failed"):
            error = f"WhatsApp error {error_code}" if error_code is not None else None
            await self.deps.storage.receipts.record(
                CHANNEL, message_id, status, error, blocked=error_code == UNDELIVERABLE
            )

    @property
    def routes(self) -> list[Route]:
        return self.webhook.routes

    async def startup(self) -> None:
        """Forget old sent-message records; answer what the last run left in the inbox."""
        await self.deps.storage.whatsapp.prune(self.deps.storage.db.now() - KEEP_RECORDS)
        for job in await self.inbound.replay():
            self.webhook.spawn(job)
        self.inbound.pipeline.keep_leases(self._take_over)

    async def _take_over(self, rows: list[InboxMessage]) -> None:
        """Messages a stopped worker had stored (several workers): answered here."""
        for job in await self.inbound.replay(rows):
            self.webhook.spawn(job)

    async def shutdown(self) -> None:
        """Finish notifications in progress, then close the HTTP client."""
        await self.inbound.pipeline.close()
        await self.webhook.drain()
        await self.client.aclose()


def whatsapp_web_part(assistant: Assistant) -> WebPart | None:
    """The webhook routes and hooks for `bot.py serve`; None when WhatsApp is not configured."""
    if not whatsapp_enabled(assistant.deps.settings):
        return None
    channel = WhatsAppChannel(assistant.deps, assistant)
    return WebPart("whatsapp", list(channel.routes), [channel.startup], [channel.shutdown])
