"""Broadcast text as a sandboxed template: checked at compose time, personalised per recipient."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jinja2 import Template, TemplateError, meta

from handlers.broadcast.versions import cleaned, version_for
from handlers.types import Attachment, Reply, ReplyKind, utf16_len
from knowledge import Knowledge
from knowledge.templating import SAFE_FILTERS, TemplateRefused, check_bounded, make_environment
from storage.audience import Recipient
from storage.media import StoredMedia

FLOW = "broadcast"  # the conversation flow of composing one (storage.media knows it too)
# Variables a broadcast may use; the recipient's values are passed as data.
NAME_VARS = ("nama", "name")
BUSINESS_VARS = ("usaha", "business")
ALLOWED = NAME_VARS + BUSINESS_VARS
MAX_LENGTH = 3500  # leaves room for the stop hint within Telegram's 4096 characters
CAPTION_MAX = 1024  # Telegram and WhatsApp media captions (counted in UTF-16 units, to be safe)

_env = make_environment()


class ComposeError(Exception):
    """The text cannot be broadcast; `key` names the explanation text, `data` its values."""

    def __init__(self, key: str, **data: object) -> None:
        super().__init__(key)
        self.key = key
        self.data = data


def compile_text(source: str) -> Template:
    """Compile and check the staff text; raise ComposeError on bad syntax, variables or constructs.

    Only the restricted template language is accepted (knowledge.templating.check_bounded), so
    rendering costs microseconds per recipient and can stay on the event loop.
    """
    if not source.strip():
        raise ComposeError("broadcast.error_empty")
    try:
        tree = check_bounded(source)
        unknown = sorted(meta.find_undeclared_variables(tree) - set(ALLOWED))
        template = _env.from_string(tree)
    except TemplateRefused as exc:
        raise ComposeError(
            "broadcast.error_construct", problem=exc.kind, detail=exc.detail,
            allowed=allowed_list(), filters=", ".join(sorted(SAFE_FILTERS)),
        ) from exc
    except TemplateError as exc:
        raise ComposeError("broadcast.error_syntax", detail=str(exc), allowed=allowed_list()) from exc
    if unknown:
        raise ComposeError(
            "broadcast.error_variables", unknown=", ".join(unknown), allowed=allowed_list()
        )
    try:  # a trial run catches sandbox refusals and filters that fail on text
        sample = template.render(_values("Nama Contoh Panjang", "Usaha Contoh Panjang"))
    except Exception as exc:
        raise ComposeError("broadcast.error_syntax", detail=str(exc), allowed=allowed_list()) from exc
    if len(sample) > MAX_LENGTH:
        raise ComposeError("broadcast.error_too_long", length=len(sample), limit=MAX_LENGTH)
    if not sample.strip():
        raise ComposeError("broadcast.error_empty")
    return template


def allowed_list() -> str:
    return ", ".join("{{ %s }}" % name for name in ALLOWED)  # noqa: UP031 -- braces are literal


def _values(name: str, business: str) -> dict[str, str]:
    return {**dict.fromkeys(NAME_VARS, name), **dict.fromkeys(BUSINESS_VARS, business)}


def compile_versions(versions: Mapping[str, str] | None) -> dict[str, Template]:
    """Every language version compiled and checked; ComposeError names the language."""
    compiled = {}
    for lang, source in cleaned(versions).items():
        try:
            compiled[lang] = compile_text(source)
        except ComposeError as exc:
            exc.data["language"] = lang
            raise
    return compiled


@dataclass(frozen=True)
class Personaliser:
    """Renders one compiled broadcast for each recipient: their language's version (else the
    main text), with the defaults for a missing name or business and the stop hint in their
    language."""

    template: Template
    knowledge: Knowledge
    versions: Mapping[str, Template] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str, versions: Mapping[str, str] | None, knowledge: Knowledge
           ) -> Personaliser:
        """Compile the main text and every version."""
        return cls(compile_text(text), knowledge, compile_versions(versions))

    def render(self, recipient: Recipient) -> str:
        """The exact text the recipient receives, ending with the stop hint."""
        texts = self.knowledge.texts
        lang = recipient.language
        name = recipient.owner_name or recipient.display_name or texts.render(
            lang, "broadcast.fallback_name"
        )
        business = recipient.business_name or texts.render(lang, "broadcast.fallback_business")
        template = version_for(self.template, self.versions, lang)
        body = template.render(_values(name, business)).strip()
        return f"{body}\n\n{texts.render(lang, 'broadcast.stop_hint')}"


def attachment_of(media: StoredMedia | None) -> Attachment | None:
    """The Attachment a Reply carries for stored broadcast media."""
    if media is None:
        return None
    return Attachment(media.id, media.kind, media.filename, media.mime_type, media.size)


def caption_fits(text: str) -> bool:
    return utf16_len(text) <= CAPTION_MAX


def message_replies(text: str, attachment: Attachment | None) -> list[Reply]:
    """Exactly what one recipient receives (the preview shows the same).

    With a file: the file with the text as its caption; a text too long for a caption goes
    as its own message right after the file (sent without caption), so the stop hint still
    ends the broadcast.
    """
    if attachment is None:
        return [Reply(text)]
    kind = ReplyKind.PHOTO if attachment.kind == "photo" else ReplyKind.DOCUMENT
    if caption_fits(text):
        return [Reply(text, kind=kind, filename=attachment.filename, attachment=attachment)]
    return [
        Reply("", kind=kind, filename=attachment.filename, attachment=attachment),
        Reply(text),
    ]
