"""The Bot API methods the stand-in implements, answering with the real result shapes."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
DOWNLOAD_MAX = 20 * 1024 * 1024  # getFile: bots download at most 20 MB
UPLOAD_MAX = {"photo": 10 * 1024 * 1024, "document": 50 * 1024 * 1024}


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
        self.files: dict[str, dict] = {}  # file_id -> kind, data, file_name, mime_type, path
        self._message_ids = itertools.count(10_000)
        self._file_ids = itertools.count(1)
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

    # --- files -----------------------------------------------------------------------------
    def add_file(
        self, kind: str, data: bytes, file_name: str | None = None, mime_type: str | None = None
    ) -> str:
        """Keep a file as Telegram would (a user's upload or ours); its new file_id."""
        number = next(self._file_ids)
        prefix = "AgACAgUAAx" if kind == "photo" else "BQACAgUAAx"
        file_id = f"{prefix}{number:06d}"
        folder = "photos" if kind == "photo" else "documents"
        ext = ".jpg" if kind == "photo" else PurePosixPath(file_name or "").suffix
        self.files[file_id] = {
            "kind": kind, "data": data, "file_name": file_name, "mime_type": mime_type,
            "path": f"{folder}/file_{number}{ext}",
        }
        return file_id

    def photo_sizes(self, file_id: str) -> list[dict]:
        """A PhotoSize array: a thumbnail (its own file id) and the full size, smallest first."""
        data = self.files[file_id]["data"]
        thumb = self.add_file("photo", data[:64], mime_type="image/jpeg")
        return [
            {"file_id": thumb, "file_unique_id": thumb[-8:], "width": 90, "height": 67,
             "file_size": min(len(data), 64)},
            {"file_id": file_id, "file_unique_id": file_id[-8:], "width": 1280, "height": 960,
             "file_size": len(data)},
        ]

    def document_object(self, file_id: str) -> dict:
        stored = self.files[file_id]
        found = {"file_id": file_id, "file_unique_id": file_id[-8:],
                 "file_size": len(stored["data"])}
        if stored["file_name"]:
            found["file_name"] = stored["file_name"]
        if stored["mime_type"]:
            found["mime_type"] = stored["mime_type"]
        return found

    def _send_file(self, params: dict, files: dict, field: str) -> dict:
        _check_text(params.get("caption"), caption=True)
        _check_markup(params.get("reply_markup"))
        uploaded = field in files
        if uploaded:
            filename, data = files[field]
            if len(data) > UPLOAD_MAX[field]:
                raise ApiError(413, "Request Entity Too Large")
            if not data:
                raise ApiError(400, f"Bad Request: {field.upper()}_FILE_EMPTY")
            file_id = self.add_file(field, data, filename if field == "document" else None)
        elif isinstance(params.get(field), str) and params[field]:
            file_id = params[field]
            stored = self.files.get(file_id)
            if stored is None:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            if stored["kind"] != field:
                raise ApiError(400, f"Bad Request: can't use file of type "
                                    f"{stored['kind'].capitalize()} as {field.capitalize()}")
            data = stored["data"]
        else:
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        content: Any = (self.document_object(file_id) if field == "document"
                        else self.photo_sizes(file_id))
        msg = self._new_message(
            int(params["chat_id"]),
            caption=params.get("caption"),
            reply_markup=self._inline(params.get("reply_markup")),
            **{field: content},
        )
        msg["_file"] = data  # kept for tests; not part of the Bot API shape
        msg["_uploaded"] = uploaded  # sent as bytes (True) or by file_id (False)
        return {k: v for k, v in msg.items() if not k.startswith("_")}

    def _get_file(self, params: dict) -> dict:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored["data"]) > DOWNLOAD_MAX:
            raise ApiError(400, "Bad Request: file is too big")
        file_id = str(params["file_id"])
        return {"file_id": file_id, "file_unique_id": file_id[-8:],
                "file_size": len(stored["data"]), "file_path": stored["path"]}

    def file_by_path(self, path: str) -> bytes | None:
        """The bytes behind a file_path getFile gave (the download URL)."""
        for stored in self.files.values():
            if stored["path"] == path and len(stored["data"]) <= DOWNLOAD_MAX:
                return stored["data"]
        return None

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
        return {k: v for k, v in msg.items() if not k.startswith("_")}

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
            "getFile": lambda: self._get_file(params),
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
