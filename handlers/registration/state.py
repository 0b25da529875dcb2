"""The registration draft kept in the conversation state, and which step comes next or before."""

from __future__ import annotations

from typing import Any

from handlers.registration.fields import BY_NAME, FIELDS, active_fields, is_active

FLOW = "register"
CONSENT = "consent"
RESUME = "resume"  # "continue or start over?"; the interrupted step is in draft["resume"]
SUMMARY = "summary"
DUP_PHONE = "dup_phone"  # a proven number (draft["pending_phone"]) has a registration elsewhere
CANCEL = "cancel"  # "/batal: throw the answers away?"; the interrupted step is in draft["resume"]
KEPT_FLOW = "register-kept"  # a form put aside by /batal: no flow runs it; /daftar resumes it
FIRST = FIELDS[0].name

Draft = dict[str, Any]


def new_draft(mode: str = "new", answers: dict[str, Any] | None = None, reg_id: int | None = None):
    """A fresh draft: `new` registration, or `edit` of registration `reg_id`."""
    return {
        "mode": mode,
        "reg_id": reg_id,
        "answers": dict(answers or {}),
        "ret": None,  # SUMMARY while changing one field from the summary
        "phone_verified": False,
        "takeover": False,  # submit updates the registration of the same (proven) number
        "consent_at": None,
        "consent_version": None,
    }


def with_answer(draft: Draft, name: str, value: Any) -> Draft:
    """The draft with `name` answered; answers of questions no longer asked are dropped."""
    answers = {**draft["answers"], name: value}
    answers = {key: val for key, val in answers.items() if is_active(BY_NAME[key], answers)}
    return {**draft, "answers": answers}


def next_step(draft: Draft) -> str:
    """The first question not answered yet, else the summary."""
    for field in active_fields(draft["answers"]):
        if field.name not in draft["answers"]:
            return field.name
    return SUMMARY


def previous_step(draft: Draft, current: str) -> str | None:
    """Where "back" goes from `current`; None at the first question."""
    if current == DUP_PHONE:
        return "phone"
    field = BY_NAME.get(current)
    if field is not None and field.parent is not None:
        return field.parent
    if draft.get("ret") == SUMMARY:
        return SUMMARY
    names = [f.name for f in active_fields(draft["answers"])]
    if current == SUMMARY:
        return names[-1] if draft["mode"] == "new" else None
    index = names.index(current) if current in names else 0
    return names[index - 1] if index > 0 else None


def progress(draft: Draft, step: str) -> tuple[int, int]:
    """(number of this question, number of questions) for "question 3 of 14"."""
    names = [f.name for f in active_fields(draft["answers"])]
    return (names.index(step) + 1 if step in names else len(names), len(names))
