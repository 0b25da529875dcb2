"""Reading a webhook body with a cap, the same way for every platform."""

from __future__ import annotations

from starlette.requests import Request

from handlers.numbers import whole_number


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or None once it is (or says it is) over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    size = whole_number(declared, 18)
    if size is not None and size > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
