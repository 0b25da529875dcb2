"""After submitting: /status, /ubah (edit), /datasaya (my data) and /hapus (erase)."""

from __future__ import annotations

from datetime import datetime

from handlers import offers
from handlers.context import Ctx
from handlers.faq import reload_knowledge
from handlers.handoff.user import service_of
from handlers.menu import main_menu_buttons
from handlers.registration.fields import POLICY_VERSION
from handlers.registration.state import FLOW, SUMMARY
from handlers.registration.steps import edit_draft, goto, offer_resume
from handlers.registration.summary import rows
from handlers.types import Button, Reply
from handlers.wib import wib, wib_day
from knowledge.languages import LANGUAGE_NAMES


def when(moment: datetime | None) -> str:
    """A stored time as the user reads it: Jakarta time (WIB)."""
    return wib(moment, empty="-")


def day(moment: datetime | None) -> str:
    """The Jakarta calendar day of a stored time."""
    return wib_day(moment, empty="-")


def _not_registered(ctx: Ctx) -> list[Reply]:
    return [ctx.say("register.no_registration", buttons=main_menu_buttons(ctx))]


async def status(ctx: Ctx) -> list[Reply]:
    """The registration's status, then the open ticket to staff if there is one (the handoff
    message says /status still works: a buyer with no registration asks it for the ticket)."""
    replies = await _registration_status(ctx)
    ticket = await ctx.deps.storage.tickets.open_for_user(ctx.user.id)
    if ticket is not None:
        replies.append(ctx.say("handoff.already_open", number=ticket.id))
    return replies


async def _registration_status(ctx: Ctx) -> list[Reply]:
    """Show the registration's status, reference, date and the staff note."""
    reg = await ctx.deps.storage.registrations.get_for_user(ctx.user.id)
    if reg is None and ctx.in_flow(FLOW):  # the form is half filled in: offer to go on
        return await offer_resume(ctx)
    if reg is None:
        return _not_registered(ctx)
    buttons: tuple[Button, ...] = main_menu_buttons(ctx)
    if reg.status == "rejected":
        buttons = (ctx.button("register.edit_button", "menu:ubah"), *buttons)
    return [
        ctx.say(
            "register.status",
            status=reg.status,
            status_name=ctx.t(f"register.status_name.{reg.status}"),
            reference=reg.reference,
            submitted=day(reg.submitted_at or reg.created_at),
            reviewed=day(reg.reviewed_at),
            note=reg.staff_note or "",
            buttons=buttons,
        )
    ]


async def edit(ctx: Ctx) -> list[Reply]:
    """Change a submitted registration through the same questions, from its summary."""
    if ctx.in_flow(FLOW):
        return await offer_resume(ctx)
    reg = await ctx.deps.storage.registrations.get_for_user(ctx.user.id)
    if reg is None:
        return _not_registered(ctx)
    return await goto(ctx, edit_draft(reg), SUMMARY, ctx.t("register.edit_intro"))


async def my_data(ctx: Ctx) -> list[Reply]:
    """Everything stored about the user, as one message."""
    storage = ctx.deps.storage
    reg = await storage.registrations.get_for_user(ctx.user.id)
    user = ctx.user
    registration = None
    if reg is not None:
        answers = {**vars(reg.data()), "interests": list(reg.interests)}
        registration = {
            "reference": reg.reference,
            "status": ctx.t(f"register.status_name.{reg.status}"),
            "rows": rows(ctx, answers, every_field=True),
            "phone_verified": reg.phone_verified,
            "consent_at": when(reg.consent_at),
            "consent_version": reg.consent_version,
            "created": when(reg.created_at),
            "updated": when(reg.updated_at),
            "note": reg.staff_note or "",
        }
    return [
        ctx.say(
            "register.mydata",
            channel=user.channel,
            user_id=user.user_id,
            name=user.display_name or "",
            language=LANGUAGE_NAMES[ctx.lang],
            subscribed=user.subscribed,
            first_seen=when(user.first_seen),
            questions=await storage.privacy.questions_logged(user.id),
            draft=ctx.conv is not None,
            registration=registration,
            buttons=main_menu_buttons(ctx),
        )
    ]


async def forget(ctx: Ctx) -> list[Reply]:
    """Ask for confirmation before erasing the user's data (a typed "ya" answers it too)."""
    reg = await ctx.deps.storage.registrations.get_for_user(ctx.user.id)
    await offers.ask(ctx, "reg:forget:yes", "reg:forget:no")
    return [
        ctx.say(
            "register.forget_confirm",
            reference=reg.reference if reg else "",
            buttons=(ctx.button("register.forget_yes", "reg:forget:yes"),
                     ctx.button("register.forget_no", "reg:forget:no")),
        )
    ]


async def forget_answer(ctx: Ctx, arg: str) -> list[Reply]:
    """Erase for real (storage.privacy.ERASURE_POLICY says what goes), or keep everything."""
    if arg != "yes":
        return [ctx.say("register.forget_kept", buttons=main_menu_buttons(ctx))]
    ticket = await ctx.deps.storage.tickets.open_for_user(ctx.user.id)
    erasure = await ctx.deps.storage.privacy.erase_user(ctx.user.id)
    ctx.conv = None
    if ticket is not None:  # the agents see it closed; its texts are gone
        await service_of(ctx.deps).tell_agents_closed(ticket.id)
    if erasure.phrasings_deleted:  # the live matcher still knows them: rebuild it
        await reload_knowledge(ctx.deps)
    return [
        ctx.say(
            "register.forgotten",
            registration=erasure.registration_deleted,
            version=POLICY_VERSION,
            buttons=main_menu_buttons(ctx),
        )
    ]
