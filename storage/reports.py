"""Read-only figures for staff statistics: users, questions, registrations per week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage.db import Database


@dataclass(frozen=True)
class UserCounts:
    total: int
    subscribed: int  # receive broadcasts: subscribed and not blocked
    unsubscribed: int
    blocked: int


@dataclass(frozen=True)
class QuestionStats:
    days: int
    total: int
    unanswered: int  # fell back, whatever curators did with them since
    top_topics: tuple[tuple[str, int], ...]  # answered topics, most asked first
    waiting: int = 0  # unanswered and not yet curated: what /belumterjawab lists
    linked: int = 0
    ignored: int = 0

    @property
    def unanswered_rate(self) -> float:
        """Share of questions that fell back (0.0 when none were asked)."""
        return self.unanswered / self.total if self.total else 0.0


class ReportRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def user_counts(self) -> UserCounts:
        row = await self.db.fetchone(
            """SELECT COUNT(*) AS total,
                 COALESCE(SUM(CASE WHEN subscribed = 1 AND blocked = 0 THEN 1 END), 0)
                   AS subscribed,
                 COALESCE(SUM(CASE WHEN subscribed = 0 THEN 1 END), 0) AS unsubscribed,
                 COALESCE(SUM(CASE WHEN blocked = 1 THEN 1 END), 0) AS blocked
               FROM users"""
        )
        return UserCounts(row["total"], row["subscribed"], row["unsubscribed"], row["blocked"])

    async def question_stats(self, days: int, top: int = 5) -> QuestionStats:
        """Questions asked in the last `days` days, the unanswered among them, top topics."""
        since = (self.db.now() - timedelta(days=days)).isoformat()
        row = await self.db.fetchone(
            """SELECT COUNT(*) AS total,
                 COALESCE(SUM(CASE WHEN answered = 0 THEN 1 ELSE 0 END), 0) AS unanswered,
                 COALESCE(SUM(CASE WHEN answered = 0 AND status = 'new' THEN 1 ELSE 0 END), 0)
                   AS waiting,
                 COALESCE(SUM(CASE WHEN answered = 0 AND status = 'linked' THEN 1 ELSE 0 END), 0)
                   AS linked,
                 COALESCE(SUM(CASE WHEN answered = 0 AND status = 'ignored' THEN 1 ELSE 0 END), 0)
                   AS ignored
               FROM questions WHERE created_at >= ?""",
            (since,),
        )
        topics = await self.db.fetchall(
            """SELECT topic, COUNT(*) AS n FROM questions
               WHERE created_at >= ? AND answered = 1 AND topic IS NOT NULL
               GROUP BY topic ORDER BY n DESC, topic LIMIT ?""",
            (since, top),
        )
        return QuestionStats(
            days,
            row["total"],
            row["unanswered"],
            tuple((t["topic"], t["n"]) for t in topics),
            row["waiting"],
            row["linked"],
            row["ignored"],
        )

    async def registrations_per_week(self, weeks: int = 12) -> list[tuple[date, int]]:
        """(Monday, count) for each of the last `weeks` weeks, oldest first, zeros included."""
        today = self.db.now().date()
        first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
        rows = await self.db.fetchall(
            "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM registrations"
            " WHERE created_at >= ? GROUP BY day",
            (first.isoformat(),),
        )
        counts = {first + timedelta(weeks=i): 0 for i in range(weeks)}
        for row in rows:
            day = date.fromisoformat(row["day"])
            monday = day - timedelta(days=day.weekday())
            if monday in counts:
                counts[monday] += row["n"]
        return sorted(counts.items())
