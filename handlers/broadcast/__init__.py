"""Broadcasts: staff compose and send announcements; users stop or resume them."""

from __future__ import annotations

from handlers.broadcast import flow, subscription
from handlers.router import Router


def register(router: Router) -> None:
    router.command("siaran", "broadcast", role=flow.ROLE)(flow.siaran)
    router.flow(flow.FLOW)(flow.in_flow)
    router.payload("bc", role=flow.ROLE)(flow.on_button)
    router.command("berhenti", "stop", "unsubscribe")(subscription.unsubscribe)
    router.command("langganan", "subscribe")(subscription.subscribe)
