"""The long-lived objects (the knowledge, caches) kept out of the cyclic collector's walks."""

from __future__ import annotations

import gc

# The knowledge is ~110,000 objects that live as long as the process: every full collection
# walked them all (~0.05 ms per FAQ message in telegram_e2e). Frozen, they are never walked;
# freezing again first unfreezes, so a replaced knowledge is collected, not kept for good.


def freeze_live() -> None:
    """Collect, then freeze every object alive now (start-up done, or the knowledge swapped)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def refreeze() -> None:
    """After a knowledge swap: freeze again if start-up froze (tests never froze: nothing to do)."""
    if gc.get_freeze_count():
        freeze_live()
