"""Talk to a person: tickets from users to city staff (agents) and back, on any channel.

docs/handoff.md describes it for staff; TicketService (service.py) is the API behind it.
"""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """The user's commands and buttons, the agents' (role `agent`), and both flows."""
    from handlers.handoff import staff, user  # late: they import this package's modules

    router.command("petugas", "human")(user.ask_for_person)
    router.command("selesai", "done")(user.done)
    router.payload("hand")(user.on_button)
    router.flow(user.FLOW, on_return=user.on_return)(user.in_flow)

    role = staff.ROLE
    router.command("tiket", "tickets", role=role)(staff.list_tickets)
    router.command("balas", "reply", role=role)(staff.reply_command)
    router.command("tutup", "close", role=role)(staff.close_command)
    router.command("kembalikan", "release", role=role)(staff.release_command)
    router.command("tampilnama", "showname", role=role)(staff.show_name)
    router.payload("tk", role=role)(staff.on_button)
    router.flow(staff.REPLY_FLOW)(staff.in_reply_flow)
    router.reply_to(staff.on_reply_to)
