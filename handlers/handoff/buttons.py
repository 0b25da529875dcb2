"""The buttons of talking to a person: the user's (`hand:`) and the agents' (`tk:`)."""

from __future__ import annotations

from handlers.payloads import ButtonCode


class HandButton(ButtonCode, prefix="hand"):
    """A user's buttons."""

    START = "start"  # hand:start — ask for a person
    DONE = "done"  # hand:done — close my ticket
    RATE = "rate"  # hand:rate:<ticket>:up|down — the one-tap rating


class TicketButton(ButtonCode, prefix="tk"):
    """An agent's buttons, each naming the ticket."""

    TAKE = "take"  # tk:take:<ticket>
    REPLY = "reply"  # tk:reply:<ticket> — the next message is the reply
    CLOSE = "close"  # tk:close:<ticket>
    LINK = "kl"  # tk:kl:<ticket>:<topic> — the question into /belumterjawab with that topic
    NEW_TOPIC = "kn"  # tk:kn:<ticket> — the question into /belumterjawab as a new topic
