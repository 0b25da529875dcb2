"""Very long messages: the first MAX_READ characters matched, off the event loop; longer than
any platform sends (MAX_TEXT): told kindly."""

from __future__ import annotations

import random
import string
import threading

import pytest

from handlers.understanding import MAX_READ, MAX_TEXT


def _words(length: int) -> str:
    rng = random.Random(7)
    text = ""
    while len(text) < length:
        text += "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9))) + " "
    return text[:length]


@pytest.mark.parametrize(
    ("hint", "words"),
    [("id", "Pesan Anda sangat panjang (100000 karakter)"),
     ("en", "Your message is very long (100000 characters)"),
     ("ms", "Mesej anda sangat panjang (100000 aksara)")],
)
async def test_a_huge_message_is_answered_kindly_and_not_matched(make_chat, deps, hint, words):
    chat = make_chat("1500", language_hint=hint)
    await chat.send(_words(100_000))
    assert words in chat.text and str(MAX_TEXT) in chat.text
    assert chat.buttons  # the menu, to carry on
    assert await deps.storage.db.fetchall("SELECT * FROM questions") == []


async def test_a_long_question_is_matched_in_a_worker_thread(chat, deps, monkeypatch):
    matcher = deps.knowledge.faq.matcher
    real, threads = matcher.decide, []

    def decide(text, *args, **kwargs):
        threads.append((len(text), threading.current_thread() is threading.main_thread()))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(matcher, "decide", decide)
    await chat.send("cara daftar umkm?")
    await chat.send("cara daftar umkm? " + _words(MAX_READ - 30))
    assert threads[0] == (17, True)  # short: on the event loop
    assert (MAX_READ - 12, False) in threads[1:]  # long: the whole message, then its sentences
    assert not any(on_loop for _, on_loop in threads[1:])
    [row] = await deps.storage.db.fetchall("SELECT text FROM questions WHERE LENGTH(text) > 100")
    assert len(row[0]) == MAX_READ - 12


async def test_a_long_message_is_answered_from_its_first_thousand_characters(chat, deps):
    await chat.send("syarat sertifikat halal apa aja? " + _words(MAX_READ) + " little bandung")
    assert chat.text == deps.knowledge.faq.render("halal-cert", "id")
