"""The last broadcasts with their delivery figures, for /statistik (empty without broadcasts)."""

from __future__ import annotations

from typing import Any

from handlers.staff.fields import local_time

SHOWN = 5


async def recent_broadcasts(storage: Any) -> list[dict[str, Any]]:
    """Up to five newest broadcasts: id, status, when, total, sent, failed, blocked."""
    repo = getattr(storage, "broadcasts", None)  # the broadcast feature's repository
    if repo is None:
        return []
    figures = []
    for broadcast in await repo.recent(SHOWN):
        counts = await repo.counts(broadcast.id)
        figures.append(
            {
                "id": broadcast.id,
                "status": broadcast.status,
                "when": local_time(broadcast.started_at or broadcast.scheduled_at),
                "total": broadcast.total,
                "sent": counts.get("sent", 0),
                "failed": counts.get("failed", 0),
                "blocked": counts.get("blocked", 0),
                "pending": counts.get("pending", 0) + counts.get("sending", 0),
            }
        )
    return figures
