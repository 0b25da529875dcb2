"""Erasure of a user's personal data (UU 27/2022): rows really go, only anonymous counts stay."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class Erasure:
    registration_deleted: bool
    questions_unlinked: int


class PrivacyRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def erase_user(self, user_pk: int) -> Erasure:
        """Delete registration, conversation and WhatsApp records; forget the name; unlink questions."""
        month = self.db.now().strftime("%Y-%m")
        async with self.db.transaction() as tx:
            deleted = await tx.execute("DELETE FROM registrations WHERE user_pk = ?", (user_pk,))
            await tx.execute("DELETE FROM conversations WHERE user_pk = ?", (user_pk,))
            await tx.execute("UPDATE users SET display_name = NULL WHERE id = ?", (user_pk,))
            unlinked = await tx.execute(
                "UPDATE questions SET user_pk = NULL WHERE user_pk = ?", (user_pk,)
            )
            # On WhatsApp the user id is the phone number: drop what is kept under it.
            wa_id = "SELECT user_id FROM users WHERE id = ? AND channel = 'whatsapp'"
            await tx.execute(f"DELETE FROM whatsapp_contacts WHERE wa_id = ({wa_id})", (user_pk,))  # noqa: S608
            await tx.execute(f"DELETE FROM whatsapp_messages WHERE wa_id = ({wa_id})", (user_pk,))  # noqa: S608
            await tx.execute(
                """INSERT INTO erasures (month, count) VALUES (?, 1)
                   ON CONFLICT (month) DO UPDATE SET count = count + 1""",
                (month,),
            )
        return Erasure(deleted.rowcount > 0, unlinked.rowcount)

    async def questions_logged(self, user_pk: int) -> int:
        """How many of the user's questions are in the FAQ log (shown by /datasaya)."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM questions WHERE user_pk = ?", (user_pk,))
        return row[0]

    async def erasure_count(self) -> int:
        """How many erasures ever happened (anonymous)."""
        row = await self.db.fetchone("SELECT COALESCE(SUM(count), 0) FROM erasures")
        return row[0]
