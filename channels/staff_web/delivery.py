"""A broadcast as each channel delivers it, for the preview: the file with its caption, then
the text as messages — cut by the channels' own limits and splitting rule (channels/common)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from channels.common.limits import Limits
from channels.common.text import split_text
from channels.telegram.render import LIMITS as TELEGRAM
from channels.whatsapp.limits import LIMITS as WHATSAPP
from handlers.types import Reply, utf16_len

CHANNELS = {"telegram": ("Telegram", TELEGRAM), "whatsapp": ("WhatsApp", WHATSAPP)}


@dataclass(frozen=True)
class Delivered:
    """One message a recipient gets: a file (with its caption, maybe none) or a text."""

    kind: str  # photo | document | text
    text: str  # the caption or the message
    size: int  # characters, as the platform counts them
    limit: int  # the most the platform takes there
    filename: str = ""
    uncaptioned: int = 0  # a file sent without caption: the length of the text that follows


def delivered(replies: list[Reply], limits: Limits) -> list[Delivered]:
    """What one recipient's chat shows, message by message, on a platform with `limits`."""
    out: list[Delivered] = []
    for i, reply in enumerate(replies):
        rest = reply.text
        if reply.attachment is not None:
            caption, rest = limits.file_and_text(reply.text)
            # Without caption: how long the text was that followed instead. A broadcast's
            # text was moved out by the core already (compose.message_replies), which counts
            # as Telegram does, the stricter, for every channel.
            after = limits.count(rest) if rest else utf16_len(_next_text(replies, i).strip())
            out.append(Delivered(reply.attachment.kind, caption or "", limits.count(caption or ""),
                                 limits.caption_max, reply.attachment.filename,
                                 after if caption is None else 0))
        out += [Delivered("text", piece, limits.count(piece), limits.text_max)
                for piece in split_text(rest, limits.text_max)]
    return out


def _next_text(replies: list[Reply], i: int) -> str:
    """The text reply right after a file sent without caption (the core split them), if any."""
    following = replies[i + 1] if i + 1 < len(replies) else None
    return following.text if following is not None and following.attachment is None else ""


def per_channel(replies: list[Reply], channels: Iterable[str]
                ) -> list[tuple[str, list[Delivered]]]:
    """(channel names, messages) for each different way `channels` deliver `replies`;
    channels that deliver the same messages share one entry ("Telegram · WhatsApp")."""
    groups: list[tuple[list[str], list[Delivered]]] = []
    for channel in channels:
        if channel not in CHANNELS:
            continue
        name, limits = CHANNELS[channel]
        messages = delivered(replies, limits)
        same = [g for g in groups if g[1] == messages]
        if same:
            same[0][0].append(name)
        else:
            groups.append(([name], messages))
    return [(" · ".join(names), messages) for names, messages in groups]
