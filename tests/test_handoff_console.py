"""Talk to a person in the console: a citizen and an agent (`--admin`) on one screen (`@name`
switches who is typing), one process, one database: a whole ticket from question to rating."""

from __future__ import annotations

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
    out = done.stdout
    steps = [
        "— warga —",
        "Tulis pertanyaan Anda dalam satu pesan",
        "nomor tiket #1",
        # The console is one screen: the card is printed here, addressed to the agent, with
        # its buttons, which the agent presses after switching.
        "[console:petugas] 🆕 Tiket #1",
        "1. Ambil\n2. Balas\n3. Tutup",
        "— petugas —",
        "#1 · umur",  # /tiket
        "belum diambil · Bahasa Indonesia",  # a label, not the code
        "Tiket #1 sekarang Anda tangani.",  # Ambil (Take)
        "Tulis balasan untuk tiket #1",  # Balas (Reply): the next message is the reply
        "✓ Balasan untuk tiket #1 dikirim ke pengguna.",
        "[console:warga] Petugas Dinas KUKM: Silakan urus PIRT di Dinas Kesehatan.",
        "— warga —",
        "✓ Diteruskan ke petugas (tiket #1).",
        "[console:petugas] #1 Pengguna: Apa saja syaratnya, Pak?",  # only to the agent who has it
        "[console:warga] Petugas Dinas KUKM: KTP, NIB dan foto tempat produksi.",
        "Tiket #1 ditutup; pengguna sudah diberi tahu.",
        "[console:warga] Petugas menutup tiket #1.",
        "1. 👍 Membantu\n2. 👎 Kurang membantu",
        "Terima kasih atas penilaian Anda!",
    ]
    at = 0
    for step in steps:  # each in this order on the screen
        found = out.find(step, at)
        assert found >= 0, f"{step!r} not after position {at}:\n{out[at:at + 2000]}"
        at = found + len(step)
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        ticket = db.execute("SELECT status, assignee, rating, first_reply_at FROM tickets").fetchall()
        authors = [row[0] for row in db.execute("SELECT author FROM ticket_messages ORDER BY id")]
    assert [row[:3] for row in ticket] == [("closed", "console:petugas", "up")]
    assert ticket[0][3] is not None
    assert authors == ["user", "staff", "user", "staff"]
