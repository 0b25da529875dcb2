"""Builds the Router from every feature module."""

from __future__ import annotations

from handlers import broadcast, core, faq, handoff, offers, registration, staff, understanding
from handlers.router import Router

# Each feature module has `register(router)`; order matters only for readability.
FEATURES = [core, staff, faq, understanding, registration, broadcast, handoff, offers]


def build_router() -> Router:
    router = Router()
    for feature in FEATURES:
        feature.register(router)
    return router
