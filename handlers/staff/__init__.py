"""Staff tools: roles, review, statistics, export and curation of unanswered questions."""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Register every staff command, button and flow (each checks its role)."""
    from handlers.staff import export, review, roles_admin, stats  # late: keeps bot.py import light

    for module in (roles_admin, review, stats, export):
        module.register(router)
