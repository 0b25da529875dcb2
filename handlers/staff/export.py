"""`/ekspor` (`/export`): registrations as an XLSX workbook, or CSV with `/ekspor csv`."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.router import Router
from handlers.staff.common import audit, split_args
from handlers.staff.fields import COLUMNS, labels, raw_value
from handlers.staff.sheets import csv_bytes, xlsx_bytes
from handlers.types import Reply, ReplyKind
from handlers.wib import wib_stamp
from storage.registrations import STATUSES

# Exports hold personal data (names, phone numbers, e-mail), so reviewers (and admins) only;
# viewers see the aggregated figures of /statistik.
ROLE = "reviewer"


async def export(ctx: Ctx) -> list[Reply]:
    """Send the registrations as a document: `/ekspor [csv] [submitted|verified|rejected]`."""
    words = [word.casefold() for word in split_args(ctx)]
    fmt = "csv" if "csv" in words else "xlsx"
    statuses = [word for word in words if word in STATUSES]
    unknown = [word for word in words if word not in ("csv", "xlsx", *STATUSES)]
    if unknown or len(statuses) > 1:
        return [ctx.say("staff.export_usage", statuses=", ".join(STATUSES))]
    status = statuses[0] if statuses else None
    repo = ctx.deps.storage.registrations
    registrations = await repo.list_by_status(status, limit=-1) if status else await repo.all()
    rows = [[raw_value(ctx, reg, name) for name in COLUMNS] for reg in registrations]
    stamp = wib_stamp(ctx.deps.storage.db.now())
    name = f"registrations-{status or 'all'}-{stamp}.{fmt}"
    if fmt == "csv":
        data = csv_bytes(labels(ctx), rows)
    else:
        data = xlsx_bytes(ctx.t("staff.export_sheet"), labels(ctx), rows)
    await audit(ctx, f"export.{fmt}", status or "all", rows=len(rows), filename=name)
    return [
        Reply(
            ctx.t("staff.export_caption", count=len(rows), status=status or ""),
            kind=ReplyKind.DOCUMENT,
            file=data,
            filename=name,
        )
    ]


def register(router: Router) -> None:
    router.command("ekspor", "export", role=ROLE)(export)
