"""Talk to a person in the console: a citizen and an agent (`--admin`) on one screen (`@name`
switches who is typing), one process, one database: a whole ticket from question to rating."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.test_console import console

pytestmark = pytest.mark.slow
SCRIPT = """\
@warga
/petugas
Saya perlu bantuan izin usaha makanan
@petugas
/tiket
Ambil
Balas
Silakan urus PIRT di Dinas Kesehatan.
@warga
Apa saja syaratnya, Pak?
@petugas
/balas 1 KTP, NIB dan foto tempat produksi.
/tutup 1 dijawab
@warga
👍 Membantu
"""


def test_a_whole_ticket_in_the_console_from_question_to_rating(tmp_path) -> None:
    done = console(tmp_path, SCRIPT, "--user", "petugas", "--admin")
    assert done.returncode == 0, done.stderr
    # What each turn shows, up to the next `@name`: a person's own answers and what the outbox
    # printed meanwhile (in either order; a switch waits for the outbox, so turns keep order).
    turns = re.split(r"^— (\w+) —$", done.stdout, flags=re.MULTILINE)[1:]
    assert [who for who in turns[::2]] == ["warga", "petugas", "warga", "petugas", "warga"]
    expected = [
        ["Tulis pertanyaan Anda dalam satu pesan", "nomor tiket #1",
         # the console is one screen: the card is printed here, addressed to the agent, with
         # the buttons the agent presses after switching
         "[console:petugas] 🆕 Tiket #1", "1. Ambil\n2. Balas\n3. Tutup"],
        ["#1 · umur", "belum diambil · Bahasa Indonesia",  # /tiket: a language's name
         "Tiket #1 sekarang Anda tangani.",  # Ambil (Take)
         "Tulis balasan untuk tiket #1",  # Balas (Reply): the next message is the reply
         "✓ Balasan untuk tiket #1 dikirim ke pengguna.",
         "[console:warga] Petugas Dinas KUKM: Silakan urus PIRT di Dinas Kesehatan."],
        ["✓ Diteruskan ke petugas (tiket #1).",
         "[console:petugas] #1 Pengguna: Apa saja syaratnya, Pak?"],
        ["[console:warga] Petugas Dinas KUKM: KTP, NIB dan foto tempat produksi.",
         "Tiket #1 ditutup; pengguna sudah diberi tahu.",
         "[console:warga] Petugas menutup tiket #1.", "1. 👍 Membantu\n2. 👎 Kurang membantu"],
        ["Terima kasih atas penilaian Anda!"],
    ]  # fmt: skip
    for shown, wanted in zip(turns[1::2], expected, strict=True):
        for part in wanted:
            assert part in shown, f"{part!r} not in this turn:\n{shown}"
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        ticket = db.execute("SELECT status, assignee, rating, first_reply_at FROM tickets").fetchall()
        authors = [row[0] for row in db.execute("SELECT author FROM ticket_messages ORDER BY id")]
    assert [row[:3] for row in ticket] == [("closed", "console:petugas", "up")]
    assert ticket[0][3] is not None
    assert authors == ["user", "staff", "user", "staff"]
