"""Small talk and requests in words: what a message asks for before the FAQ looks at it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.intents_checks import ELSEWHERE, MessageChecks
from knowledge.intents_read import TO_LANGUAGE, Intent, Read, clauses
from knowledge.intents_reader import Reader
from knowledge.intents_schema import (
    Action,
    Group,
    Pattern,
    action_spec,
    chat_forms,
    choice_groups,
    mapping,
    word_group,
)
from knowledge.languages import LANGUAGES
from knowledge.receivers import Receivers
from knowledge.recent import Recent
from knowledge.texts import read_mapping
from knowledge.vocabulary import VERB_FORM, Vocabulary

SMALL_TALK = ("thanks", "goodbye", "greeting", "ack")  # a mixed message is the first kind found
SLACK_KINDS = SMALL_TALK
NEAR_WORDS = 10  # longer messages are never small talk with unknown words ...
NEAR_CLOSING_WORDS = 16  # ... but thanks and goodbyes ("thank you very much for the information,
# have a great day"), still with at most NEAR_TALK unknown words and no how word nor question mark
NEAR_TALK = 3  # unknown words small talk may carry; the FAQ decides (thanks and goodbyes: never)
NEAR_LEFT = 3  # a request with this many more unexplained words is one if the FAQ agrees
ACTIONS = ("forget", "edit", "unsubscribe", "subscribe", "language", "handoff", "status",
           "mydata", "register", "help", "menu")  # fmt: skip
_PARTICIPLE = re.compile(r"[a-z]{3,}ed$")  # English: "submitted", "registered"
GENERIC_ACTIONS = ("help", "menu")  # a request for these beside other words asks for other help
WORD_LISTS = ("filler", "request", "own", "how", "asks", "follow_up", "follow_up_also", "skip",
              "skip_also", "thanks_for", "ours", "elsewhere", "introduce",
              "introduce_business", "business_names", "question_tags", "asks_last",
              "ours_generic", "ours_signing_up", "never_ours", "accounts_elsewhere", "aspects",
              "staff_when")


class IntentRules(MessageChecks):
    """The word lists of `intents.yaml`, compiled; `classify(text)` reads one message."""

    def __init__(self, data: dict[str, Any], where: str = "intents") -> None:
        self.where = where
        talk = mapping(data, "smalltalk", where)
        self.small_talk = {kind: word_group(talk, kind, f"{where}: smalltalk") for kind in SMALL_TALK}
        self.talk_filler = word_group(talk, "filler", f"{where}: smalltalk")
        self.emoji = {k: str(v) for k, v in (data.get("emoji") or {}).items() if k in SMALL_TALK}
        self.lists = {name: word_group(data, name, where) for name in WORD_LISTS}
        names = mapping(data, "languages", where)
        self.languages = {lang: word_group(names, lang, f"{where}: languages") for lang in LANGUAGES}
        self.actions = [action_spec(name, data, where) for name in ACTIONS]
        self._spec = {action.name: action for action in self.actions}
        self.chat_forms = chat_forms(data, "chat_forms", where)
        form = mapping(data, "form_question", where)
        self.form = {k: word_group(form, k, f"{where}: form_question") for k in ("required", "this")}
        self.form_done = word_group(data, "form_done", where)
        self.ticket_done = word_group(data, "ticket_done", where)
        staff = mapping(data, "staff_requests", where)
        self.staff_requests = {c: word_group(staff, c, f"{where}: staff_requests") for c in staff}
        self.staff_asked: Recent[str] = Recent()  # MessageChecks.staff_request's answers
        self.receivers = Receivers.parse(data, where)  # whom a broadcast in words is for
        fields = mapping(data, "form_fields", where)
        self.form_fields = {k: word_group(fields, k, f"{where}: form_fields") for k in fields}
        consent = mapping(data, "consent", where)
        self.consent = {k: word_group(consent, k, f"{where}: consent") for k in ("agree", "decline")}
        self.form_choices = choice_groups(data, "form_choices", where)
        # the consent question's buttons (reg:consent:yes / no) read like the form's others
        self.form_choices.setdefault("consent", {"yes": self.consent["agree"],
                                                 "no": self.consent["decline"]})  # fmt: skip
        self._general = self.lists["filler"] | self.lists["request"] | self.lists["own"]
        # a follow-up's words (MessageChecks.leans_on_before), joined once, not per message
        lists = self.lists
        self.follow_asking = lists["follow_up"] | lists["how"] | lists["asks"]
        self.follow_explained = (self.follow_asking | lists["follow_up_also"] | self._general)
        self._asking = lists["asks"] | lists["how"]
        self._asking_or_wanting = self._asking | lists["request"]
        self._introduction_words = (lists["introduce"] | lists["introduce_business"]
                                    | lists["filler"] | lists["own"]
                                    | self.small_talk["greeting"])  # fmt: skip
        # what explains a word beside the words a request pattern used, per action
        self._explains = {action.name: self._general | action.also for action in self.actions}
        # a word every match of the action needs one of (from its patterns' first groups)
        self._needs = {action.name: frozenset().union(*(p.groups[0] for p in action.patterns))
                       for action in self.actions if all(p.groups for p in action.patterns)}  # fmt: skip
        entries = {p for group in self._all_groups() for p in group}
        # words never a typo's reading: small talk's, and things never ours ("concept" is no
        # misspelt "concert")
        exact = {w for p in self.lists["never_ours"] for w in p.split()}
        self.reader = Reader(entries, self.chat_forms,
                             self.talk_filler.union(exact, *self.small_talk.values()))  # fmt: skip
        self.vocabulary = self.reader.vocabulary
        # each staff request also as a message is read ("how many registrations" is read "how
        # many registration", "berapa ramai pendaftar" "berapa ramai pendaftaran")
        self.staff_requests = {command: group | {self.plain(entry) for entry in group}
                               for command, group in self.staff_requests.items()}  # fmt: skip
        # the knowledge's words (empty: not checked): a request naming anything else ("status
        # of my parcel") is about something else
        self.known = Vocabulary()

    @classmethod
    def load(cls, path: Path) -> IntentRules:
        """Read `intents.yaml`; raise KnowledgeError naming the file and the section."""
        return cls(read_mapping(path, "(smalltalk, actions, ...)"), str(path))

    def read(self, text: str) -> Read:
        """The message's words in the forms the lists know, and its known phrases."""
        return self.reader.read(text)

    def classify(self, text: str) -> Intent:
        """Small talk, a request (action) or a question for the FAQ."""
        read = self.read(text)
        if not read.words:
            kind = next(
                (k for k, chars in self.emoji.items() if any(c in text for c in chars)), None
            )
            return Intent("smalltalk", kind) if kind else Intent("question")
        kind = self.small_talk_kind(read)
        if kind == "ack" and text.rstrip().endswith("?") and read.left(
            self.small_talk["ack"] | self.lists["filler"]
        ):
            kind = None  # "kamu bot ya?" asks, its "ya" is a tag; "ok?" and "oh gitu ya?" do not
        if kind is not None:
            return Intent("smalltalk", kind)
        if self._thanks_for(read) and self._near_small_talk(text, read) == "thanks":
            return Intent("question", "thanks")  # thanks for something: the FAQ may still answer
        refused: list[str] = []  # actions whose verb acts on something else
        action, left = self._best_action(read, refused=refused)
        if action is None or self._foreign(left):
            clause = self._clause_request(text)
            # a clause naming something never ours beside it: "jejak parcel Pos Laju saya, status
            # tak berubah" is about the parcel
            elsewhere = clause is not None and self.names(text, *ELSEWHERE)
            if clause is not None and not clause[2] and not elsewhere:
                return Intent("action", clause[0], clause[1])
            if clause is not None:  # with a question beside it: the FAQ decides (its twin)
                return Intent("question", None, clause[1], clause[0], elsewhere)
            if action is None:
                action, left = self._best_action(read, NEAR_LEFT)
            to = self.language_named(read) if action == "language" else None
            talk = self._near_small_talk(text, read)
            foreign = action is not None and self._foreign(left)
            other = refused[0] if refused and action is None else None
            return Intent("question", talk, to, action, foreign, other)
        to = self.language_named(read) if action == "language" else None
        return Intent("action", action, to)

    def _clause_request(self, text: str) -> tuple[str, str | None, bool] | None:
        """A request made in one clause of a longer message, beside a greeting or a statement
        about oneself ("halo min, saya pemilik warung bakso, mau daftarin usaha saya"): the action,
        the language it names, and whether another clause asks a question (then the FAQ decides).
        None unless exactly one action is asked; the help and the menu only beside small talk."""
        pieces = clauses(text)
        if len(pieces) < 2:
            return None
        found: list[tuple[str, Read]] = []
        asked = stated = False
        for piece in pieces:
            read = self.read(piece)
            if not read.words or self.small_talk_kind(read) is not None:
                continue
            action, left = self._best_action(read)
            if action is not None and not self._foreign(left):
                found.append((action, read))
            elif "?" in piece or read.items() & self.lists["how"]:
                asked = True
            else:
                stated = True
        whole = self.read(text).items()  # "... little bandung, daftarnya kemana": not ours
        found = [(a, r) for a, r in found if not whole & self._spec[a].unless]
        if len({action for action, _ in found}) != 1:
            return None
        action, read = found[-1]
        if action in GENERIC_ACTIONS and (asked or stated):
            return None
        return action, self.language_named(read) if action == "language" else None, asked

    def _foreign(self, left: list[str]) -> bool:
        """Whether a request's unexplained words name something the knowledge never mentions:
        it is about that; the FAQ decides, and its action twin does not make it the request
        (the twin's answer has the button). Words of the `elsewhere` list count as such although
        the knowledge uses them ("status of my shopee order": shops and orders are in answers)."""
        said = {" ".join(left[i : i + n]) for n in (1, 2, 3) for i in range(len(left) - n + 1)}
        return not self.known.knows_all(left) or any(
            not self.lists[name].isdisjoint(said) for name in ELSEWHERE
        )

    def small_talk_kind(self, read: Read, slack: int = 0) -> str | None:
        """The kind of small talk when every word (but `slack` of them) is small talk."""
        vocabulary = self.talk_filler.union(*self.small_talk.values())
        if read.left(vocabulary) > slack:
            return None
        items = read.items()
        kinds = SMALL_TALK if not slack else SLACK_KINDS
        return next((kind for kind in kinds if items & self.small_talk[kind]), None)

    def _near_small_talk(self, text: str, read: Read) -> str | None:
        """Small talk with a few words more ("makasih, jelas banget penjelasannya"), or None.

        Closing words (thanks, goodbye) need no question mark; a greeting may ask ("halo min,
        sehat?"): the FAQ then decides whether it is a question."""
        talk = self.talk_filler.union(*self.small_talk.values()) | self.lists["thanks_for"]
        if len(read.words) > NEAR_CLOSING_WORDS or read.outside(talk) & self._asking:
            return None  # "hatur nuhun, punten bade naros nib teh naon" asks (naon: what)
        kind = self.small_talk_kind(read, slack=NEAR_TALK)
        if "?" in text and kind in ("thanks", "goodbye"):
            return None
        if len(read.words) > NEAR_WORDS and kind not in ("thanks", "goodbye"):
            return None
        if kind == "greeting" and not self._opens_with_talk(read):
            return None  # a greeting opens a message: "translate good morning to korean" asks
        return kind

    def _opens_with_talk(self, read: Read) -> bool:
        """Whether the message's first word (fillers aside) opens a small-talk word or phrase."""
        talk = frozenset().union(*self.small_talk.values())
        filler = self.talk_filler - talk  # "nice" of "nice to meet you" is both
        first = next((i for i, w in enumerate(read.words) if w not in filler), None)
        return first is not None and any(
            start == first and phrase in talk for start, phrase in read.positions()
        )

    def _thanks_for(self, read: Read) -> bool:
        """Whether the message opens by thanking for something ("terima kasih atas maklumat")."""
        opening = [phrase for start, _, phrase in read.spans if start == 0]
        return any(phrase in self.lists["thanks_for"] for phrase in opening)

    def language_named(self, read: Read) -> str | None:
        """The language a message asks for: the last one it names after a word that asks for a
        language ("can we continue in English? my Indonesian is bad" -> en), else the last one it
        names ("my Indonesian is bad, English please" -> en)."""
        named = [(start, lang) for lang, names in self.languages.items()
                 for start, phrase in read.positions() if phrase in names]  # fmt: skip
        asked = [(start, lang) for start, lang in named
                 if start and read.words[start - 1] in TO_LANGUAGE]  # fmt: skip
        return max(asked or named)[1] if named else None

    def _best_action(
        self, read: Read, slack: int = 0, refused: list[str] | None = None
    ) -> tuple[str | None, list[str]]:
        """The request with the fewest unexplained words, and those words; the actions whose
        verb acted on something else ("hapus foto ini") are added to `refused`."""
        items = read.items()
        how_words = self.lists["how"]
        how, own = items & how_words, items & self.lists["own"]
        best: tuple[list[str], str] | None = None
        asked_how = 99  # fewest words left by an action the how word makes a question of
        for action in self.actions:
            if items & action.unless or (items & action.general and not own):
                continue
            matches = self._matches(read, action)
            # a how word inside one of the action's phrases ("let me know when there is", "what
            # can you do") is not
            if how and not action.how_ok and (
                not items & action.how_phrases or read.outside(action.words) & how_words
            ):
                asked_how = min([asked_how, *(len(left) for _, _, left in matches)])
                continue
            for pattern, used, left in matches:
                if left and self._object(read, used & action.object_next) in left:
                    if refused is not None:
                        refused.append(action.name)
                    continue
                if len(left) <= pattern.max_left + slack and (best is None or len(left) < len(best[0])):
                    best = (left, action.name)
        if best is not None and asked_how <= len(best[0]):
            return None, []  # "how do I update my registration details?" asks how to edit
        return (best[1], best[0]) if best else (None, [])

    def _matches(self, read: Read, action: Action) -> list[tuple[Pattern, frozenset[str], list[str]]]:
        """(pattern, the words it used, the words left unexplained) of each pattern that matches."""
        items, found = read.items(), []
        needs = self._needs.get(action.name)
        if needs is not None and items.isdisjoint(needs):
            return found
        for pattern in action.patterns:
            if all(items & group for group in pattern.groups):
                used = frozenset().union(*(items & group for group in pattern.groups))
                found.append((pattern, used, read.unexplained(self._explains[action.name] | used)))
        return found

    def _object(self, read: Read, verbs: frozenset[str]) -> str | None:
        """The first word after the action's verb that is not a filler, request or own word, nor
        a verb ("tukar, tolong kemaskini", "tolong diubah")."""
        found = read.words
        start = next((i for i, w in enumerate(found) if w in verbs), None)
        if start is None:
            return None
        skip = self._general | verbs
        after = (w for w in found[start + 1 :]  # verb forms say how, not what: "submitted details"
                 if w not in skip and not VERB_FORM.match(w) and not _PARTICIPLE.match(w))
        return next(after, None)

    def _all_groups(self) -> Iterable[Group]:
        yield from self.small_talk.values()
        yield self.talk_filler
        yield from self.lists.values()
        yield from self.languages.values()
        for action in self.actions:
            yield action.also
            yield action.unless
            yield action.general
            for pattern in action.patterns:
                yield from pattern.groups


__all__ = ["Intent", "IntentRules"]
