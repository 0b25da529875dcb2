"""`python bot.py serve`: one Starlette app under uvicorn for every channel's webhook, plus /healthz.

Each channel contributes a WebPart through a factory in WEB_PARTS; a factory returns None when
its channel is not configured. The broadcast worker's part comes last.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from importlib import metadata

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from channels.staff_web import staff_web_part
from channels.telegram.webhook import telegram_web_part
from channels.web import WebPart
from channels.whatsapp import whatsapp_web_part
from handlers import Assistant, Deps
from settings import Settings, SettingsError
from wiring.deps import opened
from wiring.lifecycle import broadcast_part, running, stop_on_signals

log = logging.getLogger(__name__)

# Each factory builds its channel's part from the Assistant, or returns None if not configured.
WEB_PARTS: list[Callable[[Assistant], WebPart | None]] = [
    telegram_web_part, whatsapp_web_part, staff_web_part,
]


def web_parts(assistant: Assistant) -> list[WebPart]:
    """The configured channels' parts, then the broadcast worker (it needs their senders)."""
    parts = [part for factory in WEB_PARTS if (part := factory(assistant)) is not None]
    return [*parts, broadcast_part(assistant.deps)]


def version() -> str:
    try:
        return metadata.version("umkm-bandung-assistant")
    except metadata.PackageNotFoundError:
        return "unknown"


async def health(deps: Deps) -> tuple[bool, dict[str, str]]:
    """Whether the database answers and the knowledge is loaded; the version, the database
    engine and this worker's id (several workers may share one database)."""
    try:
        async with asyncio.timeout(3):
            await deps.storage.users.count()
        database = "ok"
    except Exception as exc:  # closed, locked, corrupt...
        database = f"error: {type(exc).__name__}"
    knowledge = "ok" if deps.knowledge.texts.keys("id") else "empty"
    healthy = database == "ok" and knowledge == "ok"
    return healthy, {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "database_engine": deps.storage.db.dialect.name,
        "knowledge": knowledge,
        "version": version(),
        "worker": deps.settings.worker,
    }


def build_app(deps: Deps, parts: Sequence[WebPart]) -> Starlette:
    """The ASGI app: GET /healthz and every part's routes; parts start in order, stop in reverse."""

    async def healthz(request: Request) -> JSONResponse:
        healthy, body = await health(deps)
        return JSONResponse(body, status_code=200 if healthy else 503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            async with running(parts):
                log.info("web server ready: %s", ", ".join(p.name for p in parts))
                yield
        except Exception as exc:
            app.state.startup_error = exc  # run_serve reports it after uvicorn gives up
            raise

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for part in parts:
        routes += part.routes
    return Starlette(routes=routes, lifespan=lifespan)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):  # run_serve installs its own handlers that stop gracefully
        yield


async def _serve(server: uvicorn.Server) -> bool:
    """Run uvicorn; False if it could not start (it logs why and raises SystemExit)."""
    try:
        await server.serve()
    except SystemExit:
        return False
    return server.started


async def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve webhooks until SIGINT/SIGTERM; in-flight updates finish, then the database closes."""
    async with opened(settings) as deps:
        app = build_app(deps, web_parts(Assistant(deps)))
        config = uvicorn.Config(
            app,
            host=args.host or settings.host,
            port=args.port or settings.port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=30,
        )
        server = _Server(config)
        stop = asyncio.Event()
        stop_on_signals(stop)
        serving = asyncio.create_task(_serve(server))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait([serving, stopping], return_when="FIRST_COMPLETED")
        stopping.cancel()
        server.should_exit = True
        started = await serving
        error = getattr(app.state, "startup_error", None)
        if isinstance(error, SettingsError):
            raise error  # one line for the operator (wiring.commands prints it)
        return 0 if started else 1
