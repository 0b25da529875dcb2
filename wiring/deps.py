"""Opening what every command needs: the knowledge, the database, the stored roles and phrasings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from handlers import Deps
from handlers.faq import load_phrasings, semantic_from
from handlers.memory import freeze_live
from handlers.staff.lookup import stored_roles
from knowledge import Knowledge, load_knowledge
from settings import Settings
from storage import open_storage


async def open_deps(settings: Settings, knowledge: Knowledge | None = None) -> Deps:
    """Open the database and load the knowledge (unless given): everything a handler needs."""
    storage = await open_storage(
        settings.database_url, pool_size=settings.database_pool_size
    )  # first: a bad database is one line
    if knowledge is None:
        try:  # off the event loop: the semantic stage takes a minute when its cache is cold
            knowledge = await asyncio.to_thread(load_knowledge, semantic=semantic_from(settings))
        except BaseException:
            await storage.close()
            raise
    deps = Deps(settings=settings, storage=storage, knowledge=knowledge)
    deps.role_lookup = stored_roles(storage)
    await load_phrasings(deps)  # curated FAQ phrasings from the database
    return deps


@contextlib.asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Deps]:
    """The dependencies, with the database closed on the way out."""
    deps = await open_deps(settings)
    freeze_live()  # what start-up loaded lives as long as the process
    try:
        yield deps
    finally:
        await deps.storage.close()
