"""POST /telegram/webhook: check the secret header, store the update, hand it to the PTB application."""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.error import InvalidToken

from channels.common.webhook import read_capped
from channels.telegram.app import WEBHOOK_PATH, TelegramChannel
from channels.telegram.render import LIMITS
from channels.web import WebPart
from handlers import Assistant
from settings import SettingsError
from storage import StorageError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_endpoint(channel: TelegramChannel, secret: str):
    """The Starlette endpoint: 403 without the secret, 400 for a malformed body, else 200."""
    expected = secret.encode()

    async def endpoint(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response("forbidden", status_code=403)
        body = await read_capped(request, LIMITS.body_max)
        if body is None:
            return Response("too large", status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an Update")
            update = Update.de_json(data, channel.bot)
        except Exception:  # any malformed shape: PTB raises KeyError, TypeError, ValueError...
            log.info("malformed Telegram webhook body refused")
            return Response("malformed update", status_code=400)
        try:  # stored before the 200: a crash after it cannot lose the update
            new = await channel.pipeline.store([(str(update.update_id), json.dumps(data))])
        except StorageError:
            log.error("could not store Telegram update %s; Telegram will retry", update.update_id)
            return Response("not stored", status_code=503)
        if new:  # else a re-delivery of one stored before (waiting, or answered lately)
            await channel.app.update_queue.put(update)  # answered by the application's workers
        return Response("ok")

    return endpoint


def telegram_web_part(assistant: Assistant) -> WebPart | None:
    """The webhook route and its start/stop hooks; None when no bot token is configured."""
    settings = assistant.deps.settings
    if settings.telegram_bot_token is None:
        return None
    if settings.telegram_webhook_secret is None:
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET: must be set to receive Telegram webhooks")
    secret = settings.telegram_webhook_secret.get_secret_value()
    channel = TelegramChannel(assistant, webhook=True)
    route = Route(WEBHOOK_PATH, webhook_endpoint(channel, secret), methods=["POST"])

    async def startup() -> None:
        try:
            await channel.start_webhook(settings.public_url, secret)
        except InvalidToken:  # PTB's message quotes the token: never let it reach a log
            raise SettingsError("TELEGRAM_BOT_TOKEN: Telegram refused this token") from None

    return WebPart("telegram", [route], [startup], [channel.stop])
