"""Exports survive hostile registrations: control characters and formulas in any separator."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from handlers.staff.sheets import neutralise_parts
from handlers.types import strip_controls
from tests.support.chat import Chat
from tests.support.regform import register
from tests.support.staff_helpers import add_registration

FORMULA = ("=", "+", "-", "@", "\t", "\r")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = {
    "business_name": "Toko;=1+1;x",
    "owner_name": "Ani\x1b[31m\x0bNUL\x00 Sari",
    "description": "Kue enak, -2+3 ;@SUM(A1)\n=cmd|' /C calc'!A0\r\n\t+1 \x85akhir",
    "city": "Bandung, =HYPERLINK(\"x\")",
}


@pytest.fixture
async def hostile(deps):
    """A registration stored as it came (before validation stripped anything)."""
    return await add_registration(deps, "4101", "en", **HOSTILE)


def _quoted(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue()


def _parts(cell: str) -> list[str]:
    return [part.lstrip(" ") for part in re.split(r"[,;\n]", cell)]


@pytest.mark.parametrize("delimiter", [",", ";"])
async def test_csv_read_with_either_separator_runs_no_formula(assistant, hostile, delimiter):
    [reply] = await Chat(assistant, "9000", language_hint="en").send("/export csv")
    text = reply.file.decode("utf-8-sig")
    assert text == _quoted(list(csv.reader(io.StringIO(text))))  # every field quoted
    for reader in (csv.reader(io.StringIO(text), delimiter=delimiter),
                   (line.split(delimiter) for line in text.splitlines())):  # a naive reader too
        for row in reader:
            for cell in row:
                for part in _parts(cell.strip().strip('"')):
                    assert not part.startswith(FORMULA), (delimiter, cell)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "Toko;'=1+1;x"  # the text itself is all there, made inert
    assert not any(CONTROLS.search(cell) for row in rows for cell in row)


async def test_xlsx_export_works_with_control_characters_stored(assistant, hostile):
    [reply] = await Chat(assistant, "9000", language_hint="en").send("/export")
    assert reply.filename.endswith(".xlsx")  # not the apology of an IllegalCharacterError
    rows = list(load_workbook(io.BytesIO(reply.file)).active.iter_rows(values_only=True))
    assert rows[1][3] == "Ani[31mNUL Sari"
    assert "\n" in rows[1][5] and "\t" in rows[1][5]  # a multi-line description keeps its lines
    assert not any(CONTROLS.search(str(cell)) for row in rows for cell in row if cell)


def test_strip_controls_keeps_lines_only_where_allowed():
    assert strip_controls("a\x1bb\x0bc\x00d\x9be\r\nf\tg") == "abcde\nf\tg"
    assert strip_controls("a\r\nb\tc\x07", keep_lines=False) == "a b c"


def test_every_part_that_starts_a_formula_is_neutralised():
    assert neutralise_parts("Toko;=1+1;x") == "Toko;'=1+1;x"
    assert neutralise_parts("+62812, @x; -1\n=2") == "'+62812, '@x; '-1\n'=2"
    assert neutralise_parts("Jual kue - enak, murah") == "Jual kue - enak, murah"


async def test_control_characters_are_stripped_when_typed(deps, chat):
    await register(chat, owner_name="Sari\x1b\x00 Dewi\x0b", business_name="Batik\nSari\x85",
                   description="Batik tulis\r\npewarna alam\x07")
    user = await deps.storage.users.get("telegram", "1001")
    reg = await deps.storage.registrations.get_for_user(user.id)
    assert (reg.owner_name, reg.business_name) == ("Sari Dewi", "Batik Sari")
    assert reg.description == "Batik tulis\npewarna alam"
