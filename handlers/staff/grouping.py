"""Group unanswered questions that say the same thing, with rapidfuzz."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

SIMILAR = 72  # token_sort_ratio (0-100) from which two questions count as the same


@dataclass
class Group:
    """Similar questions; `anchor` (the oldest id) names the group in buttons."""

    anchor: int
    questions: list = field(default_factory=list)
    languages: Counter = field(default_factory=Counter)
    guesses: Counter = field(default_factory=Counter)  # the matcher's best (unsure) topics

    @property
    def ids(self) -> list[int]:
        return [question.id for question in self.questions]

    @property
    def count(self) -> int:
        return len(self.questions)

    def examples(self, limit: int = 3) -> list[str]:
        """Up to `limit` different phrasings, most frequent first."""
        counted = Counter(question.text.strip() for question in self.questions)
        return [text for text, _ in counted.most_common(limit)]


def group_questions(questions: Iterable, similar: int = SIMILAR) -> list[Group]:
    """Greedy clustering in id order (stable for the same log); biggest groups first."""
    groups: list[Group] = []
    keys: list[str] = []
    for question in sorted(questions, key=lambda q: q.id):
        key = utils.default_process(question.text)
        found = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=similar)
        if found is None:
            groups.append(Group(anchor=question.id))
            keys.append(key)
            group = groups[-1]
        else:
            group = groups[found[2]]
        group.questions.append(question)
        group.languages[question.language] += 1
        if question.topic:
            group.guesses[question.topic] += 1
    return sorted(groups, key=lambda g: (-g.count, -max(g.ids)))


def find_group(groups: list[Group], question_id: int) -> Group | None:
    """The group holding `question_id`, if any."""
    return next((group for group in groups if question_id in group.ids), None)
