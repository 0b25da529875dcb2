"""The FAQ question log (answered or not, for curators and statistics) and curated phrasings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.batching import GroupWrite
from storage.db import Database, Step, parse_time


@dataclass(frozen=True)
class Question:
    id: int
    user_pk: int | None
    channel: str
    language: str
    text: str
    topic: str | None
    score: float
    answered: bool
    status: str
    linked_topic: str | None
    created_at: datetime


@dataclass(frozen=True)
class Phrasing:
    topic: str
    language: str
    text: str
    created_by: str | None
    created_at: datetime


def _question(row) -> Question:
    return Question(
        id=row["id"],
        user_pk=row["user_pk"],
        channel=row["channel"],
        language=row["language"],
        text=row["text"],
        topic=row["topic"],
        score=row["score"],
        answered=bool(row["answered"]),
        status=row["status"],
        linked_topic=row["linked_topic"],
        created_at=parse_time(row["created_at"]),
    )


_LOG = """INSERT INTO questions (user_pk, channel, language, text, topic, score, answered,
                                 created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""


class QuestionRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        # The questions logged while the previous write ran go in one transaction: one
        # hand-over to the database instead of one per FAQ message (storage/batching.py).
        self._logged: GroupWrite[tuple] = GroupWrite(self._write)

    async def log(
        self,
        user_pk: int | None,
        channel: str,
        language: str,
        text: str,
        topic: str | None,
        score: float,
        answered: bool,
    ) -> None:
        """Record one question as asked; returns once it is stored."""
        now = self.db.now().isoformat()
        await self._logged((user_pk, channel, language, text, topic, score, int(answered), now))

    async def _write(self, rows: list[tuple]) -> None:
        if len(rows) == 1:
            await self.db.execute(_LOG, rows[0])
        else:
            await self.db.atomically([Step(_LOG, rows, many=True)])

    async def last_answered(self, user_pk: int) -> tuple[str, datetime] | None:
        """The topic and time of the user's last question, if the FAQ answered it."""
        row = await self.db.fetchone(
            "SELECT topic, answered, created_at FROM questions WHERE user_pk = ?"
            " ORDER BY id DESC LIMIT 1",
            (user_pk,),
        )
        if row is None or not row["answered"] or row["topic"] is None:
            return None
        return row["topic"], parse_time(row["created_at"])

    async def get(self, question_id: int) -> Question | None:
        row = await self.db.fetchone("SELECT * FROM questions WHERE id = ?", (question_id,))
        return _question(row) if row else None

    async def counts(self, since: datetime | None = None) -> tuple[int, int]:
        """(all questions, answered questions) since a time (or ever)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(answered), 0) FROM questions WHERE created_at >= ?",
            ((since.isoformat() if since else ""),),
        )
        return row[0], row[1]


class PhrasingRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, topic: str, language: str, text: str, created_by: str | None) -> bool:
        """Store a curated phrasing; False if it was already there."""
        row = await self.db.fetchone(
            """INSERT INTO faq_phrasings (topic, language, text, created_by, created_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic, language, text) DO NOTHING
               RETURNING id""",
            (topic, language, text, created_by, self.db.now().isoformat()),
        )
        return row is not None

    async def all(self) -> list[Phrasing]:
        rows = await self.db.fetchall("SELECT * FROM faq_phrasings ORDER BY id")
        return [
            Phrasing(
                r["topic"], r["language"], r["text"], r["created_by"], parse_time(r["created_at"])
            )
            for r in rows
        ]
