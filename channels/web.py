"""`python bot.py serve`: one Starlette app under uvicorn for every channel's webhook, plus /healthz.

A channel contributes a WebPart (its routes and start/stop hooks) through a factory in
WEB_PARTS; a factory returns None when its channel is not configured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from handlers import Assistant, Deps
from settings import Settings, SettingsError

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[None]]


@dataclass
class WebPart:
    """What one channel adds to the web server."""

    name: str
    routes: list[BaseRoute]
    on_startup: list[Hook] = field(default_factory=list)
    on_shutdown: list[Hook] = field(default_factory=list)


def _telegram(assistant: Assistant) -> WebPart | None:
    from channels.telegram.webhook import telegram_web_part

    return telegram_web_part(assistant)


def _whatsapp(assistant: Assistant) -> WebPart | None:
    from channels.whatsapp import whatsapp_web_part

    return whatsapp_web_part(assistant)


def _broadcasts(assistant: Assistant) -> WebPart | None:
    from channels.broadcasting import broadcast_web_part

    return broadcast_web_part(assistant)


# Each factory builds its channel's part from the Assistant, or returns None if not configured.
# The broadcast worker comes last: it starts once the channels' senders exist, and stops first.
WEB_PARTS: list[Callable[[Assistant], WebPart | None]] = [_telegram, _whatsapp, _broadcasts]


def version() -> str:
    try:
        return metadata.version("umkm-bandung-assistant")
    except metadata.PackageNotFoundError:
        return "unknown"


async def health(deps: Deps) -> tuple[bool, dict[str, str]]:
    """Whether the database answers and the knowledge is loaded, with the version."""
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
        "knowledge": knowledge,
        "version": version(),
    }


def build_app(deps: Deps, parts: Sequence[WebPart]) -> Starlette:
    """The ASGI app: GET /healthz and every part's routes; parts start in order, stop in reverse."""

    async def healthz(request: Request) -> JSONResponse:
        healthy, body = await health(deps)
        return JSONResponse(body, status_code=200 if healthy else 503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            try:
                for part in parts:
                    for hook in part.on_startup:
                        await hook()
                    for hook in part.on_shutdown:
                        stack.push_async_callback(hook)
            except Exception as exc:
                app.state.startup_error = exc  # run_serve reports it after uvicorn gives up
                raise
            log.info("web server ready: %s", ", ".join(p.name for p in parts) or "health only")
            yield

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for part in parts:
        routes += part.routes
    return Starlette(routes=routes, lifespan=lifespan)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):  # serve() installs its own handlers that stop gracefully
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
    from bot import open_deps  # late: bot.py imports this module's runner
    from channels.telegram.polling import stop_on_signals

    deps = await open_deps(settings)
    try:
        assistant = Assistant(deps)
        parts = [part for factory in WEB_PARTS if (part := factory(assistant)) is not None]
        app = build_app(deps, parts)
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
            raise error  # one line for the operator (bot.py prints it)
        return 0 if started else 1
    finally:
        await deps.storage.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None, help="address to listen on (default HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default PORT)")
