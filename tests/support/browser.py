"""Real headless Chromium (Debian's package) driven by Playwright, for the workspace tests.

Without chromium or playwright the browser tests skip with one line; under CI=true they fail.
Screenshots go to tests/artifacts/screens/ (gitignored) for people to look at.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENS = Path(__file__).parent.parent / "artifacts" / "screens"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def require_browser() -> None:
    """Skip the calling module (one line) when no browser can run; fail instead under CI."""
    missing = None
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed (make install)"
    if missing is None and not os.access(CHROMIUM, os.X_OK):
        missing = f"{CHROMIUM} is missing (make install gets Debian's chromium as root)"
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {missing}", pytrace=False)
    pytest.skip(f"browser tests skipped: {missing}", allow_module_level=True)


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator:
    """A headless Chromium browser (no download: the system's binary)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield browser
        finally:
            await browser.close()


SHOT_TRIES = 3  # Chromium's transient "Unable to capture screenshot": asked again, it takes it
_TRANSIENT = "Unable to capture screenshot"


async def shot(page, name: str) -> Path:
    """A full-page screenshot saved as tests/artifacts/screens/<name>.png.

    Chromium now and then refuses one capture with "Protocol error (Page.captureScreenshot):
    Unable to capture screenshot" and takes the same picture when asked again (seen once in
    session 18's CI run of a fresh clone; robotframework-browser issue #5237 reports the same).
    Such a refusal is asked again after the page's next animation frame (the compositor has
    drawn one), up to SHOT_TRIES captures in all; any other error, or the last refusal, fails.
    """
    from playwright.async_api import Error

    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    for _ in range(SHOT_TRIES - 1):
        try:
            await page.screenshot(path=str(path), full_page=True)
            return path
        except Error as exc:
            if _TRANSIENT not in str(exc):
                raise
            await page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
    await page.screenshot(path=str(path), full_page=True)
    return path
