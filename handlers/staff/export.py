"""`/ekspor` (`/export`): registrations as an XLSX workbook, or CSV with `/ekspor csv`."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.router import Router
from handlers.staff.common import audit, split_args
from handlers.staff.fields import COLUMNS, labels, raw_value
from handlers.staff.sheets import csv_bytes, xlsx_bytes
from handlers.types import Reply, ReplyKind
from handlers.wib import wib_stamp
from knowledge.languages import LANGUAGES
from storage.registrations import STATUSES

# Exports hold personal data (names, phone numbers, e-mail), so reviewers (and admins) only;
# viewers see the aggregated figures of /statistik.
ROLE = "reviewer"


async def export(ctx: Ctx) -> list[Reply]:
    """Send the registrations as a document: `/ekspor [csv] [status]`, the status by its code
    (submitted, verified, rejected) or its label in any of the three languages ("terverifikasi",
    "ditolak", "menunggu tinjauan": an officer writes the words the bot shows them)."""
    rest = f" {' '.join(word.casefold() for word in split_args(ctx))} "
    statuses = []
    for name, code in _status_names(ctx):
        if f" {name} " in rest:
            statuses.append(code)
            rest = rest.replace(f" {name} ", " ")
    words = rest.split()
    fmt = "csv" if "csv" in words else "xlsx"
    if [word for word in words if word not in ("csv", "xlsx")] or len(set(statuses)) > 1:
        labels_ = [ctx.t(f"staff.status_{code}") for code in STATUSES]
        return [ctx.say("staff.export_usage", statuses=", ".join(labels_), example=labels_[1])]
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
            ctx.t("staff.export_caption", count=len(rows),
                  status=ctx.t(f"staff.status_{status}") if status else ""),
            kind=ReplyKind.DOCUMENT,
            file=data,
            filename=name,
        )
    ]


def _status_names(ctx: Ctx) -> list[tuple[str, str]]:
    """(name, code) for every status: its code and its label in each language, longest first."""
    texts = ctx.deps.knowledge.texts
    names = {(code, code) for code in STATUSES}
    names |= {(texts.render(lang, f"staff.status_{code}").casefold(), code)
              for code in STATUSES for lang in LANGUAGES}  # fmt: skip
    return sorted(names, key=lambda pair: -len(pair[0]))


def register(router: Router) -> None:
    router.command("ekspor", "export", role=ROLE)(export)
