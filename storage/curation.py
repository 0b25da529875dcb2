"""The unanswered-question log as curators see it: new questions, and marking them handled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database, parse_time

CURATION_STATUSES = ("new", "linked", "ignored")


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    language: str
    text: str
    topic: str | None  # the matcher's best guess, even though it did not answer
    score: float
    status: str
    created_at: datetime


def _question(row) -> LoggedQuestion:
    return LoggedQuestion(
        row["id"],
        row["language"],
        row["text"],
        row["topic"],
        row["score"],
        row["status"],
        parse_time(row["created_at"]),
    )


class CurationRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def unanswered(self, days: int = 30, limit: int = 500) -> list[LoggedQuestion]:
        """Unanswered questions not yet handled, from the last `days` days, oldest first."""
        since = (self.db.now() - timedelta(days=days)).isoformat()
        rows = await self.db.fetchall(
            """SELECT * FROM (SELECT * FROM questions
                 WHERE answered = 0 AND status = 'new' AND created_at >= ?
                 ORDER BY id DESC LIMIT ?) AS newest ORDER BY id""",
            (since, limit),
        )
        return [_question(row) for row in rows]

    async def count_waiting(self, days: int = 30) -> int:
        """How many unanswered questions of the last `days` days wait for a curator."""
        since = (self.db.now() - timedelta(days=days)).isoformat()
        row = await self.db.fetchone(
            """SELECT COUNT(*) FROM questions
               WHERE answered = 0 AND status = 'new' AND created_at >= ?""",
            (since,),
        )
        return row[0]

    async def mark(self, ids: Sequence[int], status: str, topic: str | None = None) -> int:
        """Set the curation status (and linked topic) of still-new questions; return how many."""
        if status not in CURATION_STATUSES:
            raise ValueError(f"unknown curation status {status!r}")
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        return await self.db.execute(
            f"""UPDATE questions SET status = ?, linked_topic = ?
                WHERE status = 'new' AND id IN ({marks})""",  # noqa: S608 (placeholders only)
            (status, topic, *ids),
        )
