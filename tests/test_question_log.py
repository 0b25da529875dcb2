"""The FAQ question log: questions logged at once are stored together, each as asked."""

from __future__ import annotations

import asyncio

import pytest

from storage import open_storage


@pytest.mark.both_engines
async def test_questions_logged_at_once_share_a_transaction_and_all_are_stored(
    engine: str, database_url: str
) -> None:
    storage = await open_storage(database_url)
    db = storage.db
    try:
        user = await storage.users.touch("telegram", "501", "Sari")
        transactions = []
        atomically = db.atomically

        async def counted(steps):
            transactions.append(len(steps[0].params))
            await atomically(steps)

        db.atomically = counted
        asked = [f"pertanyaan nomor {n}" for n in range(20)]
        await asyncio.gather(*(
            storage.questions.log(user.id, "telegram", "id", text, "nib-oss", 50.0 + n, n % 2 == 0)
            for n, text in enumerate(asked)
        ))  # fmt: skip
        assert transactions == [len(asked)]  # one transaction (one hand-over) for all twenty
        rows = await db.fetchall(
            "SELECT text, topic, score, answered FROM questions ORDER BY score", ()
        )
        assert [tuple(row) for row in rows] == [
            (text, "nib-oss", 50.0 + n, int(n % 2 == 0)) for n, text in enumerate(asked)
        ]
        assert await storage.questions.counts() == (20, 10)
    finally:
        await storage.close()
