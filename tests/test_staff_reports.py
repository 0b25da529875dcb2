"""/statistik and /ekspor: figures, a real PNG chart, a workbook that opens, no formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image

from storage.audience import Audience
from tests.support.chat import Chat
from tests.support.staff_helpers import add_registration, make_staff

EVIL = '=HYPERLINK("http://x.invalid","klik")'


@pytest.fixture
async def seeded(deps) -> list:
    regs = [
        await add_registration(deps, "4001", "id"),
        await add_registration(deps, "4002", "en", subsector="fesyen", scale="kecil"),
        await add_registration(
            deps,
            "4003",
            "ms",
            channel="whatsapp",
            business_name=EVIL,
            owner_name="@SUM(A1)",
            description="-2+3",
            email=None,
        ),
    ]
    await deps.storage.registrations.set_status(regs[1].id, "verified", None, "telegram:9000")
    questions = deps.storage.questions
    await questions.log(None, "telegram", "id", "cara daftar", "registration-how", 90, True)
    await questions.log(None, "telegram", "id", "cuaca", None, 5, False)
    await questions.log(None, "telegram", "en", "how to register", "registration-how", 88, True)
    return regs


async def test_stats_text_and_chart(deps, assistant, seeded) -> None:
    await make_staff(deps, "7200", "viewer")
    viewer = Chat(assistant, "7200", language_hint="en")
    text_reply, chart = await viewer.send("/stats")
    text = text_reply.text
    assert "Registrations: 3" in text
    assert "By status: awaiting review 2, verified 1" in text
    assert "By subsector: Culinary 2, Fashion 1" in text
    assert "By scale: Micro 2, Small 1" in text
    assert "By channel: Telegram 2, WhatsApp 1" in text
    assert "FAQ questions, last 7 days: 3, unanswered 1 (33%): waiting for review 1" in text
    assert "Top topics: How to register (2)"  # titles, not topic ids in text
    assert "receiving announcements" in text
    assert chart.kind == "photo" and chart.file.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(chart.file) > 10_000  # matplotlib drew three charts, not an empty canvas
    image = Image.open(io.BytesIO(chart.file))
    assert image.format == "PNG" and image.size == (1600, 480)  # third panel: tickets per week
    assert [e.action for e in await deps.storage.audit.recent()] == ["stats.view"]


async def _stats_beside_a_broadcast(deps, assistant, lang: str, command: str):
    """A broadcast created by admin 9000, then `command` sent by them in `lang`: (broadcast, text)."""
    broadcast = await deps.storage.broadcasts.create_now(
        ("telegram", "9000", lang), "Halo {{ nama }}", Audience()
    )
    admin = Chat(assistant, "9000", language_hint=lang)
    return broadcast, (await admin.send(command))[0].text


async def test_stats_show_broadcast_figures(deps, assistant, seeded) -> None:
    broadcast, text = await _stats_beside_a_broadcast(deps, assistant, "en", "/stats")
    assert f"• #{broadcast.id} " in text
    assert f"0/{broadcast.total} sent" in text


async def test_export_xlsx_holds_the_rows(deps, assistant, seeded) -> None:
    await make_staff(deps, "7201", "reviewer")
    reviewer = Chat(assistant, "7201", language_hint="id")
    [reply] = await reviewer.send("/ekspor")
    assert reply.kind == "document" and reply.filename.endswith(".xlsx")
    assert "3 pendaftaran" in reply.text
    sheet = load_workbook(io.BytesIO(reply.file)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nomor referensi", "Status", "Nama usaha", "Pemilik")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= len(EVIL)
    assert [row[0] for row in rows[1:]] == [reg.reference for reg in seeded]
    assert rows[1][1] == "menunggu tinjauan" and rows[2][1] == "terverifikasi"
    assert rows[1][8] == seeded[0].phone  # phone numbers stay as typed
    assert rows[3][2] == "'" + EVIL and rows[3][3] == "'@SUM(A1)" and rows[3][5] == "'-2+3"
    assert all(cell.data_type == "s" for cell in sheet[4] if cell.value is not None)
    [entry] = await deps.storage.audit.recent(action="export.xlsx")
    assert (entry.actor, entry.detail["rows"]) == ("telegram:7201", 3)


async def test_export_file_is_named_by_bandung_time(deps, assistant, seeded) -> None:
    deps.storage.db.now = lambda: datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 00:30 WIB on the 5th
    admin = Chat(assistant, "9000", language_hint="en")
    [reply] = await admin.send("/export")
    assert reply.filename == "registrations-all-20261205-0030.xlsx"


async def test_export_csv_filtered_and_guarded(deps, assistant, seeded) -> None:
    admin = Chat(assistant, "9000", language_hint="en")
    [reply] = await admin.send("/export csv submitted")
    assert reply.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(reply.file.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Status", "Business name"]
    assert [row[0] for row in rows[1:]] == [seeded[0].reference, seeded[2].reference]
    evil = rows[2]
    assert evil[2] == "'" + EVIL and evil[3] == "'@SUM(A1)" and evil[5] == "'-2+3"
    assert evil[8].startswith("'+")  # in CSV even a phone number could be read as a formula
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    [entry] = await deps.storage.audit.recent(action="export.csv")
    assert (entry.target, entry.detail["rows"]) == ("submitted", 2)


async def test_export_usage_on_bad_arguments(deps, assistant) -> None:
    admin = Chat(assistant, "9000", language_hint="en")
    await admin.send("/export pdf")
    assert admin.text.startswith("Usage: /export")
    assert await deps.storage.audit.recent(action="export.xlsx") == []


async def test_export_takes_the_status_in_the_officers_words(deps, assistant, seeded) -> None:
    """Session 9 walk: an officer typed "/ekspor terverifikasi", the word /tinjau shows them, and
    got the usage with English codes; the caption said "(verified)" in Indonesian text."""
    await make_staff(deps, "7202", "reviewer")
    reviewer = Chat(assistant, "7202", language_hint="id")
    [reply] = await reviewer.send("/ekspor terverifikasi")
    assert reply.kind == "document" and "-verified-" in reply.filename
    assert "(terverifikasi)" in reply.text and "verified)" not in reply.text
    [reply] = await reviewer.send("/ekspor csv menunggu tinjauan")
    assert reply.filename.endswith(".csv") and "-submitted-" in reply.filename
    [reply] = await reviewer.send("/ekspor csv ditolak")
    assert "-rejected-" in reply.filename
    await reviewer.send("/ekspor pdf")
    assert "menunggu tinjauan, terverifikasi, ditolak" in reviewer.text
    assert "/ekspor csv terverifikasi" in reviewer.text


async def test_stats_name_a_broadcasts_state_in_the_staff_language(deps, assistant, seeded):
    broadcast, text = await _stats_beside_a_broadcast(deps, assistant, "id", "/statistik")
    assert f"• #{broadcast.id} " in text and " sedang dikirim: " in text
    assert " sending:" not in text
