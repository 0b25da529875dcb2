"""Previews of a broadcast per language, exactly as recipients of each language receive it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from handlers.broadcast.compose import Personaliser, message_replies
from handlers.broadcast.versions import cleaned
from handlers.types import Attachment, Reply
from knowledge import Knowledge
from knowledge.languages import LANGUAGES
from storage import Storage
from storage.audience import Audience, Recipient


@dataclass(frozen=True)
class LanguagePreview:
    language: str
    count: int  # recipients in this language
    recipient: Recipient  # the first of them; a nameless sample when there is none
    own_version: bool  # False: the main text goes to them
    replies: list[Reply]  # exactly what they receive

    @property
    def sample(self) -> bool:
        return self.count == 0


def sample_recipient(language: str) -> Recipient:
    """A recipient with no name or business: shows the defaults of `language`."""
    return Recipient(0, "", "", language, None, None, None)


async def language_previews(
    storage: Storage, knowledge: Knowledge, text: str, versions: Mapping[str, str] | None,
    audience: Audience, attachment: Attachment | None,
) -> list[LanguagePreview]:
    """One preview per language that has recipients or a version of its own, in LANGUAGES order."""
    versions = cleaned(versions)
    personaliser = Personaliser.of(text, versions, knowledge)
    counts = await storage.audience.count_by_language(audience)
    previews = []
    for lang in LANGUAGES:
        count = counts.get(lang, 0)
        if not count and lang not in versions:
            continue
        first = await storage.audience.first_in(audience, lang) if count else None
        recipient = first or sample_recipient(lang)
        replies = message_replies(personaliser.render(recipient), attachment)
        previews.append(LanguagePreview(lang, count, recipient, lang in versions, replies))
    return previews
