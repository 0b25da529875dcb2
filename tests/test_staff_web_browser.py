"""The staff workspace in real headless Chromium: sign in, review, broadcast, curate, sign out."""

from __future__ import annotations

import pytest

from handlers import Assistant
from tests.fakes.telegram_api import FakeBotApi
from tests.support.broadcasting import add_user
from tests.support.browser import PHONE, chromium, require_browser, shot
from tests.support.chat import Chat
from tests.support.staff_helpers import add_registration
from tests.support.staff_web_served import new_page, sign_in_link

require_browser()
pytestmark = pytest.mark.slow

XSS = "<script>alert(1)</script>"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


async def test_sign_in_review_and_sign_out(served, telegram_api: FakeBotApi) -> None:
    deps, base_url = served
    for i in range(23):
        await add_registration(deps, str(600 + i), "en", business_name=f"Warung Kopi {i:02d}")
    target = await add_registration(deps, "700", "ms", business_name="Batik Sekar Jagad")
    await add_registration(deps, "701", "id", business_name=XSS, owner_name=f"<b>{XSS}</b>")
    link = await sign_in_link(deps, base_url)
    async with chromium() as browser:
        page = await new_page(browser)
        await page.goto(base_url + "/staff")
        assert page.url.endswith("/staff/hello")  # no session: the sign-in help
        await shot(page, "01-sign-in-help")
        await page.goto(link)
        await shot(page, "02-sign-in-link")
        await page.click("#signin")
        await page.wait_for_selector("#fig-total")
        assert await page.inner_text("#fig-total") == "25"
        await page.wait_for_load_state("networkidle")  # the chart is drawn on request
        await shot(page, "03-overview")

        reuse = await new_page(browser)  # the same link again, in another browser context
        response = await reuse.goto(link)
        assert response.status == 410 and await reuse.is_visible("#link-dead")
        await shot(reuse, "04-link-used")

        await page.click("text=Registrations")
        assert "25 registrations found" in await page.inner_text("#found")
        assert await page.is_visible("#next-page")  # 20 per page
        # User-provided HTML is text: the cell shows the tags, and no script element exists.
        cells = await page.eval_on_selector_all("td.business", "els => els.map(e => e.textContent)")
        assert XSS in cells
        assert await page.eval_on_selector_all("td.business script, td.business b", "e => e.length") == 0
        await shot(page, "05-registrations")
        await page.fill("#q", "sekar")
        await page.select_option("#status", "submitted")
        await page.click("#apply")
        assert "1 registrations found" in await page.inner_text("#found")
        await page.click(f"text={target.reference}")
        await page.fill("#note", "Selamat, data lengkap.")
        await shot(page, "06-registration")
        await page.click("#verify")
        flash = await page.inner_text(".flash")
        assert f"{target.reference} (Batik Sekar Jagad) is verified" in flash
        assert "The owner has been told" in flash
        await shot(page, "07-verified")
        assert (await deps.storage.registrations.get(target.id)).status == "verified"
        [notice] = telegram_api.texts(700)  # the owner is told as today, in Malay
        assert notice.startswith("Berita baik!") and "Selamat, data lengkap." in notice

        phone = await new_page(browser, PHONE)
        await phone.context.add_cookies(await page.context.cookies())
        await phone.goto(base_url + "/staff/registrations")
        await shot(phone, "08-registrations-phone")

        await page.click("#signout")
        await page.wait_for_selector("#signed-out")
        await shot(page, "09-signed-out")
        await page.goto(base_url + "/staff")
        assert page.url.endswith("/staff/hello")
    actions = [entry.action for entry in await deps.storage.audit.recent(limit=100)]
    for action in ("web.link", "web.signin", "review.verify", "web.signout"):
        assert action in actions


async def test_trilingual_broadcast_from_compose_to_100_percent(
    served, telegram_api: FakeBotApi
) -> None:
    deps, base_url = served
    readers = {"id": [2001, 2002, 2003], "en": [2011, 2012], "ms": [2021, 2022]}
    for lang, ids in readers.items():
        for user_id in ids:
            await add_user(deps.storage, str(user_id), name=f"{lang}{user_id}", language=lang)
    link = await sign_in_link(deps, base_url)  # the admin (9000) reads English
    async with chromium() as browser:
        page = await new_page(browser)
        await page.goto(link)
        await page.click("#signin")
        await page.click("text=Broadcasts")
        await page.fill("#text", "Halo {{ nama }}, pameran UMKM dibuka Senin.")
        await page.fill("#text_en", "Hello {{ name }}, the SME fair opens on Monday.")
        await page.fill("#text_ms", "Hai {{ nama }}, pameran PKS dibuka Isnin.")
        await page.check("#f-ch-telegram")
        from playwright.async_api import expect  # late: the module may have skipped without it

        # The preview follows the typing (the last request wins): wait for the last change.
        await expect(page.locator("#preview-ms .preview")).to_contain_text("Hai ms2021")
        assert "Number of recipients: 8" in await page.inner_text("#count")
        previews = {lang: await page.inner_text(f"#preview-{lang} .preview")
                    for lang in ("id", "en", "ms")}
        assert previews["id"].startswith("Halo id2001, pameran UMKM dibuka Senin.")
        assert previews["en"].startswith("Hello en2011, the SME fair opens on Monday.")
        assert previews["en"].endswith("Type /stop.")
        assert previews["ms"].startswith("Hai ms2021, pameran PKS dibuka Isnin.")
        assert previews["ms"].endswith("Taip /berhenti.")
        await shot(page, "10-broadcast-composer")
        # With a photo, the preview shows it with the text as its caption, per language.
        await page.set_input_files("#file", files=[{
            "name": "pameran.png", "mimeType": "image/png", "buffer": PNG}])
        await expect(page.locator("#preview-en .file")).to_contain_text("Photo · pameran.png")
        await expect(page.locator("#preview-en .caption")).to_contain_text("Hello en2011")
        await shot(page, "10b-broadcast-preview-photo")
        await page.set_input_files("#file", files=[])  # this broadcast goes without it
        await expect(page.locator("#preview-en .file")).to_have_count(0)
        await expect(page.locator("#preview-id .preview")).to_have_text(previews["id"])
        await page.click("#send")
        await page.wait_for_selector("#bar")
        await shot(page, "11-broadcast-sending")
        await page.wait_for_selector('#bar[aria-valuenow="100"]', timeout=60_000)
        # Then the report replaces the progress text (the page stops polling).
        await expect(page.locator("#report")).to_contain_text("Sent: 8", timeout=60_000)
        assert await page.get_attribute("#progress", "hx-get") is None
        assert not await page.is_visible("#stop")  # nothing left to stop
        await shot(page, "12-broadcast-done")
    expected = {"id": "Halo {name}, pameran UMKM dibuka Senin.",
                "en": "Hello {name}, the SME fair opens on Monday.",
                "ms": "Hai {name}, pameran PKS dibuka Isnin."}
    for lang, ids in readers.items():
        for user_id in ids:
            [text] = telegram_api.texts(user_id)
            assert text.startswith(expected[lang].format(name=f"{lang}{user_id}"))
    [broadcast] = await deps.storage.broadcasts.recent()
    assert broadcast.texts.keys() == {"en", "ms"} and broadcast.status == "done"


async def test_link_an_unanswered_group_and_read_the_knowledge(served) -> None:
    deps, base_url = served
    assistant = Assistant(deps)
    for user_id, question in (("3001", "kapan ada bazar umkm di gedung sate"),
                              ("3002", "kapan ada bazar umkm di gedung sate?"),
                              ("3003", "resep rendang padang yang enak")):
        await Chat(assistant, user_id, language_hint="id").send(question)
    link = await sign_in_link(deps, base_url, lang="id")
    async with chromium() as browser:
        page = await new_page(browser)
        await page.goto(link)
        await page.click("#signin")
        await page.click("text=Belum terjawab")
        await page.wait_for_selector("#group-1")
        await shot(page, "13-unanswered")
        await page.select_option("#topic-1", "events-schedule")
        await page.click("#link-1")
        flash = await page.inner_text(".flash")
        assert "2 pertanyaan ditautkan ke" in flash and "(events-schedule)" in flash
        assert not await page.is_visible("#group-1")
        await shot(page, "14-unanswered-linked")
        await page.click("#ignore-3")
        await page.wait_for_selector("#no-groups")
        await page.click("text=Pengetahuan")
        await shot(page, "15-knowledge")
        await page.click("#reload")
        assert "Pengetahuan dimuat ulang" in await page.inner_text(".flash")
        await page.click("text=Petugas & peran")
        await shot(page, "16-people")
    assert (await deps.storage.questions.get(1)).status == "linked"
    assert (await deps.storage.questions.get(3)).status == "ignored"
    await Chat(assistant, "3009", language_hint="id").send("kapan ada bazar umkm di gedung sate")
    assert (await deps.storage.questions.get(4)).answered  # the linked phrasing answers now
