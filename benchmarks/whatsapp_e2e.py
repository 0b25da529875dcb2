"""WhatsApp end to end: FAQ questions as signed webhooks into `bot.py serve`, answers out.

The real web app (Starlette under uvicorn on 127.0.0.1, signature check, background processing,
de-duplication, the whole core, SQLite file) and the stand-in Graph API, in this one process
with the simulated users (so all three share the CPU). Every user posts one question, waits for
the answer at the Graph API, then posts the next. Reported: answered questions per second,
p50/p99 of the webhook acknowledgement (POST -> 200) and of the answer (POST -> first message
at the Graph API).
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from benchmarks.telegram_e2e import faq_questions
from channels.whatsapp import whatsapp_web_part
from channels.whatsapp.signature import sign
from handlers import Assistant
from settings import load_settings
from tests.fakes import graph_api
from tests.fakes.asgi import serving as serve
from wiring.web import build_app

SECRET = "bench-app-secret"


class TimedGraphApi(graph_api.FakeGraphApi):
    """The stand-in, noting when the first message for each user arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[str, asyncio.Queue[float]] = defaultdict(asyncio.Queue)

    async def _messages(self, request):
        before = len(self.messages)
        response = await super()._messages(request)
        if len(self.messages) > before:
            self.arrivals[self.messages[-1]["to"].lstrip("+")].put_nowait(time.perf_counter())
        return response


def notification(wa_id: str, n: int, text: str) -> bytes:
    message = {"from": wa_id, "id": f"wamid.BENCH{wa_id}{n:04d}", "timestamp": str(int(time.time())),
               "type": "text", "text": {"body": text}}  # fmt: skip
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550000000",
                          "phone_number_id": graph_api.PHONE_NUMBER_ID},
             "contacts": [{"profile": {"name": "Bench"}, "wa_id": wa_id}], "messages": [message]}  # fmt: skip
    data = {"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}]}  # fmt: skip
    return json.dumps(data).encode()


async def user(http, graph, wa_id, questions, acks, answers) -> None:
    for n, question in enumerate(questions):
        body = notification(wa_id, n, question)
        queue = graph.arrivals[wa_id]
        while not queue.empty():  # later messages of the previous answer
            queue.get_nowait()
        start = time.perf_counter()
        response = await http.post("/whatsapp/webhook", content=body,
                                   headers={"X-Hub-Signature-256": sign(SECRET, body),
                                            "Content-Type": "application/json"})  # fmt: skip
        acks.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
        answers.append(await asyncio.wait_for(queue.get(), 60) - start)
        await asyncio.sleep(0.05)  # let the rest of the answer arrive before the next question


async def one_round(folder: str, users: int, per_user: int, questions: list[str]) -> dict:
    """A fresh database (message ids repeat between rounds), a fresh server and stand-in."""
    from wiring.deps import open_deps

    graph = TimedGraphApi()
    async with serve(graph.app, lifespan="off") as graph_url:
        settings = load_settings(environ={
            "DATABASE_URL": f"sqlite:///{Path(folder) / f'bench-{time.time_ns()}.sqlite3'}",
            "WHATSAPP_TOKEN": graph_api.TOKEN, "WHATSAPP_PHONE_NUMBER_ID": graph_api.PHONE_NUMBER_ID,
            "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": "bench",
            "WHATSAPP_API_URL": f"{graph_url}/{graph_api.VERSION}", "FLOOD_RATE": "0",
        }, env_file=None)  # fmt: skip
        deps = await open_deps(settings)
        try:
            part = whatsapp_web_part(Assistant(deps))
            async with serve(build_app(deps, [part])) as url:
                limits = httpx.Limits(max_connections=users)
                async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
                    acks, answers = [], []
                    start = time.perf_counter()
                    await asyncio.gather(*(
                        user(http, graph, f"62811{u:07d}",
                             [questions[(u + n) % len(questions)] for n in range(per_user)],
                             acks, answers)
                        for u in range(users)
                    ))  # fmt: skip
                    elapsed = time.perf_counter() - start
        finally:
            await deps.storage.close()
    assert graph.rejected == [], graph.rejected[:1]
    return {"rate": len(answers) / elapsed, "ack": _pct(acks), "answer": _pct(answers)}


def _pct(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50": statistics.median(ordered) * 1000, "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000}


async def run(quick: bool) -> dict:
    users, per_user, rounds = (20, 2, 1) if quick else (100, 5, 3)
    questions = faq_questions()
    previous = logging.root.level
    logging.root.setLevel(logging.ERROR)
    try:
        with tempfile.TemporaryDirectory() as folder:
            results = [await one_round(folder, users, per_user, questions) for _ in range(rounds)]
    finally:
        logging.root.setLevel(previous)
    rate = statistics.median(r["rate"] for r in results)
    figures = {
        f"{what}_{p}_ms": round(statistics.median(r[what][p] for r in results), 1)
        for what in ("ack", "answer")
        for p in ("p50", "p99")
    }
    print(f"  {users} users x {per_user} FAQ questions, {rounds} round(s), medians")
    print(f"  answered {rate:.0f} questions/s; webhook ack p50 {figures['ack_p50_ms']} ms, "
          f"p99 {figures['ack_p99_ms']} ms; answer p50 {figures['answer_p50_ms']} ms, "
          f"p99 {figures['answer_p99_ms']} ms")  # fmt: skip
    return {"users": users, "questions_per_round": users * per_user, "rounds": rounds,
            "answered_per_s": round(rate, 1), **figures}  # fmt: skip
