"""Delivery receipts: platform status reports (delivered, read, failed) on broadcast deliveries."""

from __future__ import annotations

from storage.db import Database

RECEIPT_RANK = {"delivered": 1, "read": 2, "failed": 3}
_RANK_SQL = (
    "(CASE COALESCE(receipt, '') "
    + " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in RECEIPT_RANK.items())
    + " ELSE 0 END)"
)


class ReceiptRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self,
        channel: str,
        message_id: str,
        receipt: str,
        error: str | None = None,
        blocked: bool = False,
    ) -> int:
        """Note a receipt on the delivery sent as `message_id`; rows changed (0 or 1).

        A receipt never moves back ("delivered" after "read" is ignored). "failed" also marks
        the delivery failed (or blocked) with `error`, so the broadcast's report counts it.
        """
        rank = RECEIPT_RANK.get(receipt)
        if rank is None:
            return 0
        now = self.db.now().isoformat()
        if receipt == "failed":
            status = "blocked" if blocked else "failed"
            sql = f"""UPDATE deliveries SET receipt = 'failed', receipt_at = ?, status = ?,
                        error = ?, updated_at = ?
                      WHERE channel = ? AND message_id = ? AND {_RANK_SQL} < ?"""  # noqa: S608
            params = (now, status, error, now, channel, message_id, rank)
        else:
            sql = f"""UPDATE deliveries SET receipt = ?, receipt_at = ?
                      WHERE channel = ? AND message_id = ? AND {_RANK_SQL} < ?"""  # noqa: S608
            params = (receipt, now, channel, message_id, rank)
        return await self.db.execute(sql, params)

    async def counts(self, broadcast_id: int) -> dict[str, int]:
        """Deliveries of a broadcast by receipt (delivered, read, failed)."""
        rows = await self.db.fetchall(
            """SELECT receipt, COUNT(*) FROM deliveries
               WHERE broadcast_id = ? AND receipt IS NOT NULL GROUP BY receipt""",
            (broadcast_id,),
        )
        return {row[0]: row[1] for row in rows}
