"""Webhook authenticity: the GET verification handshake and the X-Hub-Signature-256 check."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_HEADER = "x-hub-signature-256"


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta sends for `body`: 'sha256=<hex HMAC-SHA256>'."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_status(app_secret: str, body: bytes, header: str | None) -> int:
    """200 when `header` signs the raw `body`; 401 when it is missing; 403 when wrong."""
    if not header:
        return 401
    expected = sign(app_secret, body)
    # compare_digest over bytes: constant time, and no error on non-ASCII input
    if hmac.compare_digest(expected.encode(), header.strip().encode()):
        return 200
    return 403


def challenge_answer(params: Mapping[str, str], verify_token: str) -> str | None:
    """The hub.challenge to echo back, or None when the request is not a valid handshake."""
    token = params.get("hub.verify_token", "")
    if params.get("hub.mode") != "subscribe" or not verify_token:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    challenge = params.get("hub.challenge")
    return challenge or None
