"""The inbox in real headless Chromium: a citizen on Telegram (the stand-in Bot API) asks for a
person; the agent signs in, sees the ticket, takes it, replies; the citizen's chat gets the
reply from staff; the thread updates by itself; the agent closes it and files the question."""

from __future__ import annotations

import httpx
import pytest

from channels.staff_web import inbox
from channels.telegram.webhook import SECRET_HEADER
from handlers import Assistant
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_updates import text, user
from tests.support.browser import PHONE, chromium, require_browser, shot
from tests.support.chat import Chat
from tests.support.handoff import use_clock
from tests.support.staff_web_served import WEBHOOK_SECRET, new_page, sign_in_link

require_browser()
pytestmark = pytest.mark.slow

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
CITIZEN = user(4242, "Sari", "id")


class Citizen:
    """A person writing to the bot on Telegram, through the webhook as Telegram delivers it."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.update_id = 0

    async def send(self, body: str) -> None:
        self.update_id += 1
        update = {**text(CITIZEN, body, self.update_id), "update_id": self.update_id}
        response = await self.client.post("/telegram/webhook", json=update,
                                          headers={SECRET_HEADER: WEBHOOK_SECRET})
        assert response.status_code == 200


async def test_agent_takes_replies_and_closes_a_ticket_in_the_browser(
    served, telegram_api: FakeBotApi, monkeypatch
) -> None:
    from playwright.async_api import expect  # late: the module may have skipped without it

    deps, base_url = served
    use_clock(deps, 2026, 6, 2, 9, 0)  # Tuesday 09:00 WIB: office hours
    monkeypatch.setattr(inbox, "POLL", "250ms")  # the page asks for news more often here
    async with httpx.AsyncClient(base_url=base_url) as client:
        citizen = Citizen(client)
        await citizen.send("/petugas")
        await citizen.send(f"Bagaimana cara mengurus izin PIRT untuk keripik? {XSS}")
        await telegram_api.wait_until(lambda: any("#1" in t for t in telegram_api.texts(4242)))
        other = Chat(Assistant(deps), "4343", language_hint="en", display_name="Budi")
        await other.send("/human")
        await other.send("Can I join the Little Bandung showcase next month?")
        link = await sign_in_link(deps, base_url)  # the admin (9000) holds `agent`
        async with chromium() as browser:
            page = await new_page(browser)
            await page.goto(base_url + "/staff/inbox")
            assert page.url.endswith("/staff/hello")  # no session: the sign-in help
            await page.goto(link)
            await page.click("#signin")
            await page.click("text=Inbox")
            await page.wait_for_selector("#ticket-2")
            # The user's HTML is text: shown as typed, no element made of it.
            row = page.locator("#ticket-1 .first-line")
            assert XSS in await row.text_content()
            assert await page.locator("#ticket-1 script, #ticket-1 img").count() == 0
            await shot(page, "20-inbox")

            await page.click("#ticket-1")
            await page.click("#take")
            await expect(page.locator(".flash")).to_contain_text("You now handle ticket #1")
            await page.fill("#reply", "Bisa, Bu. PIRT diurus lewat OSS, lalu penyuluhan.")
            await page.click("#send-reply")
            await expect(page.locator(".flash")).to_contain_text("Reply to ticket #1 sent")
            staff_says = "Petugas Dinas KUKM: Bisa, Bu. PIRT diurus lewat OSS, lalu penyuluhan."
            await telegram_api.wait_until(lambda: staff_says in telegram_api.texts(4242))

            await citizen.send("Terima kasih, saya coba daftar OSS.")  # the thread updates
            await expect(page.locator("#thread")).to_contain_text("saya coba daftar OSS")
            assert await page.locator("#thread script, #thread img").count() == 0
            await expect(page.locator("#thread .msg-staff")).to_contain_text("Staff · Rina")
            await shot(page, "21-inbox-ticket")
            phone = await new_page(browser, PHONE)
            await phone.context.add_cookies(await page.context.cookies())
            await phone.goto(base_url + "/staff/inbox/1")
            await shot(phone, "22-inbox-ticket-phone")

            await page.fill("#note", "dijawab, PIRT")
            await page.click("#close")
            await expect(page.locator(".flash")).to_contain_text("Ticket #1 is closed")
            await shot(page, "23-inbox-closing")
            await page.click("#curate button:has-text('New topic')")
            await expect(page.locator(".flash")).to_contain_text("is in /unanswered")
            await shot(page, "24-inbox-curated")
            await page.click("text=Inbox")
            assert await page.locator("#ticket-1").count() == 0
            assert await page.locator("#ticket-2").count() == 1
    await telegram_api.wait_until(
        lambda: any("closed ticket #1" in t or "menutup tiket #1" in t
                    for t in telegram_api.texts(4242)))
    ticket = await deps.storage.tickets.get(1)
    assert ticket.closed_by == "telegram:9000" and ticket.first_reply_at is not None
    actions = [e.action for e in await deps.storage.audit.recent(limit=100)]
    for action in ("ticket.take", "ticket.reply", "ticket.close", "ticket.curate"):
        assert action in actions
