"""The understanding layer: language guess, intent rules and the whole `understand`, per message.

Over the FAQ development questions and the understanding development lines (small talk and
requests): p50/p99 CPU milliseconds per message on one core (thread time, so another process on
the machine does not count), and the time to build the language detector and load the intent
rules (start-up and /reload). Quick: one pass instead of five.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from knowledge import KNOWLEDGE_DIR, build_detector, load_knowledge
from knowledge.examples import load_examples
from knowledge.intents import IntentRules
from knowledge.langdetect import load_markers
from knowledge.understand import understand

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def lines() -> list[str]:
    """FAQ development questions plus the small talk and requests of the development tables."""
    from tests.support import faq_tables

    found = [q for _, _, q in faq_tables.in_scope(faq_tables.DEV)]
    for path in sorted(DATA.glob("understanding_dev*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [q for qs in table["smalltalk"].values() for q in qs]
        found += [item["text"] for items in table["actions"].values() for item in items]
    return found


def cpu_ms(name: str, fn, texts: list[str], repeat: int) -> dict:
    """`name` p50 and p99: CPU milliseconds of `fn` per text."""
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.thread_time()
            fn(text)
            times.append((time.thread_time() - start) * 1000)
    times.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    return {f"{name} p50 ms": round(p50, 3), f"{name} p99 ms": round(p99, 3)}


async def run(quick: bool) -> dict:
    knowledge = load_knowledge()
    markers = load_markers(KNOWLEDGE_DIR / "language_words.yaml")
    start = time.thread_time()  # the examples' file read too: the detector learns its lines
    examples = load_examples(KNOWLEDGE_DIR / "examples.yaml")
    build_detector(knowledge.faq, knowledge.texts, markers, examples)
    detector_ms = (time.thread_time() - start) * 1000
    start = time.thread_time()
    IntentRules.load(KNOWLEDGE_DIR / "intents.yaml")
    rules_ms = (time.thread_time() - start) * 1000
    texts, repeat = lines(), 1 if quick else 5
    faq, rules, detector = knowledge.faq, knowledge.intents, knowledge.language
    return {
        "messages": len(texts),
        **cpu_ms("language guess", detector.guess, texts, repeat),
        **cpu_ms("intent rules", rules.classify, texts, repeat),
        **cpu_ms("understand", lambda text: understand(faq, rules, detector, text), texts, repeat),
        "build detector (start-up, /reload) ms": round(detector_ms, 1),
        "load intent rules ms": round(rules_ms, 1),
    }
