"""Decode a Bot API request body: form-encoded or multipart, values JSON where the API says so."""

from __future__ import annotations

import json
from collections.abc import Mapping
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl

# Parameters sent as JSON-serialised strings (objects, arrays, numbers, booleans).
JSON_PARAMS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "show_alert",
    "cache_time",
    "drop_pending_updates",
    "max_connections",
    "disable_notification",
    "protect_content",
}


def _decode(name: str, value: str) -> Any:
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = (filename, data)
        else:
            fields[name] = data.decode(part.get_content_charset() or "utf-8")
    return fields, files


def parse_body(
    content_type: str, body: bytes, query: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """The call's parameters (query string and body) and its uploaded files (name -> (filename, bytes))."""
    raw: dict[str, str] = dict(query)
    files: dict[str, tuple[str, bytes]] = {}
    if content_type.startswith("multipart/form-data"):
        fields, files = _multipart(content_type, body)
        raw.update(fields)
    elif content_type.startswith("application/json") and body:
        raw.update(
            {k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(body).items()}
        )
    elif body:
        raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {name: _decode(name, value) for name, value in raw.items()}, files
