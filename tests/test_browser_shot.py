"""The screenshot helper asks again when Chromium refuses a capture for a moment, and only then."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.async_api")

from playwright.async_api import Error  # noqa: E402

from tests.support import browser  # noqa: E402

REFUSED = "Page.screenshot: Protocol error (Page.captureScreenshot): Unable to capture screenshot"


class Page:
    """A page whose first `refusals` captures fail with `error`; it records what was asked."""

    def __init__(self, refusals: int, error: str = REFUSED) -> None:
        self.refusals, self.error, self.asked = refusals, error, []

    async def screenshot(self, path: str, full_page: bool) -> None:
        self.asked.append("screenshot")
        if self.refusals:
            self.refusals -= 1
            raise Error(self.error)

    async def evaluate(self, script: str) -> None:
        assert "requestAnimationFrame" in script  # waits for a frame, not for a fixed time
        self.asked.append("frame")


async def test_a_refused_capture_is_asked_again_after_a_frame(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(browser, "SCREENS", tmp_path)
    page = Page(refusals=browser.SHOT_TRIES - 1)
    assert await browser.shot(page, "x") == tmp_path / "x.png"
    assert page.asked == ["screenshot", "frame"] * (browser.SHOT_TRIES - 1) + ["screenshot"]


async def test_refused_every_time_or_another_error_fails(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(browser, "SCREENS", tmp_path)
    with pytest.raises(Error, match="Unable to capture"):
        await browser.shot(Page(refusals=browser.SHOT_TRIES), "x")
    other = Page(refusals=1, error="Target page, context or browser has been closed")
    with pytest.raises(Error, match="closed"):
        await browser.shot(other, "x")
    assert other.asked == ["screenshot"]
