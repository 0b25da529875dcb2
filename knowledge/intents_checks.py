"""What the flows ask of one typed message beside `classify`: a skip word, a whole-message
word ("batal", "selesai"), a how or asking word, the user's own business named. Mixed into
`IntentRules` (knowledge/intents.py), whose word lists and `read` these use."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from knowledge.langdetect import words

if TYPE_CHECKING:
    from knowledge.intents_read import Read
    from knowledge.intents_schema import Action, Group
    from knowledge.recent import Recent

# English own words come before what is owned ("my status"); after a verb they own its object
# ("delete my tweet"), so only Indonesian and Malay ones count after the word ("status sy")
ENGLISH_OWN = frozenset(("my", "me", "i", "im", "mine", "our", "us", "we"))
ELSEWHERE = ("elsewhere", "never_ours", "accounts_elsewhere")  # lists of things never ours
BROADCAST = "siaran"  # the staff request a message may begin with, and say more after
# ... its text after a colon or on the next line ("kirim pengumuman ke kuliner: besok ada ...")
BROADCAST_TEXT = re.compile(r"[:\n]")
INTRODUCTION_LEFT = 3  # words beside an introduction: a place or a name, no more ...
INTRODUCTION_GREETED = 6  # ... or who runs what after a greeting: what one sells and where


class MessageChecks:
    """Checks of a whole message against the word lists (see the module)."""

    lists: dict[str, Group]
    small_talk: dict[str, Group]
    actions: list[Action]
    staff_requests: dict[str, Group]
    form_choices: dict[str, dict[str, Group]]
    follow_asking: Group  # the words a follow-up asks with ...
    follow_explained: Group  # ... and every word it may hold (IntentRules joins them once)
    _asking_or_wanting: Group  # words that make an introduction a question or a request ...
    _introduction_words: Group  # ... and those an introduction is made of (joined once too)
    staff_asked: Recent[str]  # staff_request's answers by text ("" for none)
    read: Callable[[str], Read]  # IntentRules.read

    def is_skip(self, text: str) -> bool:
        """True for "belum punya", "skip", "tidak ada"...: leave an optional field empty; the
        speaker's own pronoun may come with it ("abdi teu gaduh email", "gue ga punya")."""
        read = self.read(text)
        skip = self.lists["skip"]
        extra = skip | self.lists["skip_also"] | self.lists["filler"] | self.lists["own"]
        return bool(read.items() & skip) and not read.left(extra)

    def names_a_business(self, text: str) -> bool:
        """True if a name holds a word of a business's name ("Toko Kue Bu Imas", "CV Maju")."""
        return bool(self.read(text).items() & self.lists["business_names"])

    def names_ours(
        self, text: str, action: str | None = None, generic: bool = True, signing_up: bool = True
    ) -> bool:
        """True if the message names the user's business or registration (`ours`; without
        `generic`, not by a word any application has, `ours_generic`), or says the action's own
        word is the user's ("statusnya", "status sy", "my status")."""
        read = self.read(text)
        ours = self.lists["ours"] if generic else self.lists["ours"] - self.lists["ours_generic"]
        if not signing_up:  # nor by a word for signing up (`ours_signing_up`)
            ours = ours - self.lists["ours_signing_up"]
        if read.items() & ours:
            return True
        spec = next((a for a in self.actions if a.name == action), None)
        if spec is None:
            return False
        own = self.lists["own"]
        named = {w for p in spec.patterns for group in p.groups for w in group} - own
        raw, plain = words(text), read.words
        for i, word in enumerate(plain):
            if word not in named:
                continue
            after = plain[i + 1] if i + 1 < len(plain) else ""
            before = plain[i - 1] if i else ""
            if (after in own - ENGLISH_OWN) or before in ("my", "our") or raw[i].endswith(
                ("nya", "ku")
            ):
                return True  # the noun is the user's: "status sy", "statusnya", "my status"
        return False

    def says(self, text: str, group: Iterable[str]) -> bool:
        """Whether the whole message, or all of it but address and filler words ("udah selesai
        min"), is an entry of `group` (ticket_done, consent...)."""
        return any(form in group for form in self.whole_forms(text))

    def leans_on_before(self, text: str) -> bool:
        """True if every word asks about an aspect or points back ("biayanya?", "how long does
        it take?", intents.yaml `follow_up`), with at least one that asks."""
        read, explained = self.read(text), self.follow_explained
        left = read.unexplained(explained)  # "berlakunya", "bukanya": "berlaku", "buka" + "its"
        pointing = all(w.endswith("nya") and w[:-3] in explained for w in left)
        return bool(read.items() & self.follow_asking) and pointing

    def subject(self, title: str) -> str:
        """A topic's title without its asking words: what a follow-up is about ("Apa itu
        Little Bandung?" -> "little bandung"; "Jadwal acara" stays: the schedule is the topic)."""
        lists = self.lists
        explained = lists["how"] | lists["asks"] | lists["filler"] | lists["own"]
        return " ".join(self.read(title).unexplained(explained))

    def introduces(self, text: str, business: bool = False) -> bool:
        """True if the message only says who is writing ("salam, saya dari KL", "nama saya
        Budi"; intents.yaml `introduce`): beside the introduction, address words and a greeting,
        at most INTRODUCTION_LEFT words (the place, the name), nothing that asks or requests.
        With `business`, who runs what after a greeting ("Hello! I own a small boutique in
        Penang."; `introduce_business`), with at most INTRODUCTION_GREETED words."""
        if "?" in text:
            return False
        read, lists = self.read(text), self.lists
        items = read.items()
        said = lists["introduce_business" if business else "introduce"]
        if items.isdisjoint(said) or items & self._asking_or_wanting:
            return False
        if business and items.isdisjoint(self.small_talk["greeting"]):
            return False
        left = read.unexplained(self._introduction_words)
        return len(left) <= (INTRODUCTION_GREETED if business else INTRODUCTION_LEFT)

    def names_subject(self, text: str, title: str) -> bool:
        """Whether the message names a topic's subject by its title's own words ("kalau mau
        pinjaman KUR kemana ya?" names "Modal & KUR"): words a follow-up may hold (`bandung`,
        `usaha`, asking words) do not count."""
        own = set(self.read(title).unexplained(self.follow_explained))
        return not own.isdisjoint(self.read(text).items())

    def names_elsewhere(self, text: str) -> bool:
        """Whether the message names something never ours (intents.yaml `elsewhere`: a parcel,
        an identity card; `never_ours`, `accounts_elsewhere`): a request naming one is about it,
        however long."""
        return self.names(text, *ELSEWHERE)

    def names(self, text: str, *lists: str) -> bool:
        """Whether the message names a word or phrase of one of intents.yaml's `lists`."""
        items = self.read(text).items()
        return any(not self.lists[name].isdisjoint(items) for name in lists)

    def choice(self, question: str, text: str) -> str | None:
        """The button of `question` (intents.yaml `form_choices`: "cancel", "resume", "offer")
        that a whole typed answer means ("nanti aja" keeps the form's answers); else None."""
        choices = self.form_choices.get(question, {})
        return next((name for name, said in choices.items() if self.says(text, said)), None)

    def whole_forms(self, text: str) -> tuple[str, ...]:
        """The message as one entry of a list: all its words, then (if any are left) those
        that are not address or filler words."""
        plain = words(text)
        kept = [w for w in plain if w not in self.lists["filler"]]
        return (" ".join(plain), " ".join(kept)) if kept else (" ".join(plain),)

    def plain(self, text: str) -> str:
        """The message in chat forms (as the lists know its words), without address and filler
        words."""
        return " ".join(w for w in self.read(text).words if w not in self.lists["filler"])

    def _untagged(self, text: str) -> str:
        """The message in chat forms without address and filler words, and without the tag that
        makes it a question ("ada pendaftaran baru ga?", "liat statistik dong", "pertanyaan yg
        belum kejawab apa aja?"): staff ask for a list as often as they order one."""
        return self._without_tag(self.plain(text))

    def _without_tag(self, plain: str) -> str:
        """`plain` without a last word (or words) of `question_tags`."""
        for tag in self.lists["question_tags"]:
            if plain.endswith(f" {tag}"):
                return plain[: -len(tag) - 1]
        return plain

    def _untimed(self, plain: str) -> str:
        """A staff request without the time it names last and an "ada" first ("ada berapa
        pendaftar minggu ini" is "berapa pendaftar"), tags taken off once more. The time is
        matched as `plain` is written, without filler words ("minggu ini" is "minggu")."""
        for when in self._whens:
            if plain.endswith(f" {when}"):
                plain = plain[: -len(when) - 1]
                break
        return self._without_tag(plain.removeprefix("ada "))

    def is_how(self, text: str) -> bool:
        """True if the message asks how something works (a question, not a request)."""
        return bool(self.read(text).items() & self.lists["how"])

    def asks(self, text: str) -> bool:
        """True if the message has a word that asks ("gimana", "wajib ga", "why"): in a form, a
        question rather than a typed answer."""
        return bool(self.read(text).items() & self.lists["asks"])

    def ends_asking(self, text: str) -> bool:
        """True if the message's last word asks about what comes before it ("yg di malaysia
        apa"): Indonesian and Malay put "apa" and "mana" there, without a question mark."""
        said = self.read(text).words
        return bool(said) and said[-1] in self.lists["asks_last"]

    @functools.cached_property
    def _whens(self) -> list[str]:
        """`staff_when`'s times without filler words ("minggu ini" is "minggu"), longest first."""
        plain = {" ".join(w for w in when.split() if w not in self.lists["filler"])
                 for when in self.lists["staff_when"]}  # fmt: skip
        return sorted((when for when in plain if when), key=len, reverse=True)

    @functools.cached_property
    def _announcing(self) -> tuple[str, ...]:
        """The broadcast request's phrases of two words or more, as a message is read."""
        return tuple(entry for entry in self.staff_requests[BROADCAST] if " " in entry)

    def _announces(self, plain: str) -> bool:
        """Whether a message begins with a broadcast request and says to whom or what after it,
        not to the speaker ("kirim pengumuman ke saya" asks to receive them)."""
        entry = next((e for e in self._announcing if plain.startswith(f"{e} ")), None)
        return entry is not None and self.lists["own"].isdisjoint(plain[len(entry) :].split())

    def staff_request(self, text: str) -> str | None:
        """The staff command a whole message asks for in words ("statistik minggu ini",
        "lihat pendaftaran baru"), or None; the caller checks the role.

        Every message outside a flow comes here first, and people ask the same few questions
        again: the answer is kept per text, as the readings are (knowledge/recent.py).
        """
        found = self.staff_asked.find(text, None)
        if found is None:
            untagged = self._untagged(text)
            forms = (*self.whole_forms(text), untagged, self._untimed(untagged))
            found = next((command for command, group in self.staff_requests.items()
                          if any(form in group for form in forms)), "")  # fmt: skip
            if not found and self._announces(untagged):
                found = BROADCAST  # "kirim pengumuman ke semua umkm kuliner": whom comes next
            self.staff_asked.keep(text, None, found)
        return found or None
