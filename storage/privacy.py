"""Erasure of a user's personal data (UU 27/2022): rows really go, only anonymous counts stay.

What happens to each table on `/hapus` is written down in ERASURE_POLICY (a test checks that
every table of the schema has an entry, so a new table must decide). Deleted content is
overwritten (PRAGMA secure_delete) and the write-ahead log is truncated after an erasure, so no
copy stays in the -wal file either.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.pace import PaceRepo
from storage.tickets import TicketRepo

ERASURE_POLICY = {
    "users": "deleted (with it: conversation, registration and broadcast deliveries)",
    "conversations": "deleted (the form in progress)",
    "registrations": "deleted",
    "questions": "deleted: the verbatim text of every question the user asked",
    "faq_phrasings": "deleted when its text is one of the user's questions",
    "audit": "entries about the user's registration lose their target and details (notes)",
    "deliveries": "deleted with the user",
    "whatsapp_contacts": "deleted (keyed by the phone number)",
    "whatsapp_messages": "deleted (keyed by the phone number; hold personalised texts)",
    "inbox": "a message's body and replies are cleared once answered (the erasure request's"
    " before the log is truncated); its platform id stays 30 days for de-duplication",
    "erasures": "one more in this month's anonymous count",
    "inbox_seen": "unused since the inbox keeps answered ids (0012); ids only, no user or text",
    "staff_roles": "kept: staff members, not registrants (an admin revokes a role)",
    "broadcasts": "kept: staff-written templates and the staff author",
    "broadcast_media": "kept: files staff attached to broadcasts",
    "broadcast_media_refs": "kept: platform ids of those files",
    "schema_migrations": "kept: no personal data",
    "tickets": "the user's tickets lose their link to the user and their question; open ones "
               "close: only times and ratings stay, for the anonymous statistics",
    "ticket_messages": "deleted (every message of the user's tickets, theirs and staff's)",
    "outbox": "deleted: messages to the user and the ticket cards and threads sent to agents",
    "outbox_parts": "deleted with their outbox rows: platform ids of the messages sent",
    "agent_prefs": "kept: staff members' choice to show their name, not registrants",
    "staff_login_links": "deleted: the user's own web sign-in links (staff only; hashes)",
    "staff_sessions": "deleted: the user's own web sessions (staff only; hashes)",
    "pace": "the user's chat gap and flood bucket deleted (keys carry the id; seconds of state)",
}


@dataclass(frozen=True)
class Erasure:
    registration_deleted: bool
    questions_deleted: int
    phrasings_deleted: int


class PrivacyRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        # (channel, user id) erased while their request is being answered: the channel drops
        # what answering them stored again (see `settle`).
        self._erased: set[tuple[str, str]] = set()

    async def erase_user(self, user_pk: int) -> Erasure:
        """Delete the user and everything kept about them; anonymise staff notes about them."""
        month = self.db.now().strftime("%Y-%m")
        async with self.db.transaction() as tx:
            user = await tx.fetchone("SELECT channel, user_id FROM users WHERE id = ?", (user_pk,))
            if user is None:
                return Erasure(False, 0, 0)
            reg = await tx.fetchone(
                "SELECT reference FROM registrations WHERE user_pk = ?", (user_pk,)
            )
            if reg is not None:
                await _anonymise_audit(tx, reg["reference"])
            phrasings = await tx.execute(
                """DELETE FROM faq_phrasings WHERE EXISTS (
                     SELECT 1 FROM questions q WHERE q.user_pk = ?
                       AND q.language = faq_phrasings.language
                       AND TRIM(q.text) = faq_phrasings.text)""",
                (user_pk,),
            )
            questions = await tx.execute("DELETE FROM questions WHERE user_pk = ?", (user_pk,))
            await TicketRepo(self.db).erase_user(tx, user_pk, user["channel"], user["user_id"])
            await _forget_address(tx, user["channel"], user["user_id"])
            await _forget_sign_ins(tx, user["channel"], user["user_id"])
            await PaceRepo(self.db).forget_user(tx, user["channel"], user["user_id"])
            await tx.execute("DELETE FROM users WHERE id = ?", (user_pk,))  # cascades
            await tx.execute(
                """INSERT INTO erasures (month, count) VALUES (?, 1)
                   ON CONFLICT (month) DO UPDATE SET count = erasures.count + 1""",
                (month,),
            )
        self._erased.add((user["channel"], user["user_id"]))
        await self.db.checkpoint()
        return Erasure(reg is not None, questions.rowcount, phrasings.rowcount)

    async def settle(self, channel: str, user_id: str) -> bool:
        """After the reply to an erasure went out: drop what sending it stored, truncate the log.

        Channels call this once a message's replies are delivered; it costs nothing unless the
        user was erased while that message was handled. True if there was something to settle.
        """
        if (channel, user_id) not in self._erased:
            return False
        self._erased.discard((channel, user_id))
        async with self.db.transaction() as tx:
            await _forget_address(tx, channel, user_id)
        await self.db.checkpoint()
        return True

    async def questions_logged(self, user_pk: int) -> int:
        """How many of the user's questions are in the FAQ log (shown by /datasaya)."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM questions WHERE user_pk = ?", (user_pk,))
        return row[0]

    async def erasure_count(self) -> int:
        """How many erasures ever happened (anonymous)."""
        row = await self.db.fetchone("SELECT COALESCE(SUM(count), 0) FROM erasures")
        return row[0]


async def _anonymise_audit(tx, reference: str | None) -> None:
    """Staff actions on the registration stay (who did what, when); the notes quoting it go."""
    if reference is not None:  # review entries name the registration by its reference
        await tx.execute(
            """UPDATE audit SET target = 'erased', detail = '{"erased": true}'
               WHERE target = ?""",
            (reference,),
        )


async def _forget_sign_ins(tx, channel: str, user_id: str) -> None:
    """A staff member erasing themself: their web sign-in links and sessions go too."""
    for table in ("staff_login_links", "staff_sessions"):
        await tx.execute(
            f"DELETE FROM {table} WHERE channel = ? AND user_id = ?",  # noqa: S608 -- fixed names
            (channel, user_id),
        )


async def _forget_address(tx, channel: str, user_id: str) -> None:
    """On WhatsApp the user id is the phone number: drop what is kept under it."""
    if channel == "whatsapp":
        await tx.execute("DELETE FROM whatsapp_contacts WHERE wa_id = ?", (user_id,))
        await tx.execute("DELETE FROM whatsapp_messages WHERE wa_id = ?", (user_id,))
