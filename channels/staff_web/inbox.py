"""The inbox: open tickets with their threads; take, reply (text, photo or document), close
(with a note and the chat's "turn into knowledge" choice), release — through TicketService,
as the chat's /tiket, /balas, /tutup and /kembalikan. The page polls for news (htmx)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.render import HEADERS, page
from channels.staff_web.uploads import TICKET, Refused, store_upload
from handlers import Deps
from handlers.broadcast.compose import attachment_of
from handlers.handoff import staff as chat
from handlers.handoff.buttons import TicketButton
from handlers.handoff.service import MAX_TEXT
from handlers.handoff.user import service_of
from handlers.staff.common import audit
from handlers.types import CHANNEL_NAMES, Button
from knowledge.languages import LANGUAGE_NAMES

ROLE = chat.ROLE  # agent, as the chat's ticket commands (admins hold it too)
POLL = "3s"  # how often an open inbox or ticket asks for news
SHOWN = chat.SHOWN  # tickets listed, as /tiket
THREAD = 200  # messages of a ticket shown
INLINE_TYPES = ("image/jpeg", "image/png")  # files shown in the page; others are downloads


async def ticket_rows(deps: Deps, staff: Staff) -> list[dict]:
    """The open tickets as the list shows them, oldest first."""
    storage = deps.storage
    rows = []
    for ticket in await storage.tickets.list_open(limit=SHOWN):
        user = await storage.users.get_by_id(ticket.user_pk) if ticket.user_pk else None
        rows.append({
            "ticket": ticket,
            "name": (user.display_name if user else None) or staff.t("handoff.no_name"),
            "channel": CHANNEL_NAMES.get(ticket.channel, ticket.channel),
            "language": LANGUAGE_NAMES.get(ticket.language, ticket.language),
            "first_line": (ticket.question or "").strip().split("\n")[0][:120],
            "mine": ticket.assignee == staff.session.member,
        })
    return rows


async def ticket_data(deps: Deps, staff: Staff, ticket_id: int) -> dict | None:
    """A ticket with its user, registration and thread; None if there is no such ticket."""
    storage = deps.storage
    ticket = await storage.tickets.get(ticket_id)
    if ticket is None:
        return None
    user = await storage.users.get_by_id(ticket.user_pk) if ticket.user_pk else None
    registration = await storage.registrations.get_for_user(ticket.user_pk) \
        if ticket.user_pk else None  # fmt: skip
    messages, names = [], {}
    for message in await storage.tickets.messages(ticket_id, last=THREAD):
        media = await storage.media.get(message.media_id) if message.media_id else None
        key = message.staff_key
        if key and key not in names:  # staff read each other's names, not account numbers
            member = await storage.users.get(*key.split(":", 1))
            names[key] = (member.display_name if member else None) or key
        messages.append({"m": message, "media": media, "staff": names.get(key),
                         "inline": media is not None and media.mime_type in INLINE_TYPES})
    return {
        "ticket": ticket,
        # Never the WhatsApp number a user writes from: only what they registered (as the card).
        "name": (user.display_name if user else None) or staff.t("handoff.no_name"),
        "channel": CHANNEL_NAMES.get(ticket.channel, ticket.channel),
        "language": LANGUAGE_NAMES.get(ticket.language, ticket.language),
        "registration": registration,
        "reg_status": staff.t(f"staff.status_{registration.status}") if registration else "",
        "messages": messages,
        "mine": ticket.assignee == staff.session.member,
        "poll": POLL,
        "max_text": MAX_TEXT,
    }


def curation_choices(number: int, buttons: tuple[Button, ...]) -> list[Button]:
    """The chat's "turn into knowledge" buttons of a closed ticket, for its page."""
    return [b for b in buttons if _curation(number, b.payload) is not None]


def _curation(number: int, payload: str) -> tuple[TicketButton, str | None] | None:
    """(LINK, topic) or (NEW_TOPIC, None) for a curation payload of ticket `number`."""
    prefix, _, value = payload.partition(":")
    parsed = TicketButton.parse(value) if prefix == TicketButton.prefix else None
    if parsed is None or parsed[0] not in (TicketButton.LINK, TicketButton.NEW_TOPIC):
        return None
    code, rest = parsed
    head, _, topic = rest.partition(":")
    if head != str(number) or bool(topic) != (code is TicketButton.LINK):
        return None
    return code, topic or None


def routes(deps: Deps, guard) -> list[Route]:
    tickets = service_of(deps)

    async def listing(request: Request, staff: Staff) -> Response:
        rows = await ticket_rows(deps, staff)
        await audit(staff.ctx, "ticket.list", count=len(rows))
        return page(request, staff, "inbox.html", rows=rows, poll=POLL)

    async def listing_part(request: Request, staff: Staff) -> Response:
        return page(request, staff, "inbox_list.html", rows=await ticket_rows(deps, staff),
                    poll=POLL)

    async def show(request: Request, staff: Staff, flash: str = "", error: str = "",
                   curate: list[Button] | None = None, status_code: int = 200) -> Response:
        ticket_id = request.path_params["id"]
        data = await ticket_data(deps, staff, ticket_id)
        if data is None:
            return page(request, staff, "message.html", status_code=404,
                        message=staff.t("handoff.not_open", number=ticket_id))
        if request.method == "GET":
            await audit(staff.ctx, "web.ticket", str(ticket_id))
        return page(request, staff, "ticket.html", flash=flash, error=error,
                    curate=curate or [], status_code=status_code, **data)

    async def thread_part(request: Request, staff: Staff) -> Response:
        data = await ticket_data(deps, staff, request.path_params["id"])
        if data is None:
            return Response(status_code=404)
        return page(request, staff, "ticket_thread.html", **data)

    async def take(request: Request, staff: Staff) -> Response:
        number = request.path_params["id"]
        if await tickets.take(number, chat.agent_of(staff.ctx)):
            return await show(request, staff, flash=staff.t("web.ticket_taken", number=number))
        ticket = await deps.storage.tickets.get(number)
        if ticket is None or not ticket.is_open:
            return await show(request, staff, error=staff.t("handoff.not_open", number=number),
                              status_code=409)
        # Another agent was first (one UPDATE decides): say who.
        return await show(request, staff, status_code=409, error=staff.t(
            "handoff.already_taken", number=number,
            agent=ticket.assignee_name or ticket.assignee))

    async def reply(request: Request, staff: Staff) -> Response:
        number = request.path_params["id"]
        form = await request.form()
        text = str(form.get("text") or "").strip()
        try:
            stored = await store_upload(staff, form.get("file"), TICKET)
        except Refused as exc:
            return await show(request, staff, error=str(exc), status_code=400)
        if not text and stored is None:
            return await show(request, staff, error=staff.t("web.ticket_reply_empty"),
                              status_code=400)
        if len(text) > MAX_TEXT:
            return await show(request, staff, status_code=400,
                              error=staff.t("web.ticket_reply_long", limit=MAX_TEXT))
        sent = await tickets.reply(number, chat.agent_of(staff.ctx), text, attachment_of(stored))
        if sent is None:
            if stored is not None:
                await deps.storage.media.delete_if_unused(stored.id)
            return await show(request, staff, error=staff.t("handoff.not_open", number=number),
                              status_code=409)
        return await show(request, staff, flash=staff.t("handoff.reply_queued", number=number))

    async def release(request: Request, staff: Staff) -> Response:
        number = request.path_params["id"]
        if await tickets.release(number, chat.agent_of(staff.ctx)):
            return await show(request, staff, flash=staff.t("handoff.released", number=number))
        return await show(request, staff, error=staff.t("handoff.not_taken", number=number),
                          status_code=409)

    async def close(request: Request, staff: Staff) -> Response:
        number = request.path_params["id"]
        form = await request.form()
        note = str(form.get("note") or "").strip()[:200]
        [said] = await chat.close(staff.ctx, number, note)  # TicketService.close, as /tutup
        if said.text == staff.t("handoff.not_open", number=number):  # closed meanwhile
            return await show(request, staff, error=said.text, status_code=409)
        return await show(request, staff, flash=said.text,
                          curate=curation_choices(number, said.buttons))

    async def curate(request: Request, staff: Staff) -> Response:
        number = request.path_params["id"]
        form = await request.form()
        choice = _curation(number, str(form.get("choice") or ""))
        if choice is None:
            return await show(request, staff, error=staff.t("core.stale_button"), status_code=400)
        [said] = await chat.curate(staff.ctx, number, choice[1])  # audited as in the chat
        return await show(request, staff, flash=said.text)

    async def file(request: Request, staff: Staff) -> Response:
        """A file of the ticket's thread (only files that belong to this ticket)."""
        number, media_id = request.path_params["id"], request.path_params["media"]
        owned = {m.media_id for m in await deps.storage.tickets.messages(number, last=THREAD)}
        media = await deps.storage.media.get(media_id) if media_id in owned else None
        data = await deps.storage.media.data(media_id) if media is not None else None
        if media is None or data is None:
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        inline = media.mime_type in INLINE_TYPES
        name = media.filename.replace('"', "")
        disposition = "inline" if inline else f'attachment; filename="{name}"'
        return Response(data, media_type=media.mime_type if inline else "application/octet-stream",
                        headers={**HEADERS, "Content-Disposition": disposition,
                                 "Content-Security-Policy": "default-src 'none'; sandbox"})

    ticket_path = "/staff/inbox/{id:int}"
    return [
        Route("/staff/inbox", guard(ROLE)(listing), methods=["GET"]),
        Route("/staff/inbox/list", guard(ROLE, poll=True)(listing_part), methods=["GET"]),
        Route(ticket_path, guard(ROLE)(show), methods=["GET"]),
        Route(ticket_path + "/thread", guard(ROLE, poll=True)(thread_part), methods=["GET"]),
        Route(ticket_path + "/take", guard(ROLE)(take), methods=["POST"]),
        Route(ticket_path + "/reply", guard(ROLE)(reply), methods=["POST"]),
        Route(ticket_path + "/release", guard(ROLE)(release), methods=["POST"]),
        Route(ticket_path + "/close", guard(ROLE)(close), methods=["POST"]),
        Route(ticket_path + "/curate", guard(ROLE)(curate), methods=["POST"]),
        Route(ticket_path + "/file/{media:int}", guard(ROLE)(file), methods=["GET"]),
    ]
