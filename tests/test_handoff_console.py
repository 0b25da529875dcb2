"""Talk to a person in the console: a citizen and an agent (`--admin`) on one database."""

from __future__ import annotations

import pytest

from tests.test_console import console

pytestmark = pytest.mark.slow


def test_citizen_asks_agent_answers_and_closes_in_the_console(tmp_path) -> None:
    grant = console(tmp_path, "/staf tambah console:petugas agent\n", "--user", "petugas", "--admin")
    assert "console:petugas" in grant.stdout, grant.stderr

    asked = console(tmp_path, "/petugas\nSaya perlu bantuan izin usaha makanan\n",
                    "--user", "warga")  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert "Tulis pertanyaan Anda dalam satu pesan" in asked.stdout
    assert "nomor tiket #1" in asked.stdout
    # The console has one screen: the agent's card is printed here, addressed to them.
    assert "[console:petugas] 🆕 Tiket #1" in asked.stdout

    agent = console(tmp_path, "/tiket\n/balas 1 Silakan urus PIRT di Dinas Kesehatan.\n/tutup 1\n",
                    "--user", "petugas", "--admin")  # fmt: skip
    assert agent.returncode == 0, agent.stderr
    assert "#1 · umur" in agent.stdout and "Saya perlu bantuan izin usaha makanan" in agent.stdout
    assert "belum diambil · Bahasa Indonesia" in agent.stdout  # a label, not the code
    assert "✓ Balasan untuk tiket #1 dikirim ke pengguna." in agent.stdout
    assert "Tiket #1 ditutup; pengguna sudah diberi tahu." in agent.stdout
    # Sent through the outbox before the process ended (input over: it waits for them).
    assert "[console:warga] Petugas Dinas KUKM: Silakan urus PIRT di Dinas Kesehatan." in agent.stdout
    assert "[console:warga] Petugas menutup tiket #1." in agent.stdout

    again = console(tmp_path, "/petugas\n/selesai\n", "--user", "warga")
    assert "Ketik /selesai untuk menutupnya" not in again.stdout  # no ticket open any more
    assert "Tulis pertanyaan Anda" in again.stdout
