"""The Bot API methods the stand-in implements, answering with the real result shapes."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64


class ApiError(Exception):
    """An error the Bot API would answer with (status and description)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _check_markup(markup: Any) -> None:
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )


def _check_text(text: Any, *, caption: bool = False) -> None:
    if not caption and (not isinstance(text, str) or not text.strip()):
        raise ApiError(400, "Bad Request: message text is empty")
    limit = 1024 if caption else MAX_TEXT
    if isinstance(text, str) and len(text) > limit:
        what = "message caption" if caption else "message"
        raise ApiError(400, f"Bad Request: {what} is too long")


class Methods:
    """State behind the methods: pending updates, sent messages, commands, webhook."""

    def __init__(self, token: str, username: str) -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "UMKM Bandung",
            "username": username,
        }
        self.messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> Message
        self.updates: list[dict] = []  # pending: not yet confirmed by a getUpdates offset
        self.pushed: list[dict] = []  # every update ever pushed
        self.confirmed = 0  # the highest update_id the bot confirmed
        self.commands: dict[tuple[str, str], list[dict]] = {}  # (scope type, language) -> list
        self.webhook: dict[str, Any] = {"url": ""}
        self.answered_callbacks: list[str] = []
        self.on_message: Callable[[dict], None] | None = None  # called with each new bot message
        self.closing = False
        self._message_ids = itertools.count(10_000)
        self._update_ids = itertools.count(800_000_001)
        self._new_update = asyncio.Event()

    # --- updates ---------------------------------------------------------------------------
    def push_update(self, update: dict) -> int:
        """Queue `update` for getUpdates (its update_id is replaced by the next one); return it."""
        update = {**update, "update_id": next(self._update_ids)}
        self.updates.append(update)
        self.pushed.append(update)
        self._new_update.set()
        self._notify()
        return update["update_id"]

    def delivered(self, update_id: int) -> bool:
        """True once the bot has confirmed receiving `update_id` (a later getUpdates offset)."""
        return self.confirmed >= update_id

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.confirmed = max(self.confirmed, offset - 1)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self.updates and not self.closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), min(remaining, 0.5))
            except TimeoutError:
                pass
        self._notify()
        return self.updates[:limit]

    # --- messages --------------------------------------------------------------------------
    def _new_message(self, chat_id: int, **content: Any) -> dict:
        chat: dict[str, Any] = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        msg = {
            "message_id": next(self._message_ids),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
            **{k: v for k, v in content.items() if v is not None},
        }
        self.messages[(chat_id, msg["message_id"])] = msg
        if self.on_message is not None:
            self.on_message(msg)
        return msg

    @staticmethod
    def _inline(markup: Any) -> dict | None:
        """Telegram echoes only inline keyboards back in the Message."""
        return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None

    def _send_message(self, params: dict) -> dict:
        _check_text(params.get("text"))
        _check_markup(params.get("reply_markup"))
        return self._new_message(
            int(params["chat_id"]),
            text=params["text"],
            reply_markup=self._inline(params.get("reply_markup")),
        )

    def _send_file(self, params: dict, files: dict, field: str) -> dict:
        _check_text(params.get("caption"), caption=True)
        _check_markup(params.get("reply_markup"))
        if field not in files and not isinstance(params.get(field), str):
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        filename, data = files.get(field, (params.get(field), b""))
        file_id = f"BQACAgUAAx{next(self._message_ids)}"
        if field == "document":
            content: Any = {
                "file_id": file_id,
                "file_unique_id": file_id[-8:],
                "file_name": filename,
                "file_size": len(data),
            }
        else:
            content = [
                {
                    "file_id": file_id,
                    "file_unique_id": file_id[-8:],
                    "width": 320,
                    "height": 240,
                    "file_size": len(data),
                }
            ]
        msg = self._new_message(
            int(params["chat_id"]),
            caption=params.get("caption"),
            reply_markup=self._inline(params.get("reply_markup")),
            **{field: content},
        )
        msg["_file"] = data  # kept for tests; not part of the Bot API shape
        return {k: v for k, v in msg.items() if k != "_file"}

    def _edit(self, params: dict, *, text: bool) -> dict:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        msg = self.messages.get(key)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = self._inline(params.get("reply_markup"))
        _check_markup(markup)
        new_text = params.get("text", msg.get("text")) if text else msg.get("text")
        if text:
            _check_text(new_text)
        if new_text == msg.get("text") and markup == msg.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        if text:
            msg["text"] = new_text
        if markup is None:
            msg.pop("reply_markup", None)
        else:
            msg["reply_markup"] = markup
        msg["edit_date"] = int(time.time())
        return {k: v for k, v in msg.items() if k != "_file"}

    # --- dispatch --------------------------------------------------------------------------
    async def dispatch(self, method: str, params: dict, files: dict) -> Any:
        """The `result` of `method`, or ApiError."""
        if method == "getUpdates":
            if self.webhook["url"]:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
            return await self._get_updates(params)
        simple = {
            "getMe": lambda: {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            },
            "sendMessage": lambda: self._send_message(params),
            "sendDocument": lambda: self._send_file(params, files, "document"),
            "sendPhoto": lambda: self._send_file(params, files, "photo"),
            "editMessageText": lambda: self._edit(params, text=True),
            "editMessageReplyMarkup": lambda: self._edit(params, text=False),
            "answerCallbackQuery": lambda: self._answer_callback(params),
            "setMyCommands": lambda: self._set_commands(params),
            "deleteMyCommands": lambda: self._delete_commands(params),
            "getMyCommands": lambda: self.commands.get(self._scope_key(params), []),
            "setWebhook": lambda: self._set_webhook(params),
            "deleteWebhook": lambda: self._set_webhook({"url": ""}),
            "getWebhookInfo": lambda: {
                "url": self.webhook["url"],
                "has_custom_certificate": False,
                "pending_update_count": len(self.updates),
            },
            "sendChatAction": lambda: True,
            "close": lambda: True,
        }
        if method not in simple:
            raise ApiError(404, "Not Found: method not found")
        return simple[method]()

    def _answer_callback(self, params: dict) -> bool:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        self.answered_callbacks.append(str(params["callback_query_id"]))
        return True

    @staticmethod
    def _scope_key(params: dict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return scope.get("type", "default"), params.get("language_code", "") or ""

    def _set_commands(self, params: dict) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not 1 <= len(command.get("command", "")) <= 32 or not command.get("description"):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[self._scope_key(params)] = commands
        return True

    def _delete_commands(self, params: dict) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _set_webhook(self, params: dict) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
        return True

    def _notify(self) -> None:  # overridden by the server
        pass
