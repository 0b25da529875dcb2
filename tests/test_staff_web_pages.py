"""The workspace's pages over HTTP: filters and export, the composer's checks, schedule, roles."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from handlers import Assistant
from tests.support.broadcasting import add_user
from tests.support.chat import Chat
from tests.support.staff_helpers import add_registration
from tests.support.staff_web import csrf_of, signed_in, workspace


@pytest.fixture
def settings(make_settings):
    return make_settings(ADMIN_IDS="telegram:9000", STAFF_WEB="1")


@pytest.fixture
async def admin(deps, assistant: Assistant):
    chat = Chat(assistant, "9000", language_hint="en")
    await chat.send("/language en")
    async with workspace(assistant) as base_url, signed_in(base_url, chat) as client:
        yield client


async def test_filters_pages_and_export_of_the_current_filter(deps, admin) -> None:
    for i in range(25):
        await add_registration(deps, str(800 + i), "id", business_name=f"Kopi {i:02d}",
                               subsector="kuliner" if i % 5 else "kriya")
    await add_registration(deps, "900", "id", business_name="100%_Diskon")
    listing = await admin.get("/staff/registrations", params={"subsector": "kuliner"})
    assert "21 registrations found" in listing.text and "Page 1 of 2" in listing.text
    second = await admin.get("/staff/registrations", params={"subsector": "kuliner", "page": "2"})
    assert second.text.count('class="ref"') == 1
    like = await admin.get("/staff/registrations", params={"q": "%_"})  # wildcards are text
    assert "1 registrations found" in like.text and "100%_Diskon" in like.text
    today = datetime.now(UTC).date().isoformat()
    dated = await admin.get("/staff/registrations", params={"from": today, "to": today})
    assert "26 registrations found" in dated.text
    before = await admin.get("/staff/registrations", params={"to": "2026-01-01"})
    assert "0 registrations found" in before.text

    export = await admin.get("/staff/registrations/export",
                             params={"subsector": "kriya", "fmt": "csv"})
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Status", "Business name"]
    assert len(rows) == 1 + 5 and {row[4] for row in rows[1:]} == {"Crafts"}
    xlsx = await admin.get("/staff/registrations/export", params={"subsector": "kriya"})
    assert xlsx.content.startswith(b"PK")
    [entry, *_] = await deps.storage.audit.recent(action="export.xlsx")
    assert entry.detail["rows"] == 5 and entry.detail["filter"]["subsector"] == "kriya"


async def test_reject_needs_a_note(deps, admin) -> None:
    registration = await add_registration(deps, "901", "en")
    page = await admin.get(f"/staff/registrations/{registration.id}")
    csrf = csrf_of(page.text)
    path = f"/staff/registrations/{registration.id}/verdict"
    refused = await admin.post(path, data={"verdict": "reject", "csrf": csrf})
    assert "Please type the note" in refused.text
    assert (await deps.storage.registrations.get(registration.id)).status == "submitted"
    done = await admin.post(path, data={"verdict": "reject", "note": "NIB kurang", "csrf": csrf})
    assert "is rejected with your note" in done.text
    again = await admin.post(path, data={"verdict": "verify", "csrf": csrf})
    assert "already been reviewed" in again.text  # a second reviewer's late click
    assert (await deps.storage.registrations.get(registration.id)).staff_note == "NIB kurang"


async def test_composer_checks_texts_counts_and_schedules(deps, admin) -> None:
    for i, lang in enumerate(("id", "en", "ms", "en")):
        await add_user(deps.storage, str(1500 + i), name=f"u{i}", language=lang)
    page = await admin.get("/staff/broadcasts")
    csrf = csrf_of(page.text)
    preview = await admin.post("/staff/broadcasts/preview",
                               data={"text": "Halo {{ nama }}", "lang": ["en"]},
                               headers={"x-csrf-token": csrf})
    assert "Number of recipients: 3" in preview.text  # the two English readers and the admin
    assert 'id="preview-en"' in preview.text and 'id="preview-id"' not in preview.text
    bad = await admin.post("/staff/broadcasts", data={
        "csrf": csrf, "text": "Halo {{ nama }}", "text_ms": "Hai {{ alamat }}"})
    assert bad.status_code == 400 and "Bahasa Melayu: " in bad.text and "alamat" in bad.text
    forged = await admin.post("/staff/broadcasts/preview", data={"text": "x", "lang": ["xx"]},
                              headers={"x-csrf-token": csrf})
    assert "Number of recipients: 5" in forged.text  # an unknown value filters nothing
    late = await admin.post("/staff/broadcasts", data={
        "csrf": csrf, "text": "Halo {{ nama }}", "text_en": "Hi {{ name }}",
        "when": "2099-01-01T09:00"})
    assert late.status_code == 400 and "Halo" in late.text  # more than a year ahead: refused
    scheduled = await admin.post("/staff/broadcasts", data={
        "csrf": csrf, "text": "Halo {{ nama }}", "text_en": "Hi {{ name }}",
        "when": "23:59"}, follow_redirects=True)
    assert "Scheduled" in scheduled.text
    [broadcast] = await deps.storage.broadcasts.recent()
    assert broadcast.status == "scheduled" and broadcast.texts == {"en": "Hi {{ name }}"}
    stopped = await admin.post(f"/staff/broadcasts/{broadcast.id}/stop", data={"csrf": csrf})
    assert "#1" in stopped.text
    assert (await deps.storage.broadcasts.get(broadcast.id)).status == "cancelled"
    [entry] = await deps.storage.audit.recent(action="broadcast.schedule")
    assert entry.detail["via"] == "web" and entry.detail["languages"] == ["en"]


async def test_roles_page_grants_and_revokes(deps, admin) -> None:
    page = await admin.get("/staff/people")
    csrf = csrf_of(page.text)
    granted = await admin.post("/staff/people", data={
        "csrf": csrf, "member": "telegram:4242", "role": "reviewer", "action": "grant"})
    assert "telegram:4242 now has the role Reviewer" in granted.text
    assert "<td>telegram:4242</td><td>Reviewer</td>" in granted.text  # the label, not the code
    assert '<option value="broadcaster">Broadcaster</option>' in granted.text
    assert await deps.storage.roles.roles_of("telegram", "4242") == {"reviewer"}
    bad = await admin.post("/staff/people", data={
        "csrf": csrf, "member": "4242", "role": "reviewer", "action": "grant"})
    assert "Usage:" in bad.text
    await admin.post("/staff/people", data={
        "csrf": csrf, "member": "telegram:4242", "role": "reviewer", "action": "revoke"})
    assert await deps.storage.roles.roles_of("telegram", "4242") == set()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


async def test_a_photo_goes_with_the_broadcast_and_a_wrong_file_is_refused(deps, admin) -> None:
    await add_user(deps.storage, "1601", name="u", language="id")
    csrf = csrf_of((await admin.get("/staff/broadcasts")).text)
    wrong = await admin.post("/staff/broadcasts", data={"csrf": csrf, "text": "Halo"},
                             files={"file": ("run.exe", b"MZ\x90\x00", "application/x-msdownload")})
    assert wrong.status_code == 400 and await deps.storage.broadcasts.recent() == []
    sent = await admin.post("/staff/broadcasts", data={"csrf": csrf, "text": "Halo {{ nama }}"},
                            files={"file": ("pameran.png", PNG, "image/png")})
    assert sent.status_code == 303
    [broadcast] = await deps.storage.broadcasts.recent()
    media = await deps.storage.media.get(broadcast.media_id)
    assert (media.kind, media.filename, media.size) == ("photo", "pameran.png", len(PNG))


async def test_reload_reports_the_file_and_entry(deps, admin, monkeypatch) -> None:
    from knowledge import KnowledgeError

    def broken(**_options):
        raise KnowledgeError("knowledge/faq/mea.yaml: mea-what: answer.en: missing")

    csrf = csrf_of((await admin.get("/staff/knowledge")).text)
    old = deps.knowledge
    with monkeypatch.context() as patch:
        patch.setattr("handlers.faq.load_knowledge", broken)
        failed = await admin.post("/staff/knowledge/reload", data={"csrf": csrf})
    assert "knowledge/faq/mea.yaml: mea-what: answer.en: missing" in failed.text
    assert 'id="reload-error"' in failed.text and deps.knowledge is old
    done = await admin.post("/staff/knowledge/reload", data={"csrf": csrf})
    assert "Knowledge reloaded" in done.text and deps.knowledge is not old
