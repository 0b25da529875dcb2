"""Numbers typed by people: '²', Arabic-Indic digits and 5,000 zeros are not errors."""

from __future__ import annotations

import pytest

from handlers.choices import match_choice
from handlers.numbers import whole_number
from handlers.types import Button
from tests.support.chat import Chat


@pytest.mark.parametrize(("text", "number"), [
    ("7", 7), ("0042", 42), ("999999999999", 999_999_999_999),
    ("", None), ("²", None), ("٣", None), ("1²", None), ("-1", None), ("1.5", None),
    (" 7", None), ("9" * 13, None), ("0" * 5000, None),
])
def test_whole_number_reads_only_ascii_digits_of_sensible_length(text, number) -> None:
    assert whole_number(text) == number


def test_a_choice_typed_as_a_strange_number_is_no_choice() -> None:
    buttons = [Button("Kuliner", "a"), Button("Kriya", "b")]
    assert match_choice("2.", buttons) == buttons[1]
    assert match_choice("²", buttons) is None
    assert match_choice("0" * 4400, buttons) is None  # int() would refuse it with ValueError


def test_a_label_typed_without_its_emoji_is_that_button() -> None:
    # session 11 walk: an officer typed "Tolak" for "❌ Tolak" on the console's review card and
    # was told that was outside what the bot helps with
    buttons = [Button("✅ Verifikasi", "v"), Button("❌ Tolak", "t"), Button("⏭ Lewati", "s"),
               Button("Subsektor…", "u")]  # fmt: skip
    assert match_choice("Tolak", buttons) == buttons[1]
    assert match_choice(" verifikasi ", buttons) == buttons[0]
    assert match_choice("❌ tolak", buttons) == buttons[1]
    assert match_choice("subsektor", buttons) == buttons[3]
    assert match_choice("✅", buttons) is None and match_choice("tolak dulu", buttons) is None
    twins = [Button("👍 Oke", "a"), Button("👎 Oke", "b")]
    assert match_choice("oke", twins) is None  # two buttons read alike: neither is guessed


async def test_strange_numbers_in_a_form_and_in_staff_commands_get_kind_answers(
        deps, assistant) -> None:
    user = Chat(assistant, "4711", language_hint="en")
    await user.send("/register")
    assert user.buttons  # the consent step: its buttons may be chosen by number
    for text in ("0" * 4400, "²"):
        await user.send(text)
        assert "went wrong" not in user.text.lower() and user.text
        assert user.buttons  # the same step asks again
    admin = Chat(assistant, "9000", language_hint="en")
    for command in ("/reply ² hello", f"/close {'9' * 4400}", "/unanswered ignore ²",
                    "/broadcast status ³"):
        await admin.send(command)
        assert "went wrong" not in admin.text.lower() and admin.text
