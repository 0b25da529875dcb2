"""What a user does in the stand-in Bot API: type, share a contact, send a photo or document,
press a button. Each pushes an update the bot under test will fetch; each returns its update id."""

from __future__ import annotations

from typing import Any

from tests.fakes import telegram_updates as updates


class UserActions:
    """Mixed into FakeBotApi (which provides push_update, _ids, add_file, last_keyboard...)."""

    def send_text(self, user: dict | int, text: str) -> int:
        """The user types `text` (a command if it starts with /); returns the update id."""
        return self.push_update(updates.text(user, text, next(self._ids)))

    def send_reply(self, user: dict | int, text: str, to: dict) -> int:
        """The user replies to message `to` (one the bot sent them) with `text`."""
        update = updates.text(user, text, next(self._ids))
        _reply_to(update, to)
        return self.push_update(update)

    def share_contact(self, user: dict | int, phone: str, own: bool = True) -> int:
        return self.push_update(updates.contact(user, phone, next(self._ids), own=own))

    def send_fixture(self, name: str, user: dict | int, **fields: Any) -> int:
        """The user sends the message of fixture `name` (photo, sticker, voice, location...)."""
        return self.push_update(updates.message(name, user, next(self._ids), **fields))

    def send_photo(
        self,
        user: dict | int,
        data: bytes,
        caption: str | None = None,
        file_size: int | None = None,
        reply_to: dict | None = None,
    ) -> int:
        """The user sends a photo (Telegram keeps it as JPEG sizes); `file_size` overrides the
        size the update announces (a big photo without the bytes); `reply_to` makes it a
        Telegram reply to that message of the bot's."""
        file_id = self.add_file("photo", data, mime_type="image/jpeg")
        sizes = self.photo_sizes(file_id)
        if file_size is not None:
            sizes[-1]["file_size"] = file_size
        update = updates.message("message_photo", user, next(self._ids), photo=sizes)
        update["message"].pop("caption", None)
        if caption is not None:
            update["message"]["caption"] = caption
        _reply_to(update, reply_to)
        return self.push_update(update)

    def send_document(
        self,
        user: dict | int,
        data: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        file_size: int | None = None,
        reply_to: dict | None = None,
    ) -> int:
        """The user sends a file as a document (a reply to `reply_to` if given)."""
        file_id = self.add_file("document", data, file_name, mime_type)
        document = self.document_object(file_id)
        if file_size is not None:
            document["file_size"] = file_size
        update = updates.message("message_photo", user, next(self._ids), document=document)
        del update["message"]["photo"]
        update["message"].pop("caption", None)
        if caption is not None:
            update["message"]["caption"] = caption
        _reply_to(update, reply_to)
        return self.push_update(update)

    def press(self, user: dict | int, label_or_data: str) -> int:
        """The user presses a button (by label or callback data) of the last inline keyboard."""
        chat_id = user["id"] if isinstance(user, dict) else int(user)
        msg = self.last_keyboard(chat_id)
        if msg is None:
            raise AssertionError(f"no inline keyboard sent to {chat_id}")
        buttons = [b for row in msg["reply_markup"]["inline_keyboard"] for b in row]
        for button in buttons:
            if label_or_data in (button["text"], button.get("callback_data")) or (
                button["text"].casefold() == label_or_data.casefold()
            ):
                query_id = f"cbq{next(self._ids)}"
                shown = {k: v for k, v in msg.items() if not k.startswith("_")}
                return self.push_update(
                    updates.callback(user, shown, button["callback_data"], query_id)
                )
        labels = [b["text"] for b in buttons]
        raise AssertionError(f"no button {label_or_data!r} among {labels}")


def _reply_to(update: dict, to: dict | None) -> None:
    """Make the update's message a Telegram reply to `to` (a message the bot sent)."""
    if to is not None:
        update["message"]["reply_to_message"] = {k: v for k, v in to.items()
                                                 if not k.startswith("_")}  # fmt: skip
