"""Which of our languages a message is written in: naive Bayes over the knowledge's own words."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.languages import DEFAULT_LANGUAGE, LANGUAGES
from knowledge.normalise import strip_marks
from knowledge.texts import KnowledgeError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster

_WORD = re.compile(r"[a-z]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")  # three or more of one letter: one ("okeee" -> "oke")
_TWICE = re.compile(r"\b([a-z]{2,})2\b")  # chat reduplication: "sama2" -> "sama sama", "byk2"
SMOOTHING = 0.5  # added to every word count (a word one language never uses is still possible)
MARKER_WEIGHT = 25  # a listed marker word counts as this many sightings in its language
MIN_MARGIN = 1.5  # log-odds the best language needs over the runner-up to be sure
PRIOR_WEIGHT = 0.7  # log-odds a prior (the current language, a channel hint) is worth
WORD_CAP = 4.0  # one word can weigh at most this much against a language
MARKER_CAP = 6.0  # ... a listed marker word this much: a list says where it belongs, a count less
WEAK_CAP = 1.0  # ... an English word Indonesian and Malay chat borrow ("thank you min") this much
SHARED = 0.7  # a word this evenly spread (log-odds) over the languages is no evidence
TIE = 0.3  # closer than this, the message does not tell: the prior or Indonesian wins
# Between tied languages without a prior: Indonesian (most users), then Malay, English last (both
# borrow English words: "hi encik" is Malay)
TIE_ORDER = (DEFAULT_LANGUAGE, *(lang for lang in ("ms", "en") if lang != DEFAULT_LANGUAGE))
NEIGHBOURS = ("id", "ms")  # the two languages `neutral` words do not tell apart
PHRASE_WEIGHT = WORD_CAP  # a marker phrase ("tengah hari") or last word ("lulus ke") weighs this
GRAM = 3  # a word no language knows is read by its letter trigrams ("disember", "kemaskini")
GRAM_CAP = 1.5  # ... and all such words weigh at most this much against a language (spelling)
GRAM_MIN = 7  # ... if it has at least this many letters (shorter ones are chat slang, both languages)
# The single-word lists of language_words.yaml beside its markers
EXTRA_LISTS = ("neutral", "weak", "last_ms", "last_id", "mixed_ms", "mixed_id")


@dataclass(frozen=True)
class Guess:
    """The likeliest language, and whether the message says enough to be sure of it."""

    language: str
    sure: bool
    margin: float = 0.0


def words(text: str) -> list[str]:
    """Lower-case ASCII words of a text (accents folded, digits and punctuation dropped)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = folded if folded.isascii() else strip_marks(folded)
    plain = plain.replace("'", "").replace("\u2019", "")
    if "2" in plain:  # most messages have no "2": skip the substitution
        plain = _TWICE.sub(r"\1 \1", plain)
    return _WORD.findall(_REPEATS.sub(r"\1", plain))


class LanguageDetector:
    """Word frequencies per language, learnt from the knowledge files' texts in each language."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {lang: Counter() for lang in LANGUAGES}
        self.neutral: set[str] = set()  # words both Indonesian and Malay use alike: no evidence
        self.weak: set[str] = set()  # English words Indonesian and Malay chat use: little evidence
        self.phrases: dict[tuple[str, str], str] = {}  # two marker words -> their language
        self.marked: set[str] = set()  # the single marker words of every language
        self.last: dict[str, str] = {}  # a word that ends a message only in one language ("ke")
        self.mixed: dict[str, str] = {}  # a word only a Malay or Indonesian writer mixes in English
        self.known: frozenset[str] = frozenset()  # the knowledge's own words (set by its builder)
        self._logp: dict[str, dict[str, float]] | None = None
        self._unseen: dict[str, float] = {}
        self._grams: dict[str, dict[str, float]] = {}
        self._gram_unseen: dict[str, float] = {}

    def learn(self, lang: str, texts: Iterable[str], weight: int = 1) -> None:
        """Count the words of `texts` as written in `lang`."""
        counts = self.counts[lang]
        for text in texts:
            for word in words(text):
                counts[word] += weight
        self._logp = None

    def markers(self, lang: str, items: Iterable[str]) -> None:
        """Words typical of `lang` in chat that the knowledge texts rarely use; an item of two
        words is a phrase typical of `lang` although its words are not ("tengah hari")."""
        single = []
        for item in items:
            found = words(item)
            if len(found) == 2:
                self.phrases[(found[0], found[1])] = lang
            else:
                single.append(item)
                self.marked.update(found)
        self.learn(lang, single, MARKER_WEIGHT)

    def scores(self, text: str) -> dict[str, float]:
        """Log-likelihood of the text per language, over the words any language knows."""
        logp = self._tables()
        found = {lang: 0.0 for lang in LANGUAGES}
        spelt = dict.fromkeys(LANGUAGES, 0.0)  # the unknown words' spelling, all of them together
        plain = [part for word in words(text) for part in self._negated(word, logp)]
        for word in plain:
            if not any(word in logp[lang] for lang in LANGUAGES):
                if len(word) >= GRAM_MIN and word not in self.neutral:
                    each = self._spelling(word)
                    top = max(each.values())
                    for lang in LANGUAGES:
                        spelt[lang] += each[lang] - top
                continue
            each = {lang: logp[lang].get(word, self._unseen[lang]) for lang in LANGUAGES}
            if word in self.neutral:  # alike in Indonesian and Malay, still not English
                each.update(dict.fromkeys(NEIGHBOURS, max(each[lang] for lang in NEIGHBOURS)))
            top = max(each.values())
            if top - min(each.values()) < SHARED:
                continue
            cap = WEAK_CAP if word in self.weak else MARKER_CAP if word in self.marked else WORD_CAP
            for lang in LANGUAGES:
                found[lang] += max(each[lang] - top, -cap)
        for lang in LANGUAGES:  # spelling is weak evidence however many such words (or noise)
            found[lang] += max(spelt[lang] - max(spelt.values()), -GRAM_CAP)
        marked = [self.phrases.get(pair) for pair in zip(plain, plain[1:], strict=False)]
        marked.append(self.last.get(plain[-1]) if plain else None)
        for lang in LANGUAGES:
            found[lang] -= PHRASE_WEIGHT * sum(1 for m in marked if m is not None and m != lang)
        return found

    def guess(self, text: str, prior: str | None = None) -> Guess:
        """The likeliest language; `sure` only when the words outweigh the prior clearly."""
        found = self.scores(text)
        if prior in found:
            found[prior] += PRIOR_WEIGHT
        ranked = sorted(found.items(), key=lambda item: (-item[1], LANGUAGES.index(item[0])))
        (best, top), (_, second) = ranked[0], ranked[1]
        margin = top - second
        if margin < TIE:  # the words do not tell between these: the prior, else Indonesian, Malay
            tied = [lang for lang, score in ranked if top - score < TIE]
            best = prior if prior in tied else min(tied, key=TIE_ORDER.index)
        if best == "en" and (mixed := self._code_mixed(text, found)):
            best = mixed  # as sure as the English: the words are clearly not a tie
        return Guess(best, margin >= MIN_MARGIN, round(margin, 2))

    def _code_mixed(self, text: str, found: dict[str, float]) -> str | None:
        """The language of an English sentence's mixed-in Malay or Indonesian words ("boleh tak
        I register ...?"), the one with more of them (or the likelier), or None."""
        hits = Counter(self.mixed[word] for word in words(text) if word in self.mixed)
        if not hits:
            return None
        return max(hits, key=lambda lang: (hits[lang], found[lang]))

    def _negated(self, word: str, logp: dict[str, dict[str, float]]) -> tuple[str, ...]:
        """Malaysian chat writes "tak" as a leading x: an unknown "xnak", "xperlu" whose rest is
        a word Malay uses reads as "tak nak", "tak perlu" ("xiaomi", "xbox" stay as they are)."""
        rest = word[1:]
        if word[0] != "x" or len(rest) < 2 or rest not in self.counts["ms"]:
            return (word,)
        return (word,) if any(word in logp[lang] for lang in LANGUAGES) else ("tak", rest)

    def _spelling(self, word: str) -> dict[str, float]:
        """Log-likelihood per language of an unknown word's letter trigrams."""
        padded = f"^{word}$"
        grams = [padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1)]
        return {lang: sum(self._grams[lang].get(g, self._gram_unseen[lang]) for g in grams)
                for lang in LANGUAGES}  # fmt: skip

    def _tables(self) -> dict[str, dict[str, float]]:
        if self._logp is None:
            self._learn_spelling()
            vocabulary = set().union(*self.counts.values())
            self._logp = {}
            for lang, counts in self.counts.items():
                total = sum(counts.values()) + SMOOTHING * (len(vocabulary) + 1)
                self._logp[lang] = {w: math.log((c + SMOOTHING) / total) for w, c in counts.items()}
                self._unseen[lang] = math.log(SMOOTHING / total)
        return self._logp

    def _learn_spelling(self) -> None:
        """Letter trigrams per language over the words it uses, each word counted once: the
        spelling of a language (Malay "-sember", "kemas-"), not how often a text repeats a word."""
        grams: dict[str, Counter[str]] = {lang: Counter() for lang in LANGUAGES}
        for lang, counts in self.counts.items():
            for word in counts:
                padded = f"^{word}$"
                grams[lang].update(padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1))
        every = set().union(*grams.values())
        for lang, found in grams.items():
            total = sum(found.values()) + SMOOTHING * (len(every) + 1)
            self._grams[lang] = {g: math.log((c + SMOOTHING) / total) for g, c in found.items()}
            self._gram_unseen[lang] = math.log(SMOOTHING / total)


def load_markers(path: Path) -> dict[str, list[str]]:
    """The marker words of `language_words.yaml` per language, the `neutral` and `weak` ones,
    and the words that end a message only in Malay (`last_ms`) or Indonesian (`last_id`)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc
    markers = data.get("markers") if isinstance(data, dict) else None
    if not isinstance(markers, dict) or set(markers) - set(LANGUAGES):
        raise KnowledgeError(f"{path}: needs `markers:` with word lists for {', '.join(LANGUAGES)}")
    extra = {key: data.get(key) or [] for key in EXTRA_LISTS}
    markers = {**markers, **extra}
    for lang, items in markers.items():
        if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
            raise KnowledgeError(f"{path}: markers.{lang}: must be a list of words")
        longer = [w for w in items if len(words(w)) > (2 if lang in LANGUAGES else 1)]
        if longer:  # a marker is a word or a phrase of two; the other lists hold single words
            raise KnowledgeError(f"{path}: {lang}: too many words in {', '.join(longer[:3])}")
    return {lang: list(items) for lang, items in markers.items()}
