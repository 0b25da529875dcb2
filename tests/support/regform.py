"""Test helpers for the registration form: a complete set of answers and a way to give them."""

from __future__ import annotations

from typing import Any

from tests.support.chat import Chat
from tests.support.conversation import Conversation

ANSWERS: dict[str, Any] = {
    "owner_name": "Siti Rahmawati",
    "business_name": "Keripik Pedas Bu Siti",
    "subsector": "kuliner",
    "subsector_other": None,
    "description": "Keripik singkong pedas kemasan 100 g",
    "city": "Kota Bandung",
    "district": "Coblong",
    "phone": "0812 3456 7890",
    "email": "tokositi@gmail.com",
    "nib": "1234567890123",
    "scale": "mikro",
    "export_experience": "once",
    "export_countries": "Malaysia, Singapura",
    "interests": ["showcase", "training"],
    "website": "@keripikbusiti",
}


def answers(**overrides: Any) -> dict[str, Any]:
    return {**ANSWERS, **overrides}


async def fill(chat: Chat | Conversation, values: dict[str, Any]) -> None:
    """Answer every question from the first one to the summary (buttons pressed by payload)."""
    await chat.send(values["owner_name"])
    await chat.send(values["business_name"])
    await chat.press(f"reg:pick:subsector:{values['subsector']}")
    if values["subsector"] == "lainnya":
        await chat.send(values["subsector_other"])
    await chat.send(values["description"])
    await chat.send(values["city"])
    await chat.send(values["district"])
    await chat.send(values["phone"])
    for name in ("email", "nib"):
        if values[name] is None:
            await chat.press("reg:skip")
        else:
            await chat.send(values[name])
    await chat.press(f"reg:pick:scale:{values['scale']}")
    await chat.press(f"reg:pick:export_experience:{values['export_experience']}")
    if values["export_experience"] != "none":
        await chat.send(values["export_countries"])
    for interest in values["interests"]:
        await chat.press(f"reg:toggle:{interest}")
    await chat.press("reg:done")
    if values["website"] is None:
        await chat.press("reg:skip")
    else:
        await chat.send(values["website"])
    assert "reg:submit" in chat.payloads, chat.text


async def register(chat: Chat | Conversation, **overrides: Any) -> str:
    """Register from /daftar to submit; return the last reply text."""
    await chat.send("/daftar")
    await chat.press("reg:consent:yes")
    await fill(chat, answers(**overrides))
    await chat.press("reg:submit")
    return chat.text


async def user_pk(deps, chat: Chat) -> int:
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    return user.id


async def to_step(chat: Chat, deps: Any, step: str) -> None:
    """Start the form and answer up to the question `step`."""
    await chat.send("/daftar")
    await chat.press("Setuju")
    for value in ("Siti Rahmawati", "Keripik Pedas Bu Siti"):
        await chat.send(value)
    await chat.press("reg:pick:subsector:kuliner")
    for value in ("Keripik singkong pedas kemasan 100 g", "Kota Bandung", "Coblong",
                  "0812 3456 7890", "tokositi@gmail.com"):  # fmt: skip
        conv = await deps.storage.conversations.get(await user_pk(deps, chat))
        if conv.step == step:
            return
        await chat.send(value)
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.step == step, conv.step


async def step_of(deps: Any, chat: Chat) -> str | None:
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    return conv.step if conv else None
