"""Real-world WhatsApp payloads: notices that are not user content, groups, bad ids, bodies."""

from __future__ import annotations


async def test_a_signed_but_deeply_nested_body_is_400(wa_server):
    nested = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 100_000
    nested += b"]" * 100_000 + b"}"
    response = await wa_server.post(nested)
    assert response.status_code == 400
    assert await wa_server.text("6281234567890", "halo")  # and the server still answers
