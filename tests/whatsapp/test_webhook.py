"""The webhook over real HTTP: handshake, signatures checked before parsing, de-duplication."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from channels.whatsapp import WhatsAppChannel, WhatsAppConfigError
from channels.whatsapp.signature import challenge_answer, sign, signature_status
from handlers import Assistant
from tests.whatsapp.conftest import APP_SECRET, VERIFY_TOKEN, fixture, message
from wiring.deps import open_deps

BODY = json.dumps(fixture("text")).encode()


def test_signature_valid_missing_wrong_secret_and_changed_body():
    header = sign(APP_SECRET, BODY)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_status(APP_SECRET, BODY, header) == 200
    assert signature_status(APP_SECRET, BODY, None) == 401
    assert signature_status(APP_SECRET, BODY, "") == 401
    assert signature_status(APP_SECRET, BODY, sign("another-secret", BODY)) == 403
    assert signature_status(APP_SECRET, BODY + b" ", header) == 403
    assert signature_status(APP_SECRET, BODY, header.removeprefix("sha256=")) == 403
    assert signature_status(APP_SECRET, BODY, "sha256=é") == 403  # non-ASCII: no crash


def test_handshake_rules():
    good = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    assert challenge_answer(good, VERIFY_TOKEN) == "1158201444"
    assert challenge_answer({**good, "hub.verify_token": "nope"}, VERIFY_TOKEN) is None
    assert challenge_answer({**good, "hub.mode": "unsubscribe"}, VERIFY_TOKEN) is None
    assert (
        challenge_answer({k: v for k, v in good.items() if k != "hub.challenge"}, VERIFY_TOKEN)
        is None
    )
    assert challenge_answer(good, "") is None


async def test_verification_handshake_over_http(wa_server):
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    ok = await wa_server.http.get("/whatsapp/webhook", params=params)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = await wa_server.http.get(
        "/whatsapp/webhook", params={**params, "hub.verify_token": "x"}
    )
    assert wrong.status_code == 403 and "1158201444" not in wrong.text
    no_mode = await wa_server.http.get("/whatsapp/webhook", params={**params, "hub.mode": "x"})
    assert no_mode.status_code == 403


@pytest.mark.parametrize(
    ("secret", "tamper", "expected"),
    [(None, False, 401), ("wrong-secret", False, 403), (APP_SECRET, True, 403)],
    ids=["missing", "wrong-secret", "body-changed-after-signing"],
)
async def test_unsigned_or_badly_signed_posts_are_refused_and_not_processed(
    wa_server, secret, tamper, expected
):
    data = message("6281234567890", "text", {"body": "/start"})
    body = json.dumps(data).encode()
    headers = {"X-Hub-Signature-256": sign(secret, body)} if secret else {}
    if tamper:
        body = body.replace(b"/start", b"/stop!")
    response = await wa_server.post(body, secret=None, **headers)
    assert response.status_code == expected
    await wa_server.channel.webhook.drain()
    assert wa_server.graph.messages == []
    assert await wa_server.deps.storage.users.get("whatsapp", "6281234567890") is None


async def test_signed_garbage_is_400_and_signed_notification_is_200(wa_server):
    assert (await wa_server.post(b"{not json")).status_code == 400
    assert (await wa_server.post({"object": "page", "entry": []})).status_code == 400
    assert (await wa_server.post(fixture("status_read"))).status_code == 200


async def test_redelivered_message_is_answered_once(wa_server):
    data = message("6281234567890", "text", {"body": "/start"})
    first = await wa_server.exchange(data, "6281234567890")
    again = await wa_server.exchange(data, "6281234567890")
    assert len(first) >= 1 and again == []


async def test_startup_refuses_whatsapp_without_app_secret(make_settings, wa_env):
    env = {k: v for k, v in wa_env.items() if k != "WHATSAPP_APP_SECRET"}
    deps = await open_deps(make_settings(**env))
    try:
        with pytest.raises(WhatsAppConfigError, match="WHATSAPP_APP_SECRET") as caught:
            WhatsAppChannel(deps, Assistant(deps))
        assert "\n" not in str(caught.value)
        assert "whatsapp" not in deps.senders
    finally:
        await deps.storage.close()


async def test_healthz_and_whatsapp_share_the_server(wa_server):
    response = await wa_server.http.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_serve_refuses_whatsapp_without_app_secret(tmp_path, wa_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "TELEGRAM_"))}
    env.update({k: v for k, v in wa_env.items() if k != "WHATSAPP_APP_SECRET"})
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    env["LOG_LEVEL"] = "WARNING"
    env["SEMANTIC_MATCHING"] = "false"
    done = subprocess.run(
        [sys.executable, "bot.py", "serve", "--port", "1"],
        cwd=Path(__file__).parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "WHATSAPP_APP_SECRET" in lines[0], done.stderr


async def test_oversized_body_is_refused(wa_server):
    response = await wa_server.post(b"x" * 1_000_001)
    assert response.status_code == 413
