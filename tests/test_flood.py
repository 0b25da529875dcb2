"""Per-user flood limit: a flooder is slowed down politely, everyone else is answered as usual."""

from __future__ import annotations

import asyncio

import pytest

from handlers import Assistant, Incoming
from handlers.flood import FloodGuard, Verdict
from tests.support.chat import Chat


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limited(deps, clock) -> Assistant:
    """The real assistant with a limit of 10 at once, then 1 per second."""
    return Assistant(deps, flood=FloodGuard(rate=1.0, burst=10, clock=clock))


def test_bucket_allows_the_burst_then_warns_once_then_stays_silent(clock):
    guard = FloodGuard(rate=1.0, burst=3, clock=clock)
    verdicts = [guard.check("telegram", "1") for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN] + [Verdict.SILENCE] * 2
    clock.now += 1.0  # one token back
    assert guard.check("telegram", "1") is Verdict.ALLOW
    assert guard.check("telegram", "1") is Verdict.WARN  # a new window, a new single warning
    assert guard.check("telegram", "2") is Verdict.ALLOW  # other users have their own bucket


def test_a_steady_pace_at_the_rate_is_never_limited(clock):
    guard = FloodGuard(rate=1.0, burst=3, clock=clock)
    for _ in range(100):
        assert guard.check("telegram", "1") is Verdict.ALLOW
        clock.now += 1.0


def test_zero_rate_and_the_console_are_never_limited(clock):
    assert {FloodGuard(0, 1, clock).check("telegram", "1") for _ in range(50)} == {Verdict.ALLOW}
    guard = FloodGuard(1.0, 1, clock)
    assert {guard.check("console", "me") for _ in range(50)} == {Verdict.ALLOW}


def test_idle_buckets_are_forgotten(clock):
    guard = FloodGuard(rate=1.0, burst=2, clock=clock)
    guard.SWEEP_EVERY = 10
    for user in range(9):
        guard.check("telegram", str(user))
    assert len(guard) == 9
    clock.now += 5.0  # everyone has refilled
    guard.check("telegram", "x")  # the 10th check sweeps
    assert len(guard) == 1


async def test_flooding_user_gets_one_slow_down_then_silence_while_others_are_answered(
    limited, clock
):
    flooder = Chat(limited, "666")
    other = Chat(limited, "777")
    answers, others = [], []
    for i in range(50):  # 50 messages in the same instant
        answers.append(await flooder.send("/help"))
        if i % 10 == 0:
            others.append(await other.send("/help"))
    normal = [r for r in answers if r and "/daftar" in r[0].text]
    slow = [r for r in answers if r and "Pelan-pelan" in r[0].text]
    silent = [r for r in answers if r == []]
    assert (len(normal), len(slow), len(silent)) == (10, 1, 39)
    assert answers.index(slow[0]) == 10  # the warning comes right after the burst
    assert all(r and "/daftar" in r[0].text for r in others)  # 5 of 5 answered normally

    clock.now += 2.0  # the flooder calms down
    await flooder.send("/help")
    assert "/daftar" in flooder.text


async def test_silenced_messages_touch_nothing(limited, deps, monkeypatch):
    touches = []
    real_arrive = deps.storage.users.arrive

    async def counting_arrive(*args):
        touches.append(args)
        return await real_arrive(*args)

    monkeypatch.setattr(deps.storage.users, "arrive", counting_arrive)
    flooder = Chat(limited, "666")
    for _ in range(30):
        await flooder.send("/help")
    assert len(touches) == 10  # only the burst reached the database
    assert len(limited._locks) == 0


async def test_slow_down_is_in_the_users_chosen_language(limited, clock):
    chat = Chat(limited, "555")
    await chat.send("/start")
    await chat.press("Bahasa Melayu")
    replies = [await chat.send("/help") for _ in range(10)]
    assert "Perlahan sedikit" in replies[-2][0].text and replies[-1] == []


async def test_concurrent_flood_does_not_hold_up_another_user(limited, clock):
    """50 messages of one user at once, then one of another: the other is not queued behind."""
    done: list[str] = []

    async def send(user_id: str, n: int) -> None:
        replies = await limited.handle(Incoming.from_text("telegram", user_id, "/help"))
        if replies:
            done.append(f"{user_id}:{n}")

    flood = [asyncio.create_task(send("666", n)) for n in range(50)]
    await asyncio.sleep(0)  # every flood message has arrived first
    await send("777", 0)
    await asyncio.gather(*flood)
    answered_flood = [d for d in done if d.startswith("666")]
    assert len(answered_flood) == 11  # the burst of 10 plus the single slow-down
    # The other user's reply came before the flooder's burst had been worked through.
    assert done.index("777:0") < done.index(answered_flood[-1])
