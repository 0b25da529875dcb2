"""One message understood: its language, small talk, a request in words, or FAQ question(s)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from knowledge.decision import Decision
from knowledge.faq import Faq
from knowledge.intents import Intent, IntentRules
from knowledge.langdetect import Guess, LanguageDetector
from knowledge.pieces import MAX_PARTS, best_part, parts

MAX_MATCHED = 1000  # characters of a message the FAQ matches (the rest is a story, not a question)
# A near request this short that names something the knowledge never mentions is about that thing
# ("status of my parcel"), even when the FAQ ties its request words to the action's twin topic. In
# longer messages an unknown word is more often a by-the-way ("the phone number i gave"): at 6-11
# words the development tables lost 7 in-scope questions for 3 out-of-scope ones (2026-12-04).
SHORT_REQUEST = 5  # words
# ... unless it names the user's business or registration (intents.yaml `ours`: "mau daftar usaha
# laundry"), or the request is to register: what one registers with "my" is the business
# ("register my barbershop"), so an unknown word there is the kind of business, not another thing.
NEVER_OFF_TOPIC = ("register",)
# The FAQ topic that explains each action: a near request the FAQ answers with it is the request.
TWINS = {
    "register": "registration-how", "status": "registration-status", "edit": "registration-edit",
    "mydata": "data-privacy", "forget": "data-privacy", "language": "bot-help",
    "handoff": "contact-office", "subscribe": "broadcast-subscribe",
    "unsubscribe": "broadcast-subscribe", "help": "bot-help", "menu": "bot-help",
}  # fmt: skip
# Topics about the user's own registration or subscription here: an answer with one to a message
# naming something never ours (`elsewhere`: a parcel, an identity card) and nothing of ours ("cara
# ganti data di KTP yang salah") is about that thing, however it is asked. Not data-privacy ("data
# KTP sy dipake buat apa aja sama bot ini" asks what the bot does with it) nor how to register
# ("perlu KTP ga buat daftar?" asks what registering needs)
OWN_TOPICS = ("registration-status", "registration-edit", "broadcast-subscribe")
# a lexical answer this sure stands beside a thing never ours (`never_ours`); one less sure
# ("registrasi kartu SIM sy gagal terus" scored 58 for financing) does not
NEVER_OURS_SURE = 70.0
GENERIC = ("help", "menu")  # near requests the FAQ's fallback alone does not make requests
ANY_SUBJECT = ("handoff",)  # ... and one that stands though the out-of-scope list claimed it


@dataclass(frozen=True)
class Understood:
    """What to do with a message: intent faq|action|smalltalk|fallback, and the details."""

    intent: str
    guess: Guess
    action: str | None = None
    to: str | None = None  # the language a `language` request names
    small_talk: str | None = None  # thanks | goodbye | greeting | ack
    decision: Decision | None = None  # the FAQ's decision (faq and fallback)
    also: tuple[str, ...] = ()  # other topics answered by other sentences of the message

    @property
    def topic(self) -> str | None:
        """The answered FAQ topic; None unless intent is faq and one topic was chosen."""
        decision = self.decision
        return decision.topic if decision is not None and decision.kind == "answer" else None


def understand(
    faq: Faq, rules: IntentRules, detector: LanguageDetector, text: str, prior: str | None = None
) -> Understood:
    """Read one message: language (with `prior`, the current language), then intent."""
    text = text[:MAX_MATCHED]
    guess = detector.guess(text, prior)
    intent = rules.classify(text)
    if intent.kind == "smalltalk":
        return Understood("smalltalk", guess, small_talk=intent.name)
    if intent.kind == "action":
        return Understood("action", guess, action=intent.name, to=intent.to)
    if rules.introduces(text):  # "salam, saya dari KL" is greeted, not answered with KL's topic
        return Understood("smalltalk", guess, small_talk="greeting")
    understood = ask_faq(faq, rules, text, guess)
    if understood.topic is None and rules.introduces(text, business=True):
        return Understood("smalltalk", guess, small_talk="greeting")  # "Hello! I own a shop."
    closing = intent.name in ("thanks", "goodbye")  # "terima kasih, sangat berguna"
    decision = understood.decision
    outside = decision is not None and decision.out_of_scope  # "ok, ibu kota malaysia apa?"
    if intent.name is not None and (closing or (understood.topic is None and not outside)):
        return Understood("smalltalk", guess, small_talk=intent.name)
    near = intent.near_action
    # the kind of business one asks to register is no other thing ("daftarkan usaha katering saya")
    foreign = intent.foreign and not (near in NEVER_OFF_TOPIC and rules.names_ours(text, near))
    if near is not None and _agrees(near, understood, foreign):
        return Understood("action", guess, action=near, to=intent.to)
    short = len(text.split()) <= SHORT_REQUEST
    if near not in (None, *NEVER_OFF_TOPIC) and intent.foreign and short and _twin_chosen(
        near, decision
    ) and not rules.names_ours(text, near):
        return _off_topic(understood)  # "status of my parcel" is not about the registration
    other = intent.acts_on_other
    if other not in (None, *NEVER_OFF_TOPIC) and short and _twin_chosen(other, decision) and (
        not rules.names_ours(text, other)
    ):
        return _off_topic(understood)  # "hapus chat ini", "edit my resume"
    if _twin_chosen_of(OWN_TOPICS, decision) and rules.names_elsewhere(text) and (
        not rules.names_ours(text, generic=False)
    ):
        return _off_topic(understood)  # "camne nak tukar alamat dalam IC?"
    return understood


def _twin_chosen(near: str, decision: Decision | None) -> bool:
    """Whether the FAQ's best topic (answered or offered) is the near request's twin."""
    return _twin_chosen_of((TWINS[near],), decision)


def _twin_chosen_of(topics: tuple[str, ...], decision: Decision | None) -> bool:
    """Whether the FAQ's best topic (answered or offered) is one of `topics`."""
    return decision is not None and decision.kind in ("answer", "suggest") and (
        decision.topic in topics
    )


def _off_topic(understood: Understood) -> Understood:
    """A fallback outside every topic: a request for something the knowledge never mentions
    ("cek status paket jne", "padam akaun tiktok") that only the request's words tied to the
    action's twin topic, or a question about a thing never ours."""
    decision = understood.decision
    assert decision is not None
    fallback = replace(decision, kind="fallback", choices=(), off_topic=True)
    return replace(understood, intent="fallback", decision=fallback, also=())


def _agrees(near: str, understood: Understood, foreign: bool = False) -> bool:
    """Whether the FAQ agrees that a near request is the request: its best topic (answered or
    offered) is the action's twin, or it falls back and neither the out-of-scope list claimed the
    message nor is the action a generic one ("tolong terjemahkan surat ini" asks for other help,
    not the menu); never when the message names something the knowledge never mentions
    (`foreign`: "status of my parcel"; a twin's answer still carries the action's button)."""
    decision = understood.decision
    if foreign:
        return False
    if understood.topic == TWINS[near] or (decision is not None and decision.kind == "suggest"
                                            and decision.topic == TWINS[near]):  # fmt: skip
        return True
    outside = decision is not None and decision.out_of_scope
    if near in ANY_SUBJECT and understood.intent == "fallback":
        return True  # "talk to staff about my halal permit": a person answers any subject
    return understood.intent == "fallback" and not outside and near not in GENERIC


def ask_faq(faq: Faq, rules: IntentRules, text: str, guess: Guess) -> Understood:
    """The FAQ's answer; a message of several sentences is answered by its question(s). One
    naming a thing of daily life never ours (`never_ours`) that the lexical stage did not answer
    surely itself, or another app's account given the privacy answer, falls back as off topic."""
    whole = faq.matcher.decide(text)
    main, also = best_part(faq, rules, text, whole)
    intent = "fallback" if main.kind == "fallback" else "faq"
    understood = Understood(intent, guess, decision=main, also=also)
    sure = whole.kind == "answer" and whole.stage == "lexical" and whole.score >= NEVER_OURS_SURE
    if intent == "faq" and not sure and (
        rules.names(text, "never_ours")
        and not rules.names_ours(text, generic=False, signing_up=False)
    ):
        return _off_topic(understood)  # "Persib main lawan siapa? jadwalnya jam brp?"
    if _twin_chosen_of(("data-privacy",), main) and rules.names(text, "accounts_elsewhere") and (
        not rules.names_ours(text, generic=False)
    ):
        return _off_topic(understood)  # "cara hapus akun facebook permanen?"
    return understood


__all__ = ["MAX_PARTS", "Intent", "Understood", "ask_faq", "parts", "understand"]
