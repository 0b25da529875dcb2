"""The order of the collected tests: the slow ones first on every xdist worker.

`--dist worksteal` hands each worker one contiguous share of the collection at the start
(share i = what is left // workers left) and later moves tests from the end of the longest
queue to an idle worker. Sorting the slow tests to the front would put them all in the first
worker's share, one after the other. Instead each share starts with every n-th slow test, the
heaviest files first, and ends with quick ones, which are the ones moved at the end: the workers
start on the long tests together and finish together.
"""

from __future__ import annotations

import pytest

# Files whose tests take longest (per test, measured with --durations): dealt out first.
HEAVIEST = ("test_faults_kill.py", "test_workers_broadcast.py", "test_broadcast_process.py",
            "test_faults_broadcast.py", "test_faults_outage.py", "test_broadcast_telegram.py")  # fmt: skip


def _weight(item: pytest.Item) -> int:
    name = item.path.name if hasattr(item, "path") else ""
    return HEAVIEST.index(name) if name in HEAVIEST else len(HEAVIEST)


def arrange(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Reorder `items` in place (same order on every worker: it depends on nothing else)."""
    slow = sorted((i for i in items if i.get_closest_marker("slow")), key=_weight)
    quick = [i for i in items if not i.get_closest_marker("slow")]
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    if workers <= 1:
        items[:] = slow + quick
        return
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for n, item in enumerate(slow):
        shares[n % workers].append(item)
    left = len(items)
    for i, share in enumerate(shares):  # fill each share to the size worksteal will send it
        size = left // (workers - i)
        take = max(0, size - len(share))
        share.extend(quick[:take])
        del quick[:take]
        left -= len(share)
    shares[-1].extend(quick)
    items[:] = [item for share in shares for item in share]
