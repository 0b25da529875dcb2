"""The conversation core's one entry point: Incoming in, list of Reply out."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from handlers import offers
from handlers.context import Ctx
from handlers.deps import Deps
from handlers.flood import FloodGuard, Verdict, flood_guard
from handlers.logsafe import log_failure
from handlers.menu import main_menu_buttons, unknown_command
from handlers.outage import OutageLog
from handlers.roles import has_role, user_roles
from handlers.router import Router
from handlers.serial import KeyedLock
from handlers.types import Incoming, Reply
from knowledge.intents_checks import BROADCAST, BROADCAST_TEXT
from knowledge.languages import pick_language
from storage import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """The replies to one message and the language they are in (channels draw them in it)."""

    replies: list[Reply]
    language: str


class Assistant:
    """Handles each user's messages one at a time, different users concurrently."""

    def __init__(
        self, deps: Deps, router: Router | None = None, flood: FloodGuard | None = None
    ) -> None:
        from handlers.app import build_router  # late: feature modules import this package

        self.deps = deps
        self.router = router or build_router()
        self._locks = KeyedLock()
        self.flood = flood if flood is not None else flood_guard(deps)
        self.storage_outage = OutageLog(log, "storage")

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message; never raises for a bad message or a failing handler."""
        return (await self.answer(incoming)).replies

    async def answer(self, incoming: Incoming) -> Answer:
        """`handle`, with the language of the replies (no second read of the user for it)."""
        # Before the lock: a flooder's surplus never queues behind (or ahead of) anything.
        verdict = await self.flood.allow(incoming.channel, incoming.user_id)
        if verdict is not Verdict.ALLOW:
            if verdict is Verdict.WARN:
                return await self._slow_down(incoming)
            return Answer([], pick_language(incoming.language_hint))
        # One message per user at a time: in this process, then across every worker sharing
        # the database (an advisory lock on PostgreSQL; nothing more to do on SQLite).
        user_key = f"user:{incoming.channel}:{incoming.user_id}"
        async with self._locks.hold((incoming.channel, incoming.user_id)):
            try:
                async with self.deps.storage.db.keyed_lock(user_key):
                    answer = await self._dispatch(incoming)
            except StorageError as exc:  # full, read-only, unreachable: the operator must act
                self.storage_outage.failed(exc)
                return self._apology(incoming, "core.storage_error")
            except Exception:
                log_failure(log, "handler failure on %s %s message", incoming.channel,
                            incoming.kind)
                return self._apology(incoming, "core.error")
            self.storage_outage.ok()
            return answer

    async def _dispatch(self, incoming: Incoming) -> Answer:
        storage = self.deps.storage
        user, conv = await storage.users.arrive(
            incoming.channel, incoming.user_id, incoming.display_name)
        ctx = Ctx(
            self.deps, incoming, user, conv, run_command=self.run_command,
            kept_flows=frozenset(self.router.returns), commands=frozenset(self.router.commands),
            cancel_guards=self.router.cancels,
        )  # fmt: skip
        replies = await self._route(ctx, await offers.take(ctx))
        if ctx.returned_to is not None:
            replies += await self.router.returns[ctx.returned_to](ctx)
        return Answer(replies, ctx.lang)

    async def _route(self, ctx: Ctx, offer: dict[str, str] | None) -> list[Reply]:
        incoming = ctx.incoming
        if incoming.command is not None:
            return await self.run_command(ctx, incoming.command)
        if incoming.payload is not None:
            return await self._run_payload(ctx, incoming.payload)
        if offer is not None and incoming.text is not None:  # "ya" to "erase your data?"
            said = await offers.answer(ctx, offer, incoming.text)
            if said is not None:
                return await self._run_payload(ctx, said) if isinstance(said, str) else said
        if incoming.reply_to is not None and self.router.reply_handler is not None:
            replies = await self.router.reply_handler(ctx)
            if replies is not None:
                return replies
        if ctx.conv is not None and ctx.conv.flow in self.router.flows:
            return await self.router.flows[ctx.conv.flow](ctx)
        if incoming.text is not None and incoming.text.strip():
            staff = await self._staff_request(ctx, incoming.text)
            if staff is not None:
                return staff
            if self.router.text_handler is not None:
                return await self.router.text_handler(ctx)
            return [ctx.say("core.not_understood", buttons=main_menu_buttons(ctx))]
        if incoming.contact_phone is not None:
            return [ctx.say("core.contact_not_needed", buttons=main_menu_buttons(ctx))]
        return [ctx.say("core.unsupported", buttons=main_menu_buttons(ctx))]

    async def run_command(self, ctx: Ctx, name: str) -> list[Reply]:
        """Run `/name` if it exists and the user may use it; otherwise the unknown-command hint."""
        spec = self.router.commands.get(name)
        if spec is None or not await has_role(ctx, spec.role):
            return unknown_command(ctx, name, await self._own_staff_commands(ctx))
        return await spec.handler(ctx)

    async def _staff_request(self, ctx: Ctx, text: str) -> list[Reply] | None:
        """A staff command asked in words ("statistik minggu ini") by someone who may run it;
        None for anyone else, whose message goes on to the FAQ ("statistik" is umkm-numbers)."""
        intents = ctx.deps.knowledge.intents
        head, *rest = BROADCAST_TEXT.split(text, maxsplit=1)
        said = rest[0].strip() if rest else ""
        if said and intents.staff_request(head) == BROADCAST:
            name = BROADCAST  # "kirim pengumuman: besok ada pelatihan ..."
        else:
            name, said = intents.staff_request(text), ""
        spec = self.router.commands.get(name) if name is not None else None
        if spec is None or spec.role is None or not await has_role(ctx, spec.role):
            return None  # roles are looked up only for these few phrases, not every message
        if said:  # the announcement's text, as `/siaran <text>` gives it
            ctx.incoming = replace(ctx.incoming, args=said)
        return await spec.handler(ctx)

    async def _own_staff_commands(self, ctx: Ctx) -> list[str]:
        """The staff commands this user may run, so a typo of one is named ("/tinjauan" ->
        /tinjau); none for someone without a role, who never learns that they exist."""
        if not await user_roles(ctx):
            return []
        return [name for name, spec in self.router.commands.items()
                if spec.role and await has_role(ctx, spec.role)]  # fmt: skip

    async def _run_payload(self, ctx: Ctx, payload: str) -> list[Reply]:
        prefix, _, value = payload.partition(":")
        spec = self.router.payloads.get(prefix)
        if spec is None or not await has_role(ctx, spec.role):
            return [ctx.say("core.stale_button", buttons=main_menu_buttons(ctx))]
        return await spec.handler(ctx, value)

    async def _slow_down(self, incoming: Incoming) -> Answer:
        """The one "please slow down" of a flood window, in the user's language if known."""
        try:
            user = await self.deps.storage.users.get(incoming.channel, incoming.user_id)
        except StorageError:
            user = None
        lang = (user and user.language) or pick_language(incoming.language_hint)
        return Answer([Reply(self.deps.knowledge.texts.render(lang, "limits.slow_down"))], lang)

    def _apology(self, incoming: Incoming, key: str) -> Answer:
        lang = pick_language(incoming.language_hint)
        return Answer([Reply(self.deps.knowledge.texts.render(lang, key))], lang)
