"""`/belumterjawab` (`/unanswered`): group unanswered questions; link a group to a topic or ignore it."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.faq import add_phrasings
from handlers.numbers import whole_number
from handlers.payloads import ButtonCode
from handlers.router import Router
from handlers.staff.common import audit, split_args, subcommand
from handlers.staff.grouping import Group, find_group, group_questions
from handlers.staff.stats import topic_title
from handlers.types import Button, Reply
from knowledge.languages import LANGUAGE_NAMES

ROLE = "admin"  # linking changes what the bot answers to everyone


class UnansweredButton(ButtonCode, prefix="una"):
    LINK = "l"  # una:l:<anchor>:<topic>: the group's questions become the topic's phrasings
    IGNORE = "i"  # una:i:<anchor>
DAYS = 30
SHOWN = 8
GUESSES = 2
EXAMPLE_MAX = 160  # characters of an example shown; the list stays one message
ACTIONS = {"link": ("tautkan", "pautkan"), "ignore": ("abaikan",), "topics": ("topik",)}


async def unanswered(ctx: Ctx) -> list[Reply]:
    """List the groups, or `link ID TOPIC`, `ignore ID`, `topics`."""
    args = split_args(ctx)
    if not args:
        return await list_groups(ctx)
    action = subcommand(args[0], ACTIONS)
    if action == "topics" and len(args) == 1:
        topics = [(topic, topic_title(ctx, topic)) for topic in sorted(_faq(ctx).entries)]
        return [ctx.say("staff.unanswered_topics", topics=topics)]
    number = whole_number(args[1]) if len(args) > 1 else None
    if action == "link" and len(args) == 3 and number is not None:
        return await link(ctx, number, args[2].lower())
    if action == "ignore" and len(args) == 2 and number is not None:
        return await ignore(ctx, number)
    return [ctx.say("staff.unanswered_usage")]


async def list_groups(ctx: Ctx) -> list[Reply]:
    """One message: a header, then each group (named #ANCHOR, the number the command takes)
    with its buttons. One message, so typed choices (console, WhatsApp lists) reach every group."""
    groups = await _groups(ctx)
    await audit(ctx, "unanswered.view", groups=len(groups))
    if not groups:
        return [ctx.say("staff.unanswered_empty", days=DAYS)]
    total = await ctx.deps.storage.curation.count_waiting(days=DAYS)
    blocks = [ctx.t("staff.unanswered_header", groups=len(groups), total=total, days=DAYS,
                    shown=SHOWN)]
    buttons: list[Button] = []
    for group in groups[:SHOWN]:
        text, group_buttons = _group_block(ctx, group)
        blocks.append(text)
        buttons += group_buttons
    return [Reply("\n\n".join(blocks), tuple(buttons))]


def _group_block(ctx: Ctx, group: Group) -> tuple[str, list[Button]]:
    """The group's text and its buttons (closest topics, ignore), all naming #ANCHOR."""
    guesses = [
        topic for topic, _ in group.guesses.most_common(GUESSES) if topic in _faq(ctx).entries
    ]
    buttons: list[Button] = []
    for topic in guesses:
        payload = UnansweredButton.LINK.payload(group.anchor, topic)
        if len(payload.encode()) <= 64:
            buttons.append(ctx.button("staff.unanswered_link", payload, number=group.anchor,
                                      topic=topic_title(ctx, topic)))
    buttons.append(ctx.button("staff.unanswered_ignore", UnansweredButton.IGNORE.payload(group.anchor),
                              number=group.anchor))
    text = ctx.t(
        "staff.unanswered_group",
        number=group.anchor,
        count=group.count,
        languages=[f"{LANGUAGE_NAMES.get(lang, lang)} {n}"
                   for lang, n in group.languages.most_common()],
        examples=[_short(example) for example in group.examples()],
        guesses=[(topic_title(ctx, topic), topic) for topic in guesses],
    )
    return text, buttons


def _short(text: str, limit: int = EXAMPLE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def on_button(ctx: Ctx, value: str) -> list[Reply]:
    """Link a group of questions to a topic, or ignore it (UnansweredButton)."""
    parsed = UnansweredButton.parse(value)
    press, args = parsed if parsed is not None else (None, "")
    anchor, _, topic = args.partition(":")
    number = whole_number(anchor)
    if press is UnansweredButton.LINK and number is not None and ":" not in topic:
        return await link(ctx, number, topic)
    if press is UnansweredButton.IGNORE and number is not None and not args.count(":"):
        return await ignore(ctx, number)
    return [ctx.say("core.stale_button")]


async def link(ctx: Ctx, anchor: int, topic: str) -> list[Reply]:
    """Make the group's phrasings sample questions of `topic` (live and stored)."""
    if topic not in _faq(ctx).entries:
        return [ctx.say("staff.unanswered_unknown_topic", topic=topic)]
    group = find_group(await _groups(ctx), anchor)
    if group is None:
        return [ctx.say("staff.unanswered_gone", anchor=anchor)]
    by_language: dict[str, list[str]] = {}
    for question in group.questions:
        by_language.setdefault(question.language, []).append(question.text.strip())
    added = 0
    for lang, texts in by_language.items():
        added += await add_phrasings(ctx.deps, topic, lang, texts, created_by=ctx.user.key)
    marked = await ctx.deps.storage.curation.mark(group.ids, "linked", topic)
    await audit(ctx, "unanswered.link", topic, questions=group.ids, phrasings=added)
    title = f"{topic_title(ctx, topic)} ({topic})"
    return [ctx.say("staff.unanswered_linked", count=marked, topic=title, phrasings=added)]


async def ignore(ctx: Ctx, anchor: int) -> list[Reply]:
    """Mark the group's questions ignored: they are not listed again."""
    group = find_group(await _groups(ctx), anchor)
    if group is None:
        return [ctx.say("staff.unanswered_gone", anchor=anchor)]
    marked = await ctx.deps.storage.curation.mark(group.ids, "ignored")
    await audit(ctx, "unanswered.ignore", str(anchor), questions=group.ids)
    return [ctx.say("staff.unanswered_ignored", count=marked)]


async def _groups(ctx: Ctx) -> list[Group]:
    return group_questions(await ctx.deps.storage.curation.unanswered(days=DAYS))


def _faq(ctx: Ctx):
    return ctx.deps.knowledge.faq


def register(router: Router) -> None:
    router.command("belumterjawab", "unanswered", role=ROLE)(unanswered)
    router.payload("una", role=ROLE)(on_button)
