"""The workspace's inbox over HTTP: tickets through TicketService — take (one winner), reply
with text or a file through the outbox, release, close with the "turn into knowledge" choice;
roles, CSRF and escaping as on every page."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from handlers import Assistant
from tests.support.chat import Chat
from tests.support.handoff import queued, use_clock
from tests.support.staff_helpers import add_registration, make_staff
from tests.support.staff_web import csrf_of, signed_in, workspace

XSS = "<script>alert(1)</script>"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def settings(make_settings):
    return make_settings(ADMIN_IDS="telegram:9000", STAFF_WEB="1")


@pytest.fixture
def clock(deps):
    """Tuesday 2 June 2026, 09:00 WIB: office hours."""
    return use_clock(deps, 2026, 6, 2, 9, 0)


@pytest.fixture
async def base_url(assistant: Assistant):
    async with workspace(assistant) as url:
        yield url


async def staff_chat(assistant, user_id: str, lang: str = "en") -> Chat:
    chat = Chat(assistant, user_id, language_hint=lang, display_name=f"Agent {user_id}")
    await chat.send(f"/language {lang}")
    return chat


async def open_ticket(assistant, user_id: str, question: str, **kwargs) -> Chat:
    """A citizen asks for a person and asks their question: ticket opened."""
    citizen = Chat(assistant, user_id, language_hint="id", **kwargs)
    await citizen.send("/petugas")
    await citizen.send(question)
    assert "#" in citizen.text, citizen.text
    return citizen


async def test_inbox_lists_tickets_and_the_thread_escapes_user_text(
    deps, assistant, clock, base_url
) -> None:
    registration = await add_registration(deps, "2101")
    await open_ticket(assistant, "2101", f"Kapan diverifikasi? {XSS}")
    await open_ticket(assistant, "2102", "Izin PIRT bagaimana?", display_name=f"<b>{XSS}</b>")
    admin = await staff_chat(assistant, "9000")
    async with signed_in(base_url, admin) as client:
        home = await client.get("/staff")
        assert 'href="/staff/inbox">Inbox (2)</a>' in home.text  # admins hold `agent`
        inbox = await client.get("/staff/inbox")
        assert inbox.status_code == 200 and 'id="ticket-1"' in inbox.text
        assert 'id="ticket-2"' in inbox.text and "Not taken yet" in inbox.text
        assert XSS not in inbox.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in inbox.text
        assert 'hx-get="/staff/inbox/list"' in inbox.text  # the list polls for news
        part = await client.get("/staff/inbox/list")
        assert part.text.lstrip().startswith('<div id="tickets"')
        ticket = await client.get("/staff/inbox/1")
        assert registration.reference in ticket.text and registration.phone in ticket.text
        assert "Kapan diverifikasi? &lt;script&gt;" in ticket.text and XSS not in ticket.text
        assert 'hx-get="/staff/inbox/1/thread"' in ticket.text
        unregistered = await client.get("/staff/inbox/2")
        assert "Not registered as an SME." in unregistered.text
        assert (await client.get("/staff/inbox/99")).status_code == 404
    actions = [e.action for e in await deps.storage.audit.recent(limit=50)]
    assert "ticket.list" in actions and "web.ticket" in actions


async def test_take_reply_release_close_and_turn_into_knowledge(
    deps, assistant, clock, base_url
) -> None:
    await open_ticket(assistant, "2201", "Bagaimana cara mendapatkan NIB untuk usaha saya?")
    admin = await staff_chat(assistant, "9000")
    async with signed_in(base_url, admin) as client:
        csrf = csrf_of((await client.get("/staff/inbox/1")).text)
        taken = await client.post("/staff/inbox/1/take", data={"csrf": csrf})
        assert "You now handle ticket #1" in taken.text and 'id="release"' in taken.text
        assert (await deps.storage.tickets.get(1)).assignee == "telegram:9000"

        empty = await client.post("/staff/inbox/1/reply", data={"csrf": csrf, "text": "  "})
        assert empty.status_code == 400 and "Please write a reply" in empty.text
        sent = await client.post("/staff/inbox/1/reply",
                                 data={"csrf": csrf, "text": "NIB diurus lewat OSS, Bu."})
        assert "Reply to ticket #1 sent to the user" in sent.text
        assert "NIB diurus lewat OSS, Bu." in sent.text  # in the thread
        photo = await client.post(
            "/staff/inbox/1/reply", data={"csrf": csrf, "text": "Ini panduannya."},
            files={"file": ("panduan-oss.png", PNG, "image/png")})
        assert photo.status_code == 200 and 'src="/staff/inbox/1/file/' in photo.text
        wrong = await client.post("/staff/inbox/1/reply", data={"csrf": csrf, "text": "x"},
                                  files={"file": ("run.exe", b"MZ", "application/x-msdownload")})
        assert wrong.status_code == 400 and "cannot be passed on" in wrong.text

        # Through the same durable outbox as the chat's replies, marked as from staff.
        replies = await queued(deps, purpose="reply", user_id="2201")
        assert [r.texts[-1] for r in replies] == [
            "Petugas Dinas KUKM: NIB diurus lewat OSS, Bu.", "Petugas Dinas KUKM: Ini panduannya."]
        row = await deps.storage.db.fetchone(
            "SELECT replies FROM outbox WHERE id = ?", (replies[1].id,))
        attachment = json.loads(row["replies"])[0]["attachment"]
        assert attachment["filename"] == "panduan-oss.png" and attachment["kind"] == "photo"
        media_id = attachment["id"]
        shown = await client.get(f"/staff/inbox/1/file/{media_id}")
        assert shown.content == PNG and shown.headers["content-type"] == "image/png"
        assert shown.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in shown.headers["content-security-policy"]

        released = await client.post("/staff/inbox/1/release", data={"csrf": csrf})
        assert "Ticket #1 released" in released.text and 'id="take"' in released.text
        assert (await deps.storage.tickets.get(1)).assignee is None

        closed = await client.post("/staff/inbox/1/close", data={"csrf": csrf, "note": "dijawab"})
        assert "Ticket #1 is closed; the user has been told." in closed.text
        assert 'id="curate"' in closed.text and 'value="tk:kn:1"' in closed.text
        assert 'id="reply-form"' not in closed.text  # nothing more to send
        [notice] = await queued(deps, purpose="notice", user_id="2201")
        assert "#1" in notice.text
        forged = await client.post("/staff/inbox/1/curate", data={"csrf": csrf,
                                                                  "choice": "tk:take:1"})
        assert forged.status_code == 400
        curated = await client.post("/staff/inbox/1/curate", data={"csrf": csrf,
                                                                   "choice": "tk:kn:1"})
        assert "is in /unanswered as a candidate new topic" in curated.text
        again = await client.post("/staff/inbox/1/close", data={"csrf": csrf})
        assert again.status_code == 409 and "does not exist or is closed" in again.text
    question = await deps.storage.db.fetchone("SELECT text, answered FROM questions")
    assert question["text"].startswith("Bagaimana cara mendapatkan NIB")
    audit = {e.action: e for e in await deps.storage.audit.recent(limit=50)}
    for action in ("ticket.take", "ticket.reply", "ticket.release", "ticket.close",
                   "ticket.curate"):
        assert audit[action].actor == "telegram:9000"
        assert audit[action].detail["via"] == "web", action  # the chat's rows carry no `via`
    assert audit["ticket.close"].detail["note"] == "dijawab"


async def test_two_agents_take_at_once_exactly_one_wins(
    deps, assistant, clock, base_url
) -> None:
    await make_staff(deps, "7101", "agent")
    await open_ticket(assistant, "2301", "Tolong bantu soal sertifikat halal")
    admin, agent = await staff_chat(assistant, "9000"), await staff_chat(assistant, "7101")
    async with signed_in(base_url, admin) as one, signed_in(base_url, agent) as two:
        csrf_one = csrf_of((await one.get("/staff/inbox/1")).text)
        csrf_two = csrf_of((await two.get("/staff/inbox/1")).text)
        import asyncio

        first, second = await asyncio.gather(
            one.post("/staff/inbox/1/take", data={"csrf": csrf_one}),
            two.post("/staff/inbox/1/take", data={"csrf": csrf_two}),
        )
    results = sorted([first, second], key=lambda r: r.status_code)
    assert [r.status_code for r in results] == [200, 409]
    winner = (await deps.storage.tickets.get(1)).assignee
    assert winner in ("telegram:9000", "telegram:7101")
    loser_text = results[1].text
    assert "Ticket #1 was already taken by" in loser_text and 'id="ticket-error"' in loser_text
    takes = await deps.storage.audit.recent(action="ticket.take")
    assert [e.actor for e in takes] == [winner]


async def test_roles_csrf_and_sessions_guard_every_ticket_action(
    deps, assistant, clock, base_url
) -> None:
    await make_staff(deps, "7201", "viewer", "reviewer", "broadcaster")
    await open_ticket(assistant, "2401", "Pertanyaan untuk petugas")
    async with httpx.AsyncClient(base_url=base_url) as anonymous:
        for path in ("/staff/inbox", "/staff/inbox/1", "/staff/inbox/list"):
            response = await anonymous.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/staff/hello"
        posted = await anonymous.post("/staff/inbox/1/take")
        assert posted.status_code == 303
    viewer = await staff_chat(assistant, "7201")
    async with signed_in(base_url, viewer) as client:
        home = await client.get("/staff")
        assert "/staff/inbox" not in home.text  # no `agent`: not in the menu
        csrf = csrf_of(home.text)
        assert (await client.get("/staff/inbox")).status_code == 403
        assert (await client.get("/staff/inbox/1")).status_code == 403
        for action, data in (("take", {}), ("reply", {"text": "hi"}), ("close", {}),
                             ("release", {})):
            refused = await client.post(f"/staff/inbox/1/{action}", data={"csrf": csrf, **data})
            assert refused.status_code == 403, action
    admin = await staff_chat(assistant, "9000")
    async with signed_in(base_url, admin) as client:
        wrong = await client.post("/staff/inbox/1/take", data={"csrf": "x" * 43})
        assert wrong.status_code == 403
        missing = await client.post("/staff/inbox/1/reply", data={"text": "hi"})
        assert missing.status_code == 403
    ticket = await deps.storage.tickets.get(1)
    assert ticket.is_open and ticket.assignee is None
    assert await queued(deps, purpose="reply") == []


async def test_a_file_of_another_ticket_is_not_served(deps, assistant, clock, base_url) -> None:
    await open_ticket(assistant, "2501", "Pertanyaan satu")
    await open_ticket(assistant, "2502", "Pertanyaan dua")
    admin = await staff_chat(assistant, "9000")
    async with signed_in(base_url, admin) as client:
        csrf = csrf_of((await client.get("/staff/inbox/1")).text)
        await client.post("/staff/inbox/1/reply", data={"csrf": csrf, "text": "foto"},
                          files={"file": ("a.png", PNG, "image/png")})
        [message] = [m for m in await deps.storage.tickets.messages(1) if m.media_id]
        assert (await client.get(f"/staff/inbox/1/file/{message.media_id}")).status_code == 200
        assert (await client.get(f"/staff/inbox/2/file/{message.media_id}")).status_code == 404
        await client.post("/staff/inbox/1/reply", data={"csrf": csrf, "text": ""},
                          files={"file": ("izin.pdf", b"%PDF-1.4 panduan", "application/pdf")})
        [pdf] = [m for m in await deps.storage.tickets.messages(1) if m.media_id][1:]
        page = await client.get("/staff/inbox/1")
        assert f'href="/staff/inbox/1/file/{pdf.media_id}">Document: izin.pdf' in page.text
        download = await client.get(f"/staff/inbox/1/file/{pdf.media_id}")
        assert download.headers["content-disposition"] == 'attachment; filename="izin.pdf"'
        assert download.headers["content-type"] == "application/octet-stream"


async def test_a_page_asking_for_news_does_not_keep_the_session_open(
    deps, assistant, clock, base_url
) -> None:
    await open_ticket(assistant, "2601", "Pertanyaan")
    admin = await staff_chat(assistant, "9000")
    poll = {"hx-request": "true"}  # htmx asking by itself, every few seconds
    async with signed_in(base_url, admin) as client:
        assert (await client.get("/staff/inbox/1")).status_code == 200
        clock.now += timedelta(minutes=20)
        assert (await client.get("/staff/inbox/1/thread", headers=poll)).status_code == 200
        assert (await client.get("/staff/inbox/list", headers=poll)).status_code == 200
        clock.now += timedelta(minutes=10, seconds=1)  # 30 minutes since the agent's last page
        ended = await client.get("/staff/inbox/1/thread", headers=poll)
        assert ended.status_code == 401 and ended.headers["hx-redirect"] == "/staff/hello"
        assert (await client.get("/staff/inbox")).status_code == 303  # signed out


async def test_the_overview_has_the_ticket_figures_of_the_chat_statistics(
    deps, assistant, clock, base_url
) -> None:
    await open_ticket(assistant, "2701", "Pertanyaan satu")
    citizen = await open_ticket(assistant, "2702", "Pertanyaan dua")
    await citizen.send("/selesai")
    await citizen.press("hand:rate:2:up")
    admin = await staff_chat(assistant, "9000")
    async with signed_in(base_url, admin) as client:
        overview = await client.get("/staff")
        assert "1 open now · rated helpful 1, not helpful 0" in overview.text
        this_week = overview.text.split('id="tickets"')[1]
        assert "<th>01/06</th></tr>" in this_week  # the clock's week (Monday 1 June) is last
        assert "<th>Opened</th>" + "<td>0</td>" * 11 + "<td>2</td></tr>" in this_week
        chart = await client.get("/staff/chart.png")
        assert chart.headers["content-type"] == "image/png" and chart.content[:4] == b"\x89PNG"
    await admin.send("/stats")  # the chat says the same
    assert "1 open now · 👍 1 · 👎 0" in admin.replies[0].text
