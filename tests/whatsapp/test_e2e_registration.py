"""End to end over WhatsApp: a complete registration with button and list replies, then /status."""

from __future__ import annotations

import pytest

from tests.whatsapp.test_e2e import SARI, has_command, texts

TYPED = {
    "owner_name": "Sari Wulandari",
    "business_name": "Keripik Sari",
    "description": "Keripik singkong pedas khas Bandung",
    "city": "Bandung",
    "district": "Coblong",
    "export_countries": "Malaysia",
    "subsector_other": "Kerajinan bambu",
}
SKIPPED = {"email", "nib", "website"}


def last_interactive(sent: list[dict]) -> dict:
    return [m for m in sent if m["type"] == "interactive"][-1]["interactive"]


def option_ids(sent: list[dict]) -> list[str]:
    shown = last_interactive(sent)
    if shown["type"] == "button":
        return [b["reply"]["id"] for b in shown["action"]["buttons"]]
    return [r["id"] for s in shown["action"]["sections"] for r in s["rows"]]


async def press(server, sent: list[dict], payload: str) -> tuple[list[dict], str]:
    """Choose an option as it was shown: button reply, list reply, or its number typed."""
    if sent[-1]["type"] == "text":  # more than 10 options: numbered text
        options = await server.deps.storage.whatsapp.options(SARI)
        payloads = [p for _, p in options.choices]
        assert options.numbered and payload in payloads, (payload, payloads)
        number = payloads.index(payload) + 1
        assert f"{number}. " in sent[-1]["text"]["body"]
        return await server.text(SARI, str(number)), "numbered"
    assert payload in option_ids(sent), (payload, option_ids(sent))
    kind = "button_reply" if last_interactive(sent)["type"] == "button" else "list_reply"
    return await server.press(SARI, payload, kind=kind), kind


async def test_complete_registration_then_status(wa_server):
    if not has_command(wa_server, "daftar"):
        pytest.skip("registration (issue 4) is not registered yet")
    storage = wa_server.deps.storage
    sent = await wa_server.text(SARI, "/daftar")
    user = await storage.users.get("whatsapp", SARI)
    used_kinds, steps = set(), []
    for _ in range(40):
        conv = await storage.conversations.get(user.id)
        if conv is None:
            break
        step = conv.step
        steps.append(step)
        kind = "text"
        if step == "consent":
            sent, kind = await press(wa_server, sent, "reg:consent:yes")
        elif step in TYPED:
            sent = await wa_server.text(SARI, TYPED[step])
        elif step == "subsector":  # 18 options: numbered text, answered by number
            body = sent[-1]["text"]["body"]
            assert sent[-1]["type"] == "text" and "\n1. " in body and "\n18. " in body
            sent = await wa_server.text(SARI, "1")
            kind = "numbered"
        elif step == "phone":  # the WhatsApp number itself, confirmed with one press
            sent, kind = await press(wa_server, sent, "reg:phone:wa")
        elif step in SKIPPED:
            sent, kind = await press(wa_server, sent, "reg:skip")
        elif step in ("scale", "export_experience"):
            first = next(i for i in option_ids(sent) if i.startswith("reg:pick:"))
            sent, kind = await press(wa_server, sent, first)
        elif step == "interests":
            toggles = [i for i in option_ids(sent) if i.startswith("reg:toggle:")]
            if not any(m["type"] == "interactive" and "✅" in str(m) for m in sent):
                sent, kind = await press(wa_server, sent, toggles[0])
            else:
                sent, kind = await press(wa_server, sent, "reg:done")
        elif step == "summary":
            sent, kind = await press(wa_server, sent, "reg:submit")
        else:
            raise AssertionError(f"unexpected step {step!r}: {texts(sent)}")
        used_kinds.add(kind)
        assert sent, f"no answer at step {step}"
    else:
        raise AssertionError(f"registration did not finish: {steps}")

    registration = await storage.registrations.get_for_user(user.id)
    assert registration is not None and registration.business_name == "Keripik Sari"
    assert registration.phone == f"+{SARI}" and registration.subsector == "kuliner"
    assert {"button_reply", "list_reply", "numbered", "text"} <= used_kinds
    status = await wa_server.text(SARI, "/status")
    assert "Keripik Sari" in texts(status) or registration.reference in texts(status)
    assert wa_server.graph.rejected == []
