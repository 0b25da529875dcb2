"""Staff tools: roles, review, statistics, export and curation of unanswered questions."""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Register every staff command, button and flow (each checks its role)."""
    # late: bot.py imports handlers.staff.lookup, and these pull in matplotlib and openpyxl
    from handlers.staff import export, login, reload, review, roles_admin, stats, unanswered

    for module in (roles_admin, review, stats, export, unanswered, reload, login):
        module.register(router)
