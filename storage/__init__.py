"""Storage: the database (SQLite or PostgreSQL) and the repositories that return dataclasses.

SQL lives only in this package; what differs between the engines is in storage/dialect.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from storage import postgres, sqlite  # noqa: E402, F401, I001 -- the engines register themselves
from storage.audience import AudienceRepo
from storage.broadcasts import BroadcastRepo
from storage.conversations import Conversation, ConversationRepo
from storage.curation import CurationRepo
from storage.db import Database, StorageError, utcnow
from storage.deliveries import DeliveryRepo
from storage.inbox import InboxRepo
from storage.media import MediaRepo
from storage.outbox import OutboxRepo
from storage.pace import PaceRepo
from storage.privacy import PrivacyRepo
from storage.questions import PhrasingRepo, QuestionRepo
from storage.receipts import ReceiptRepo
from storage.registration_search import RegistrationSearchRepo
from storage.registrations import RegistrationRepo
from storage.reports import ReportRepo
from storage.staff import AuditRepo, RoleRepo
from storage.staff_web import StaffWebRepo
from storage.tickets import TicketRepo
from storage.users import User, UserRepo
from storage.whatsapp import WhatsAppRepo

__all__ = ["Conversation", "Database", "Storage", "StorageError", "User", "open_storage"]


class Storage:
    """The database and every repository over it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = UserRepo(db)
        self.conversations = ConversationRepo(db)
        self.registrations = RegistrationRepo(db)
        self.privacy = PrivacyRepo(db)
        self.roles = RoleRepo(db)
        self.audit = AuditRepo(db)
        self.audience = AudienceRepo(db)
        self.broadcasts = BroadcastRepo(db)
        self.deliveries = DeliveryRepo(db)
        self.media = MediaRepo(db)
        self.reports = ReportRepo(db)
        self.curation = CurationRepo(db)
        self.questions = QuestionRepo(db)
        self.phrasings = PhrasingRepo(db)
        self.whatsapp = WhatsAppRepo(db)
        self.receipts = ReceiptRepo(db)
        self.inbox = InboxRepo(db)
        self.tickets = TicketRepo(db)
        self.outbox = OutboxRepo(db)
        self.pace = PaceRepo(db)
        self.staff_web = StaffWebRepo(db)
        self.registration_search = RegistrationSearchRepo(db)

    async def close(self) -> None:
        await self.db.close()


async def open_storage(
    url: str, clock: Callable[[], datetime] = utcnow, pool_size: int = 10, migrate: bool = True
) -> Storage:
    """Open (and migrate) the database at `url` (or a SQLite path) and build the repositories."""
    return Storage(await Database.open(url, clock, pool_size=pool_size, migrate=migrate))
