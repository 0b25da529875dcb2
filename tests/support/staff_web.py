"""Test tools for the staff web workspace: the real server on 127.0.0.1 and signing in."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

import httpx

from channels.staff_web import staff_web_part
from channels.staff_web.auth import COOKIE
from handlers import Assistant
from tests.fakes.asgi import serving
from tests.support.chat import Chat
from wiring.web import build_app

LINK = re.compile(r"https?://\S+/staff/masuk/(\S+)")


@contextlib.asynccontextmanager
async def workspace(assistant: Assistant) -> AsyncIterator[str]:
    """Serve `bot.py serve`'s app with the staff workspace; yield its base URL."""
    part = staff_web_part(assistant)
    assert part is not None, "STAFF_WEB must be on"
    async with serving(build_app(assistant.deps, [part])) as base_url:
        yield base_url


async def link_path(chat: Chat) -> str:
    """Ask for a sign-in link in the chat (/masuk); its path."""
    await chat.send("/masuk")
    match = LINK.search(chat.text)
    assert match, chat.text
    return f"/staff/masuk/{match[1]}"


@contextlib.asynccontextmanager
async def signed_in(base_url: str, chat: Chat) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client signed in as the chat's user."""
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post(await link_path(chat))
        assert response.status_code == 303 and response.headers["location"] == "/staff"
        # Set by hand: a Secure cookie (PUBLIC_URL https) is not sent back over the test's http.
        client.cookies.set(COOKIE, response.headers["set-cookie"].split(";")[0].split("=", 1)[1])
        yield client


def csrf_of(html: str) -> str:
    """The CSRF token of a page's forms."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match[1]
