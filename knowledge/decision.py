"""What the FAQ matcher decides for a question (`Decision`) and the score limits it decides by."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Thresholds:
    """Score limits: answer at or above `answer`; offer choices from `suggest`; else fall back."""

    answer: float = 40.0
    suggest: float = 37.0
    margin: float = 2.0  # a runner-up this close to the best makes it a "did you mean"
    off_topic: float = 20.0  # a fallback below this is off-topic, not a question we lack


@dataclass(frozen=True)
class Decision:
    """What to do with a question: answer, suggest, fallback, greeting or thanks."""

    kind: str
    topic: str | None = None  # the best topic, also on a fallback (for the log)
    score: float = 0.0
    choices: tuple[str, ...] = ()  # topics to offer on "suggest"
    ranked: tuple[tuple[str, float], ...] = field(default=(), repr=False)
    out_of_scope: bool = False  # a fallback because the out-of-scope list matched best
    off_topic: bool = False  # a fallback outside every topic (vs. an in-scope question we lack)
    stage: str = "lexical"  # which stage decided: lexical or semantic (score = 100 x cosine)

    @property
    def guess(self) -> str | None:
        """The topic to name to curators (the question log, a closed ticket's links): none for a
        fallback the user was told is off topic ("cuaca besok" is no financing question)."""
        return None if self.kind == "fallback" and self.off_topic else self.topic
