"""The shared channel layer: one splitting rule, one retry policy, one upload cache."""

from __future__ import annotations

import asyncio
import logging

import pytest

from channels.common.retry import GIVE_UP, Failure, RetryPolicy
from channels.common.text import split_text
from channels.common.uploads import FileGone, Uploads
from handlers.broadcast.compose import attachment_of
from handlers.outage import OutageLog


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    assert split_text("short", 4096) == ["short"]
    assert split_text("   ", 4096) == []
    assert split_text("x" * 5000, 4096) == ["x" * 4096, "x" * 904]  # no boundary: a hard cut
    words = split_text("kata " * 2000, 4096)
    assert all(len(c) <= 4096 and not c.endswith(" ") for c in words)
    assert sum(len(c.split()) for c in words) == 2000
    text = "a" * 30 + "\n\n" + "b" * 30 + "\n" + "c" * 30 + " " + "d" * 20
    assert split_text(text, 70) == ["a" * 30, "b" * 30, "c" * 30 + " " + "d" * 20]
    # A boundary too early (it would leave a piece under a quarter of the limit) is not used.
    assert split_text("ab " + "x" * 100, 40) == ["ab " + "x" * 37, "x" * 40, "x" * 23]


class Flaky:
    """Fails with the given errors, one per call, then answers 'ok'."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.calls = list(errors), 0

    async def __call__(self, value: str) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return value


class RateLimited(Exception):
    pass


def classify(exc: BaseException) -> Failure | None:
    if isinstance(exc, RateLimited):
        return Failure(wait=float(str(exc)))
    if isinstance(exc, ConnectionError):
        return Failure(transient=True)
    return GIVE_UP


async def test_retry_waits_backs_off_and_gives_up_by_the_classifier(caplog) -> None:
    caplog.set_level(logging.INFO)
    policy = RetryPolicy(classify, attempts=4, backoff=0.01, max_backoff=0.02)
    flaky = Flaky(RateLimited("0.01"), ConnectionError(), ConnectionError())
    assert await policy.call(flaky, "ok") == "ok" and flaky.calls == 4
    outage = [r.getMessage() for r in caplog.records if "platform API" in r.getMessage()]
    assert len(outage) == 2 and "works again" in outage[1]  # start and end, once each
    refused = Flaky(ValueError("bad request"))
    with pytest.raises(ValueError):
        await policy.call(refused, "ok")
    assert refused.calls == 1  # the classifier gave up: no second try
    too_long = Flaky(RateLimited("120"))
    with pytest.raises(RateLimited):
        await policy.call(too_long, "ok")  # longer than max_wait: raised, not waited
    down = Flaky(*[ConnectionError()] * 4)
    with pytest.raises(ConnectionError):
        await policy.call(down, "ok")
    assert down.calls == 4


def test_outage_log_names_the_error_type_only_when_asked(caplog) -> None:
    log = logging.getLogger("test.outage")
    quiet = OutageLog(log, "Bot API", level=logging.WARNING, describe=lambda e: type(e).__name__)
    quiet.failed(ConnectionError("https://api.example/bot123:SECRET/sendMessage"))
    quiet.failed(ConnectionError("again"))
    quiet.ok()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and "SECRET" not in " ".join(lines)
    assert {r.levelno for r in caplog.records} == {logging.WARNING}


async def test_one_upload_for_concurrent_senders_then_the_reference(deps) -> None:
    stored = await deps.storage.media.add("photo", "poster.jpg", "image/jpeg", b"\xff\xd8jpeg")
    attachment = attachment_of(stored)
    uploads = Uploads(deps.storage.media, "telegram")
    sent: list[str] = []
    lookups, looked, real_ref = [], asyncio.Event(), deps.storage.media.ref

    async def ref(*args, **kwargs):  # the repository's lookup of a kept reference, counted
        found = await real_ref(*args, **kwargs)
        lookups.append(found)
        if len(lookups) >= 6:
            looked.set()
        return found

    deps.storage.media.ref = ref

    async def by_bytes(data: bytes) -> tuple[str, str]:
        # The upload is on its way until all five senders looked for a reference (and the
        # uploader once more, under the lock): the other four found none and now wait for it.
        await asyncio.wait_for(looked.wait(), 20)
        sent.append("bytes")
        return "message-1", "file-id-1"

    async def by_ref(ref: str) -> str:
        sent.append(ref)
        return "message-n"

    results = await asyncio.gather(*(uploads.send(attachment, by_ref, by_bytes) for _ in range(5)))
    assert sent.count("bytes") == 1 and sent.count("file-id-1") == 4 and uploads.uploads == 1
    assert sorted(results) == ["message-1"] + ["message-n"] * 4
    assert await deps.storage.media.ref(stored.id, "telegram") == "file-id-1"
    await deps.storage.db.execute("DELETE FROM broadcast_media_refs")
    await deps.storage.db.execute("DELETE FROM broadcast_media WHERE id = ?", (stored.id,))
    with pytest.raises(FileGone):
        await uploads.send(attachment, by_ref, by_bytes)
