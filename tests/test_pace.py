"""Rates shared by workers (storage/pace.py), on both engines: slots, chat gaps, flood buckets."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_engines

T0 = 1_800_000_000.0  # seconds since the epoch


async def test_send_slots_never_overlap_and_a_429_pushes_them_back(deps):
    pace = deps.storage.pace
    first = await pace.reserve("rate:telegram", T0, 10, 0.01)
    assert first == T0  # an idle channel starts now
    second = await pace.reserve("rate:telegram", T0 + 0.02, 5, 0.01)
    assert second == pytest.approx(T0 + 0.10)  # after every slot given before
    idle = await pace.reserve("rate:telegram", T0 + 5, 1, 0.01)
    assert idle == T0 + 5  # slots of the past are not given out: no burst after a quiet spell
    await pace.push_back("rate:telegram", T0 + 8)  # a 429: nobody sends before T0 + 8
    assert await pace.reserve("rate:telegram", T0 + 5.5, 1, 0.01) == T0 + 8
    await pace.push_back("rate:telegram", T0 + 6)  # an earlier pause changes nothing
    assert await pace.reserve("rate:telegram", T0 + 5.5, 1, 0.01) == pytest.approx(T0 + 8.01)


async def test_a_chat_is_taken_once_per_gap(deps):
    pace = deps.storage.pace
    assert await pace.take_turn("chat:telegram:1", T0, 1.0) is None
    assert await pace.take_turn("chat:telegram:1", T0 + 0.5, 1.0) == T0 + 1.0  # wait till then
    assert await pace.take_turn("chat:telegram:2", T0 + 0.5, 1.0) is None  # another chat
    assert await pace.take_turn("chat:telegram:1", T0 + 1.0, 1.0) is None
    assert await pace.free_at("chat:telegram:1") == T0 + 2.0


async def test_flood_bucket_warns_once_then_silences_and_refills(deps):
    pace = deps.storage.pace
    verdicts = [await pace.flood_check("flood:telegram:1", T0, 1.0, 3) for _ in range(6)]
    assert verdicts == [0, 0, 0, 1, 2, 3]  # three at once, then a warning, then silence
    assert await pace.flood_check("flood:telegram:1", T0 + 1.0, 1.0, 3) == 0  # one back
    assert await pace.flood_check("flood:telegram:1", T0 + 1.0, 1.0, 3) == 1  # a new window
    assert await pace.flood_check("flood:telegram:2", T0 + 1.0, 1.0, 3) == 0  # own bucket
    assert await pace.prune(T0 + 0.5) == 0 and await pace.prune(T0 + 2) == 2
