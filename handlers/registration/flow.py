"""The registration form: /daftar, typed answers, and the form's buttons, one step at a time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import understanding
from handlers.choices import match_choice
from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.registration import answers, cancel, submit
from handlers.registration.fields import BY_NAME, FIELDS, TEXT_VALIDATORS, Invalid, Kind
from handlers.registration.phone import normalise
from handlers.registration.questions import DONE, is_back_word, picks, whatsapp_number
from handlers.registration.state import (
    CANCEL,
    CONSENT,
    DUP_PHONE,
    FLOW,
    KEPT_FLOW,
    RESUME,
    SUMMARY,
    new_draft,
    next_step,
)
from handlers.registration.steps import already_registered, goto, is_idle, offer_resume, show
from handlers.registration.typed import (
    asks_if_required,
    field_named,
    named_options,
    says_done,
)
from handlers.types import Button, Reply, strip_controls
from knowledge.languages import LANGUAGES

STEPS = {*BY_NAME, CONSENT, RESUME, SUMMARY, DUP_PHONE, CANCEL}
EDIT = "reg:edit:"  # the summary's change buttons: reg:edit:<field>
FIELD_WORDS = 6  # "hoyong ngagentos email", "no hp sy salah": a field named in a short message
SKIP_CHARS = 40  # "tidak ada, lewati saja ya min": a skip is short


async def start(ctx: Ctx) -> list[Reply]:
    """Start the form with the consent question, or offer to resume an unfinished one."""
    if ctx.in_flow(FLOW):
        return await offer_resume(ctx)
    if ctx.in_flow(KEPT_FLOW):  # kept for later by /batal
        assert ctx.conv is not None
        await ctx.set_state(FLOW, RESUME, ctx.conv.draft)
        return await offer_resume(ctx)
    existing = await ctx.deps.storage.registrations.get_for_user(ctx.user.id)
    if existing is not None:
        return await already_registered(ctx, existing)
    return await goto(ctx, new_draft(), CONSENT)


async def come_back(ctx: Ctx) -> list[Reply]:
    """A staff task interrupted the form and has ended: park the form, say how to go on."""
    assert ctx.conv is not None
    draft, step = dict(ctx.conv.draft), ctx.conv.step
    if step != RESUME:
        draft["resume"] = step
    await ctx.set_state(FLOW, RESUME, draft)
    return [ctx.say("register.kept", mode=draft.get("mode"))]


async def on_message(ctx: Ctx) -> list[Reply]:
    """A typed message, shared contact or other message while the form is open."""
    assert ctx.conv is not None
    draft, step = ctx.conv.draft, ctx.conv.step
    incoming = ctx.incoming
    if step not in STEPS:  # state written by another version of the form
        return await goto(ctx, draft, next_step(draft))
    if step != RESUME and is_idle(ctx):
        return await offer_resume(ctx)
    if incoming.contact_phone is not None and step == "phone":
        return await answers.contact(ctx, draft)
    if incoming.unsupported is not None or incoming.contact_phone is not None:
        return show(ctx, draft, step, ctx.t("register.err.unsupported"))
    text = incoming.text or ""
    if is_back_word(text):
        return await answers.back(ctx, draft, step)
    field = BY_NAME.get(step)
    buttons = [button for reply in show(ctx, draft, step) for button in reply.buttons]
    if field is None or field.kind in (Kind.CHOICE, Kind.MULTI):
        if field is not None and field.kind is Kind.MULTI and says_done(
            ctx.deps.knowledge.intents, text
        ):  # "siap", "udah": the Selesai button
            return await on_payload(ctx, DONE.partition(":")[2])
        if field is not None and ctx.deps.knowledge.intents.choice(step, text) == "all":
            return await answers.accept(ctx, draft, step, list(field.options))  # "semua"
        named = _listed(ctx, step, text)  # "training and export info": those, and on
        if len(named) > 1:
            ticked = [o for o in field.options if o in {*named, *picks(draft)}]
            return await answers.accept(ctx, draft, step, ticked)
        chosen = match_choice(text, buttons)
        if chosen is None and step == SUMMARY:
            typed = await _typed_value(ctx, draft, text)  # "0813 1111 2222" for Telepon
            if typed is not None:
                return typed
        chosen = (chosen or _match_option(ctx, step, text, buttons)
                  or _match_said(ctx, step, text, buttons) or _match_field(ctx, step, text, buttons))
        if chosen is None:
            aside = await _aside(ctx, draft, step, text)
            return aside or show(ctx, draft, step, ctx.t("register.err.choose"))
        return await on_payload(ctx, chosen.payload.partition(":")[2])
    chosen = _match_label(text, buttons)  # typed "Lewati"/"Skip": labels only, never numbers
    if chosen is not None:
        return await on_payload(ctx, chosen.payload.partition(":")[2])
    if field.optional and (ctx.deps.knowledge.intents.is_skip(text) or _dash(text)):
        return await answers.skip(ctx, draft, step, "")  # "blm punya", "skip", "-"
    if field.kind is Kind.TEXT and _courtesy(ctx, text):  # "makasih" is not a business name
        return show(ctx, draft, step, ctx.t("understand.back_to_form"))
    if field.kind is Kind.TEXT and understanding.looks_like_question(ctx, text):
        aside = await _aside(ctx, draft, step, text)
        if aside:
            return aside
        if text.rstrip().endswith("?"):  # "kudu sabaraha panjang?" is no city, though unanswered
            return show(ctx, draft, step, ctx.t("register.question_not_answer"))
    return await _typed_answer(ctx, draft, step, text)


async def _aside(ctx: Ctx, draft: dict, step: str, text: str) -> list[Reply] | None:
    """A question asked instead of an answer: the FAQ answers it, then the form asks again."""
    field = BY_NAME.get(step)
    if field is not None and not field.optional and _skips(ctx, text):
        return show(ctx, draft, step, ctx.t("register.err.required"))  # "skip" asks nothing
    if field is not None and asks_if_required(ctx.deps.knowledge.intents, text, field.name):
        said = "register.field_optional" if field.optional else "register.field_required"
        return show(ctx, draft, step, ctx.t(said))
    replies = await understanding.aside(ctx, text)
    if replies is None:
        return None
    back = ctx.t("understand.back_to_form")
    topic = (await understanding.read(ctx, text)).topic  # a recent reading: not read again
    answered = draft.get("answers", {})
    field = next((f for f in FIELDS if f.optional and f.topic and f.topic == topic
                  and f.name not in answered), None)  # fmt: skip
    if field is not None:  # "nib wajib ga?": the FAQ says what NIB is, the form that it may wait
        label = ctx.t(f"register.label.{field.name}")
        back = f"{ctx.t('register.optional_here', field=label)}\n\n{back}"
    return replies + show(ctx, draft, step, back)


async def _typed_answer(ctx: Ctx, draft: dict, step: str, text: str) -> list[Reply]:
    """Validate a typed answer to field `step`; wrong: what is wrong, and the question again."""
    field = BY_NAME[step]
    try:
        if field.kind is Kind.PHONE:
            number = normalise(text)
            own = whatsapp_number(ctx) == number
            return await answers.phone(ctx, draft, number, verified=own)
        clean = strip_controls(text, keep_lines=field.multiline)
        value = TEXT_VALIDATORS[field.kind](field, clean)
    except Invalid as exc:
        aside = await _aside(ctx, draft, step, text)
        return aside or show(ctx, draft, step, ctx.t(f"register.err.{exc.code}", **exc.data))
    if ctx.deps.knowledge.intents.is_skip(text):  # "ga ada" is not a district: no skipping here
        return show(ctx, draft, step, ctx.t("register.err.required"))
    if step == "owner_name" and draft.get("owner_checked") != value and (
        ctx.deps.knowledge.intents.names_a_business(value)
    ):  # "Toko Kue Bu Imas": asked once more; sent again as it is, it is the owner's name
        draft["owner_checked"] = value
        await ctx.set_state(FLOW, step, draft)
        return show(ctx, draft, step, ctx.t("register.err.business_name", name=value))
    return await answers.accept(ctx, draft, step, value)


async def _typed_value(ctx: Ctx, draft: dict, text: str) -> list[Reply] | None:
    """At the summary, a new phone number or e-mail typed instead of pressing its field: the one
    field whose format it has takes it, as its own question would (a typed number is unproven);
    anything else, or both, None."""
    found = []
    for name, read in (("phone", normalise), ("email", _email)):
        try:
            found.append((name, read(text)))
        except Invalid:
            continue
    if len(found) != 1:
        return None
    name, value = found[0]
    if name == "phone":
        return await answers.phone(ctx, draft, value, verified=whatsapp_number(ctx) == value)
    return await answers.accept(ctx, draft, name, value)


def _email(text: str) -> str:
    return TEXT_VALIDATORS[Kind.EMAIL](BY_NAME["email"], strip_controls(text))


def _skips(ctx: Ctx, text: str) -> bool:
    """A short "skip", "lewati", "ga ada" (a hundred x's read as Malaysian chat's "x" = "tak" are
    a too-long answer, not a skip)."""
    return len(text) <= SKIP_CHARS and ctx.deps.knowledge.intents.is_skip(text)


def _dash(text: str) -> bool:
    """A dash or dot alone, as paper forms leave an empty field ("-" was "too short")."""
    return bool(text.strip()) and not text.strip(" -.\u2013\u2014_/")


def _courtesy(ctx: Ctx, text: str) -> bool:
    """Only thanks, a greeting or a goodbye ("makasih", "punten"); "ok" may be a name."""
    intent = ctx.deps.knowledge.intents.classify(text)
    return intent.kind == "smalltalk" and intent.name in ("thanks", "greeting", "goodbye")


def _listed(ctx: Ctx, step: str, text: str) -> list[str]:
    """At a question with several choices, the options a typed list names (typed.named_options)."""
    field = BY_NAME.get(step)
    if field is None or field.kind is not Kind.MULTI:
        return []
    return named_options(ctx.deps.knowledge.intents, step, text, field.options)


def _match_said(ctx: Ctx, step: str, text: str, buttons: list[Button]) -> Button | None:
    """The button meant by words for it (intents.yaml `form_choices`, and `consent`): the consent
    ("iya", "ga"), /batal's or the resume question ("nanti aja", "lanjut", "dari awal"), a field's
    option ("tak pernah", "makanan"; its pick or toggle button ends with the option's code)."""
    wanted = ctx.deps.knowledge.intents.choice(step, text)
    return next((b for b in buttons if wanted and b.payload.endswith(f":{wanted}")), None)


def _match_field(ctx: Ctx, step: str, text: str, buttons: list[Button]) -> Button | None:
    """At the summary, the change button of the one field the message names ("ganti email")."""
    if step != SUMMARY or len(text.split()) > FIELD_WORDS or text.rstrip().endswith("?"):
        return None  # "produk saya sudah halal belum?" is a question for the FAQ
    edits = {b.payload.removeprefix(EDIT): b for b in buttons if b.payload.startswith(EDIT)}
    name = field_named(ctx.deps.knowledge.intents, text, list(edits))
    return edits.get(name) if name else None


def _match_label(text: str, buttons: list[Button]) -> Button | None:
    folded = text.strip().casefold()
    return next((b for b in buttons if b.label.casefold() == folded), None)


def _match_option(ctx: Ctx, step: str, text: str, buttons: list[Button]) -> Button | None:
    """A typed option code or its label in any of our languages and chat spelling ("Culinary",
    "blm pernah"); other words for it are `_match_said`'s."""
    field = BY_NAME.get(step)
    if field is None:
        return None
    plain = ctx.deps.knowledge.faq.matcher.normaliser.plain
    texts = ctx.deps.knowledge.texts
    named = {name: option for option in field.options
             for name in (option, *(plain(texts.render(lang, f"{field.option_key}.{option}"))
                                    for lang in LANGUAGES))}  # fmt: skip
    # as typed, else without its address and filler words ("mikro kayaknya", "kuliner kak")
    for typed in (plain(text), *map(plain, ctx.deps.knowledge.intents.whole_forms(text))):
        if typed in named:
            return next((b for b in buttons if b.payload.endswith(f":{named[typed]}")), None)
    return None


async def _refuse(ctx: Ctx, draft: dict, step: str, arg: str) -> list[Reply]:
    return show(ctx, draft, step, ctx.t("register.stale_step"))


Action = Callable[[Ctx, dict, str, str], Awaitable[list[Reply]]]
# button action -> (the step it belongs to, or None for any step of the form; handler)
ACTIONS: dict[str, tuple[str | None, Action]] = {
    "consent": (CONSENT, answers.consent),
    "resume": (RESUME, answers.resume),
    "back": (None, lambda ctx, draft, step, arg: answers.back(ctx, draft, step)),
    "skip": (None, answers.skip),
    "pick": (None, answers.pick),
    "toggle": ("interests", answers.toggle),
    "done": ("interests", answers.done),
    "phone": ("phone", answers.use_whatsapp_number),
    "dup": ("dup_phone", answers.duplicate),
    "edit": ("summary", answers.edit_field),
    "submit": ("summary", lambda ctx, draft, step, arg: submit.submit(ctx, draft)),
    "cancel": (CANCEL, cancel.choose),
}


async def on_payload(ctx: Ctx, value: str) -> list[Reply]:
    """A button of the form (`reg:<action>:<arg>`); an old or forged one is refused kindly."""
    action, _, arg = value.partition(":")
    if action == "forget":
        from handlers.registration.account import forget_answer

        return await forget_answer(ctx, arg)
    if not ctx.in_flow(FLOW):
        return [ctx.say("register.stale", buttons=main_menu_buttons(ctx))]
    assert ctx.conv is not None
    draft, step = ctx.conv.draft, ctx.conv.step
    if step not in STEPS:
        return await goto(ctx, draft, next_step(draft))
    wanted, handler = ACTIONS.get(action, ("", _refuse))
    if (wanted is not None and wanted != step) or (wanted is None and step in (CONSENT, RESUME)):
        return show(ctx, draft, step, ctx.t("register.stale_step"))
    return await handler(ctx, draft, step, arg)
