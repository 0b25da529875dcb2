"""Hostile load: /healthz latency while hostile broadcast templates, 65,000-character messages
and a real broadcast go through `python bot.py serve` (a separate process) over WhatsApp.

The stand-in Graph API and the clients run in this process; the server in its own, so its
event loop is the one measured. A staff member (ADMIN_IDS) sends the issue's hostile templates
as `/siaran ...` (each must be refused), then the staff
member broadcasts `Halo {{ nama }} dari {{ usaha }}` to every user while they keep coming.
/healthz is asked every 20 ms throughout, its latency reported per phase: idle (the baseline
on this machine), hostile (templates and three 65,000-character texts per round), broadcast. Reported: /healthz p50/p99/max, the time from posting a hostile template to the
refusal at the Graph API, the refusal check itself in-process, and the broadcast's rate.
BENCH_HOSTILE_USERS overrides the number of recipients (quick: 250, full: 1,000), sent at
BROADCAST_RATE 25/s (the default).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.whatsapp_e2e import SECRET, TimedGraphApi, notification
from channels.whatsapp.signature import sign
from handlers.broadcast.compose import ComposeError, compile_text
from settings import load_settings
from tests.fakes import graph_api
from tests.fakes.asgi import serving as serve

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "6281200000001"
HOSTILE = [
    "{% for a in 'x' * 15000 %}{% for b in 'x' * 15000 %}.{% endfor %}{% endfor %}",
    "{{ 'a' * 10**9 }}",
    "{{ 9**9999999 }}",
    "{% for i in range(10**9) %}{{ nama }}{% endfor %}",
    "{{ nama | center(10**9) }}",
]
LONG = 65_000
# uvicorn closes an idle keep-alive connection after 5 s: never reuse one older than 2 s.
FRESH = httpx.Limits(keepalive_expiry=2.0)


class CountingGraphApi(TimedGraphApi):
    """The stand-in, also keeping the set of numbers that received anything (cheap to check)."""

    def __init__(self) -> None:
        super().__init__()
        self.reached: set[str] = set()

    async def _messages(self, request):
        before = len(self.messages)
        response = await super()._messages(request)
        if len(self.messages) > before:
            self.reached.add(self.messages[-1]["to"].lstrip("+"))
        return response


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database: str, graph_url: str, port: int) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": f"sqlite:///{database}",
        "WHATSAPP_TOKEN": graph_api.TOKEN, "WHATSAPP_PHONE_NUMBER_ID": graph_api.PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": "bench",
        "WHATSAPP_API_URL": f"{graph_url}/{graph_api.VERSION}", "ADMIN_IDS": f"whatsapp:{ADMIN}",
        "FLOOD_RATE": "0", "BROADCAST_RATE": "25", "PORT": str(port), "LOG_LEVEL": "WARNING",
    }  # fmt: skip


async def _seed(env: dict[str, str], users: int) -> list[str]:
    """Recipients inside the 24-hour window, half of them registered."""
    from wiring.deps import open_deps

    deps = await open_deps(load_settings(environ=env, env_file=None))
    ids = [f"62812{n:07d}" for n in range(users)]
    try:
        for wa_id in ids:
            await deps.storage.users.touch("whatsapp", wa_id, f"Pengguna {wa_id[-4:]}")
            await deps.storage.whatsapp.record_inbound(wa_id)
    finally:
        await deps.storage.close()
    return ids


class Server:
    """`python bot.py serve` in its own process; its log goes to `log_path`."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path = env, log_path
        self.url = f"http://127.0.0.1:{env['PORT']}"
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Server:
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "bot.py"), "serve", env=self.env, cwd=ROOT,
                stdout=asyncio.subprocess.DEVNULL, stderr=log,
            )
        async with httpx.AsyncClient(base_url=self.url) as http, asyncio.timeout(60):
            while True:
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                if self.process.returncode is not None:
                    raise RuntimeError(self.log_path.read_text()[-2000:])
                await asyncio.sleep(0.1)

    async def __aexit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            async with asyncio.timeout(30):
                await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


class Client:
    """Signed webhooks in, the first message back at the stand-in out."""

    def __init__(self, http: httpx.AsyncClient, graph: TimedGraphApi) -> None:
        self.http, self.graph, self.n = http, graph, 0

    async def post(self, wa_id: str, text: str | None = None, payload: str | None = None) -> None:
        self.n += 1
        body = notification(wa_id, self.n, text or "")
        if payload is not None:
            data = json.loads(body)
            message = data["entry"][0]["changes"][0]["value"]["messages"][0]
            del message["text"]
            message.update(type="interactive", interactive={
                "type": "button_reply", "button_reply": {"id": payload, "title": "x"}})
            body = json.dumps(data).encode()
        response = await self.http.post("/whatsapp/webhook", content=body, headers={
            "X-Hub-Signature-256": sign(SECRET, body), "Content-Type": "application/json"})
        assert response.status_code == 200, response.text

    async def exchange(self, wa_id: str, text: str | None = None, payload: str | None = None,
                       expect: str = "") -> float:
        """Post and wait for a message back containing `expect`; the seconds it took."""
        queue = self.graph.arrivals[wa_id]
        while not queue.empty():
            queue.get_nowait()
        seen = len(self.graph.sent_to(wa_id))
        start = time.perf_counter()
        await self.post(wa_id, text, payload)
        while True:
            arrived = await asyncio.wait_for(queue.get(), 60)
            new = self.graph.sent_to(wa_id)[seen:]
            if any(expect in json.dumps(m, ensure_ascii=False) for m in new):
                return arrived - start


class Health:
    """/healthz asked every 20 ms; each answer's latency filed under the phase running then."""

    def __init__(self, url: str) -> None:
        self.url, self.phase = url, "idle"
        self.latencies: dict[str, list[float]] = {}
        self.stop = asyncio.Event()

    async def poll(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=60, limits=FRESH) as http:
            while not self.stop.is_set():
                phase, start = self.phase, time.perf_counter()
                response = await http.get("/healthz")
                self.latencies.setdefault(phase, []).append(time.perf_counter() - start)
                assert response.status_code == 200
                await asyncio.sleep(0.02)

    def figures(self, phase: str) -> dict:
        ordered = sorted(self.latencies.get(phase, [0.0]))
        p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
        return {f"{phase}_healthz_n": len(ordered),
                f"{phase}_healthz_p50_ms": round(statistics.median(ordered) * 1000, 1),
                f"{phase}_healthz_p99_ms": round(p99 * 1000, 1),
                f"{phase}_healthz_max_ms": round(ordered[-1] * 1000, 1)}  # fmt: skip


async def _hostile_round(client: Client, recipients: list[str], n: int) -> float:
    """One hostile template (refusal time returned) and three 65,000-character messages."""
    seconds = await client.exchange(ADMIN, f"/siaran {HOSTILE[n % len(HOSTILE)]}",
                                    expect="tidak dapat disiarkan")
    await asyncio.gather(*(client.exchange(recipients[i], "kenapa " * (LONG // 7),
                                           expect="sangat panjang") for i in range(3)))
    return seconds


async def _attack(client: Client, graph: CountingGraphApi, recipients: list[str],
                  health: Health, seconds: float) -> dict:
    """Idle, then hostile rounds alone, then hostile rounds while a real broadcast goes out."""
    await asyncio.sleep(seconds)
    health.phase, refusals, until = "hostile", [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        refusals.append(await _hostile_round(client, recipients, len(refusals)))
    health.phase = "broadcast"
    await client.exchange(ADMIN, "/siaran Halo {{ nama }} dari {{ usaha }}")  # the panel
    start, everyone = time.perf_counter(), set(recipients)
    await client.post(ADMIN, payload="bc:go")
    done = asyncio.create_task(
        graph.wait_for(lambda: graph.reached >= everyone, within=900))
    while not done.done():
        refusals.append(await _hostile_round(client, recipients, len(refusals)))
    await done
    return {"refusals": refusals, "broadcast_s": time.perf_counter() - start}


def _refusal_check_us() -> float:
    """The slowest hostile template's refusal, in-process (best of 5 runs each)."""
    worst = 0.0
    for template in HOSTILE:
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            try:
                compile_text(template)
            except ComposeError:
                pass
            best = min(best, time.perf_counter() - start)
        worst = max(worst, best)
    return worst * 1e6


async def run(quick: bool) -> dict:
    users = int(os.environ.get("BENCH_HOSTILE_USERS", 250 if quick else 1000))
    seconds = 5.0 if quick else 20.0
    graph = CountingGraphApi()
    with tempfile.TemporaryDirectory() as folder:
        async with serve(graph.app, lifespan="off") as graph_url:
            env = _env(str(Path(folder) / "hostile.sqlite3"), graph_url, _free_port())
            recipients = await _seed(env, users)
            log_path = Path(folder) / "serve.log"
            async with Server(env, log_path) as server, httpx.AsyncClient(
                    base_url=server.url, timeout=60, limits=FRESH) as http:
                health = Health(server.url)
                poller = asyncio.create_task(health.poll())
                try:
                    attack = await _attack(Client(http, graph), graph, recipients, health, seconds)
                except BaseException:
                    print(log_path.read_text()[-3000:], file=sys.stderr)  # the server's side
                    raise
                finally:
                    health.stop.set()
                    await poller
    figures = {"recipients": users, **health.figures("idle"), **health.figures("hostile"),
               **health.figures("broadcast"), "hostile_rounds": len(attack["refusals"]),
               "refusal_reply_max_ms": round(max(attack["refusals"]) * 1000, 1),
               "refusal_check_max_us": round(_refusal_check_us(), 1),
               "broadcast_per_s": round(users / attack["broadcast_s"], 1)}  # fmt: skip
    print(f"  {len(attack['refusals'])} hostile templates refused (reply within "
          f"{figures['refusal_reply_max_ms']} ms; check {figures['refusal_check_max_us']} µs), "
          f"each with 3 x {LONG:,}-character messages; a broadcast to {users} "
          f"({figures['broadcast_per_s']}/s) meanwhile")
    for phase in ("idle", "hostile", "broadcast"):
        print(f"  /healthz {phase:9} ({figures[f'{phase}_healthz_n']} requests): p50 "
              f"{figures[f'{phase}_healthz_p50_ms']} ms, p99 {figures[f'{phase}_healthz_p99_ms']}"
              f" ms, max {figures[f'{phase}_healthz_max_ms']} ms")
    return figures
