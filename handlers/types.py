"""What flows between a channel and the conversation core: Incoming in, Reply out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TEXT_FIELDS = (
    "user_id", "display_name", "language_hint", "text", "args", "payload", "contact_phone",
    "unsupported",
)  # fmt: skip
MEDIA_KINDS = ("photo", "document")
CHANNEL_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "console": "Console"}


def channel_name(code: str) -> str:
    """A channel as people write it (WhatsApp, not Whatsapp)."""
    return CHANNEL_NAMES.get(code, code.capitalize())


def _replace_lone_surrogates(obj: object, names: tuple[str, ...]) -> None:
    """Half a UTF-16 pair (JSON "\\ud83d" alone) can be neither stored nor sent back: U+FFFD."""
    for name in names:
        value = getattr(obj, name)
        if value and _LONE_SURROGATE.search(value):
            object.__setattr__(obj, name, _LONE_SURROGATE.sub("\ufffd", value))


# C0 controls, DEL and C1 controls: invisible, and XLSX cannot store most of them (openpyxl
# raises IllegalCharacterError), so one registrant's ESC could break every staff export.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r]+")


def strip_controls(text: str, keep_lines: bool = True) -> str:
    """`text` without control characters; tab and newline kept only with `keep_lines`
    (CR LF becomes LF), else each run of them becomes one space."""
    text = text.replace("\r\n", "\n")
    if not keep_lines:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text.replace("\r", "\n"))


def utf16_len(text: str) -> int:
    """Length as Telegram and WhatsApp count it (UTF-16 code units: an emoji may be 2)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Media:
    """A photo or document a user sent: the channel's reference to the file, not its bytes.

    `ref` is what the channel needs to download it (Telegram file_id, WhatsApp media id).
    """

    kind: str  # "photo" or "document"
    ref: str
    filename: str | None = None
    mime_type: str | None = None
    size: int | None = None  # bytes, when the channel says
    caption: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in MEDIA_KINDS:
            raise ValueError(f"media kind must be one of {MEDIA_KINDS}: {self.kind!r}")
        _replace_lone_surrogates(self, ("filename", "caption"))


@dataclass(frozen=True)
class Attachment:
    """A stored file to send (broadcast media): its row id in storage, never its bytes.

    Channel senders load the bytes once, upload them, and reuse the platform's id after.
    """

    id: int
    kind: str  # "photo" or "document"
    filename: str
    mime_type: str
    size: int


@dataclass(frozen=True)
class Incoming:
    """One message from a user, channel-neutral. Exactly one of the content fields is set."""

    channel: str
    user_id: str
    display_name: str | None = None
    language_hint: str | None = None
    text: str | None = None
    command: str | None = None
    args: str = ""
    payload: str | None = None
    contact_phone: str | None = None
    contact_is_own: bool = False
    unsupported: str | None = None
    # A photo or document also names its kind in `unsupported`, so flows that take no files
    # answer it as before; only a flow that looks at `media` uses the file.
    media: Media | None = None
    # The platform id of the bot's message this one answers (Telegram reply, WhatsApp context):
    # staff answer a ticket by replying to its notification.
    reply_to: str | None = None

    def __post_init__(self) -> None:
        _replace_lone_surrogates(self, _TEXT_FIELDS)

    @classmethod
    def from_text(cls, channel: str, user_id: str, text: str, **meta) -> Incoming:
        """A typed message: `/cmd args` becomes a command, anything else stays text."""
        match = _COMMAND.match(text.strip())
        if match:
            return cls(
                channel, user_id, command=match[1].lower(), args=(match[2] or "").strip(), **meta
            )
        return cls(channel, user_id, text=text, **meta)

    @property
    def kind(self) -> str:
        """'command', 'payload', 'contact', 'media', 'unsupported' or 'text'."""
        if self.command is not None:
            return "command"
        if self.payload is not None:
            return "payload"
        if self.contact_phone is not None:
            return "contact"
        if self.media is not None:
            return "media"
        if self.unsupported is not None:
            return "unsupported"
        return "text"


@dataclass(frozen=True)
class Button:
    """A choice the user can press; `payload` comes back as Incoming.payload (<= 64 bytes)."""

    label: str
    payload: str

    def __post_init__(self) -> None:
        if len(self.payload.encode()) > 64:
            raise ValueError(f"button payload over 64 bytes: {self.payload!r}")


class ReplyKind(StrEnum):
    TEXT = "text"
    ASK_CONTACT = "ask_contact"  # offer a "share my phone number" button where the channel can
    DOCUMENT = "document"  # `file` bytes (or `attachment`) sent as a file called `filename`
    PHOTO = "photo"  # `file` bytes (or `attachment`) of a PNG/JPEG image, `text` as caption


@dataclass(frozen=True)
class Reply:
    """Something to show the user: plain text (the channel escapes it) and optional buttons."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    kind: ReplyKind = ReplyKind.TEXT
    file: bytes | None = None
    filename: str | None = None
    attachment: Attachment | None = None  # a stored file (PHOTO/DOCUMENT); `text` = caption

    def __post_init__(self) -> None:
        object.__setattr__(self, "buttons", tuple(self.buttons))
