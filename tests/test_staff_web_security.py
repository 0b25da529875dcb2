"""The staff workspace's doors: sign-in links, sessions, CSRF, roles, escaping, audit."""

from __future__ import annotations

import httpx
import pytest

from handlers import Assistant
from tests.support.broadcasting import Clock
from tests.support.chat import Chat
from tests.support.staff_helpers import add_registration, make_staff
from tests.support.staff_web import csrf_of, link_path, signed_in, workspace


@pytest.fixture
def settings(make_settings):
    return make_settings(ADMIN_IDS="telegram:9000", STAFF_WEB="1",
                         PUBLIC_URL="https://umkm.example.go.id")


@pytest.fixture
async def base_url(assistant: Assistant):
    async with workspace(assistant) as url:
        yield url


async def test_no_session_redirects_to_the_sign_in_help(base_url) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        for path in ("/staff", "/staff/registrations", "/staff/broadcasts", "/staff/people"):
            response = await client.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/staff/hello"
        hello = await client.get("/staff/hello", headers={"accept-language": "en-GB,en"})
        assert "send /login (or /masuk)" in hello.text
        posted = await client.post("/staff/registrations/1/verdict", data={"verdict": "verify"})
        assert posted.status_code == 303  # no session: nothing happens, off to the help page


async def test_link_signs_in_once_with_a_safe_cookie(deps, base_url, admin_chat) -> None:
    path = await link_path(admin_chat)
    assert admin_chat.text.startswith("Tautan masuk") and "https://umkm.example.go.id/staff/masuk/" in admin_chat.text
    async with httpx.AsyncClient(base_url=base_url) as client:
        shown = await client.get(path)  # a link preview's GET spends nothing
        assert shown.status_code == 200 and 'id="signin"' in shown.text
        assert shown.headers["referrer-policy"] == "no-referrer"
        response = await client.post(path)
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/staff"):
            assert flag in cookie
        # Secure: httpx keeps it for https only; this test server speaks http.
        client.cookies.set("staff_session", cookie.split(";")[0].split("=", 1)[1])
        assert (await client.get("/staff")).status_code == 200
    async with httpx.AsyncClient(base_url=base_url) as other:
        again = await other.post(path)  # the same link a second time
        assert again.status_code == 410 and "sudah dipakai" in again.text
        assert (await other.get("/staff")).status_code == 303
    actions = [e.action for e in await deps.storage.audit.recent()]
    assert "web.link" in actions and "web.signin" in actions


async def test_an_expired_link_fails(deps, base_url, admin_chat) -> None:
    clock = Clock(deps.storage.db.now())
    deps.storage.db.now = clock
    path = await link_path(admin_chat)
    clock.advance(minutes=10, seconds=1)
    async with httpx.AsyncClient(base_url=base_url) as client:
        assert (await client.get(path)).status_code == 410
        assert (await client.post(path)).status_code == 410
        assert (await client.get("/staff")).status_code == 303


async def test_idle_session_ends_and_sign_out_ends_it(deps, base_url, admin_chat) -> None:
    clock = Clock(deps.storage.db.now())
    deps.storage.db.now = clock
    async with signed_in(base_url, admin_chat) as client:
        clock.advance(minutes=29)
        assert (await client.get("/staff")).status_code == 200  # each request restarts the clock
        clock.advance(minutes=30, seconds=1)
        assert (await client.get("/staff")).status_code == 303  # idle too long
    async with signed_in(base_url, admin_chat) as client:
        for _ in range(24):  # busy all day (24 x 29 minutes)...
            clock.advance(minutes=29)
            assert (await client.get("/staff")).status_code == 200
        clock.advance(minutes=29)  # ...but signed out once the session is 12 hours old
        assert (await client.get("/staff")).status_code == 303
    async with signed_in(base_url, admin_chat) as client:
        page = await client.get("/staff")
        out = await client.post("/staff/keluar", data={"csrf": csrf_of(page.text)})
        assert out.status_code == 303 and out.headers["location"] == "/staff/hello?out=1"
        assert (await client.get("/staff")).status_code == 303


async def test_missing_or_wrong_csrf_is_refused(deps, base_url, admin_chat) -> None:
    registration = await add_registration(deps, "5001", "id")
    async with signed_in(base_url, admin_chat) as client:
        path = f"/staff/registrations/{registration.id}/verdict"
        assert (await client.post(path, data={"verdict": "verify"})).status_code == 403
        wrong = await client.post(path, data={"verdict": "verify", "csrf": "x" * 43})
        assert wrong.status_code == 403
        header = await client.post(path, data={"verdict": "verify"},
                                   headers={"x-csrf-token": "nope"})
        assert header.status_code == 403
        assert (await client.post("/staff/keluar")).status_code == 403
        assert (await deps.storage.registrations.get(registration.id)).status == "submitted"


async def test_a_viewer_cannot_approve(deps, assistant, base_url) -> None:
    await make_staff(deps, "7001", "viewer")
    registration = await add_registration(deps, "5002", "id")
    viewer = Chat(assistant, "7001", language_hint="en")
    await viewer.send("/language en")  # the workspace speaks the staff member's chat language
    async with signed_in(base_url, viewer) as client:
        overview = await client.get("/staff")
        assert overview.status_code == 200 and "Registrations" in overview.text
        assert "/staff/registrations" not in overview.text  # not in the viewer's menu
        assert (await client.get(f"/staff/registrations/{registration.id}")).status_code == 403
        refused = await client.post(f"/staff/registrations/{registration.id}/verdict",
                                    data={"verdict": "verify", "csrf": csrf_of(overview.text)})
        assert refused.status_code == 403
    assert (await deps.storage.registrations.get(registration.id)).status == "submitted"


async def test_someone_without_a_role_gets_no_link(assistant) -> None:
    citizen = Chat(assistant, "7002", language_hint="en")
    await citizen.send("/login")
    assert "don't know the command /masuk" in citizen.text


async def test_link_when_the_workspace_is_off(make_settings) -> None:
    from wiring.deps import open_deps

    deps = await open_deps(make_settings(ADMIN_IDS="telegram:9000"))
    try:
        admin = Chat(Assistant(deps), "9000", language_hint="en")
        await admin.send("/login")
        assert "not switched on" in admin.text
        await admin.send("/help")
        assert "/login" not in admin.text
    finally:
        await deps.storage.close()
