"""Registrations as a spreadsheet: XLSX (openpyxl) or CSV, safe against formula injection.

Every text cell loses its control characters (tab and newline stay), whatever was stored.
CSV: every field is quoted, and every part of a field that a spreadsheet could split off and
run (after a `,`, `;` or line break, in either list-separator convention) is neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from handlers.types import strip_controls

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+[0-9]{6,15}$")
# The start of every part a spreadsheet may read as a cell: the field's start, or just after a
# comma, semicolon or line break; then spaces; then a character that starts a formula.
_PART_FORMULA = re.compile(r"(^|[,;\n])( *)(?=[=+\-@\t\r])")
MAX_WIDTH = 60


def neutralise(value: Any) -> Any:
    """Prefix `'` to text a spreadsheet would run as a formula (= + - @ tab CR)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_parts(value: str) -> str:
    """Prefix `'` to every part of `value` that starts a formula once split at `,` `;` or a
    line break ('Toko;=1+1;x' -> "Toko;'=1+1;x")."""
    return _PART_FORMULA.sub(r"\1\2'", value)


def _text(value: Any) -> Any:
    return strip_controls(value) if isinstance(value, str) else value


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """One sheet: bold frozen header row, filter, widths fitted to the content."""
    from openpyxl import Workbook  # here: only an export needs it, not every bot start
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(headers, 1):
        longest = max([len(str(header)), *(len(str(row[index - 1])) for row in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    # An E.164 phone number is plain digits; written as text it stays "+62…" and cannot run.
    value = _text(value)
    if isinstance(value, str) and _PHONE.match(value):
        return value
    return neutralise(value)


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM (Excel reads it right), every field quoted, formula-like parts neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([_csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any) -> str:
    return neutralise_parts(strip_controls("" if value is None else str(value)))
