"""SME registration: consent, one validated question at a time, summary, status, data rights."""

from __future__ import annotations

from handlers.registration import account, cancel, flow
from handlers.registration.state import FLOW, KEPT_FLOW
from handlers.router import Router


def register(router: Router) -> None:
    router.command("daftar", "register")(flow.start)
    router.command("status")(account.status)
    router.command("ubah", "edit")(account.edit)
    router.command("datasaya", "mydata")(account.my_data)
    router.command("hapus", "forget")(account.forget)
    router.payload("reg")(flow.on_payload)
    router.flow(FLOW, on_return=flow.come_back, on_cancel=cancel.guard)(flow.on_message)
    router.cancel_guard(KEPT_FLOW)(cancel.guard)
