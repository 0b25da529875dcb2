"""The intent rules on their own: how words and phrases are read (the file's own checks, consent
and skip words: tests/test_intents_file.py; the language detector: tests/test_langdetect.py)."""

from __future__ import annotations

import pytest
import yaml

from knowledge import KNOWLEDGE_DIR, load_knowledge
from knowledge.intents import IntentRules
from knowledge.langdetect import words
from knowledge.texts import KnowledgeError
from knowledge.understand import understand


@pytest.fixture(scope="module")
def rules() -> IntentRules:
    return IntentRules.load(KNOWLEDGE_DIR / "intents.yaml")


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.mark.parametrize(
    ("text", "kind", "name", "to"),
    [("sippp", "smalltalk", "ack", None),
     ("hatur nuhun pisan", "smalltalk", "thanks", None),
     ("terima kasih atas maklumat tu", "question", "thanks", None),  # thanks FOR: not mydata
     ("thank you very much for the information, have a great day", "question", "thanks", None),
     ("thanks for the info, please register my shop", "action", "register", None),
     ("pendaftaran kmrn udh masuk blm ya", "action", "status", None),
     ("tolong kemas kini nombor fon sy", "action", "edit", None),  # "fon": telefon
     ("👍", "smalltalk", "ack", None),
     ("sambungin ke petugas dong", "action", "handoff", None),
     ("admin dong", "action", "handoff", None),  # issue 15's own example
     ("boleh saya cakap dengan pegawai", "action", "handoff", None),
     ("talk to a human", "action", "handoff", None),
     ("my Indonesian is bad, can we continue in English", "action", "language", "en"),
     ("ganti bahasa", "action", "language", None),
     # someone else's language, not the bot's (a walk, session 19: "do they speak english?"
     # about the office was "from now on I will use English")
     ("do they speak english?", "question", None, None),
     ("pegawai boleh cakap bahasa inggeris ke?", "question", None, None),
     ("do you speak english", "action", "language", "en"),
     ("wkwkwk", "smalltalk", "ack", None),
     ("kamu bot ya?", "question", "ack", None),  # asks (the FAQ decides); "ya" is a tag
     ("oh gitu ya?", "smalltalk", "ack", None),  # laughter: an ok, not "outside what I can help with"
     ("haha makasih min", "smalltalk", "thanks", None),
     ("cara daftar usaha gimana?", "question", None, None),  # how it works: the FAQ
     ("daftarin usaha saya dong", "action", "register", None),  # do it for me: the action
     ("status pendaftaran saya gimana?", "action", "status", None),
     ("apakah data saya aman?", "question", None, None),
     ("daftar haji di kemenag kapan", "question", None, None),
     # Sundanese verbs and "how" (session 9 walk: the first was the edit FAQ, not /ubah)
     ("punten, abdi hoyong ngarobih nomer telepon", "action", "edit", None),
     ("hoyong ngahapus data abdi", "action", "forget", None),
     ("hoyong ningali data abdi", "action", "mydata", None),
     ("kumaha carana ngarobih data pendaftaran?", "question", None, None),
     # Sundanese -na (= -nya), prepositions and "nyarios" (session 9 walk: all three fell back)
     ("abdi tos daptar, kumaha statusna?", "action", "status", None),
     ("hoyong eureun tina pengumuman", "action", "unsubscribe", None),
     ("abdi hoyong nyarios sareng petugas", "action", "handoff", None),
     # asking to be contacted (session 20 walk: "tolong hubungi saya" was the help text)
     ("tolong hubungi saya", "action", "handoff", None),
     ("please call me back", "action", "handoff", None),
     # session 12, table N: "dugi" (= sampai), "disatujuan" (= disetujui), "my stored info"
     ("punten cek pendaftaran abdi tos dugi mana", "action", "status", None),
     ("pendaftaran abdi tos disatujuan teu?", "action", "status", None),
     ("let me see my stored info", "action", "mydata", None),
     # typos of request words (session 12's walk: the first fell back "noted for staff")
     ("i wanna regster my bussiness", "action", "register", None),
     ("unsubcribe", "action", "unsubscribe", None),
     ("delet my data pls", "action", "forget", None),
     ("any update on my registraion?", "action", "status", None),  # news, not edit
     # session 25, table AF: "update" as a verb changes the data, as a noun asks for news
     ("how do I update my registration", "question", None, None),
     ("ada update pendaftaran saya?", "action", "status", None),
     ("update pendaftaran saya dong", "action", "edit", None),
     # ... and a well-wish, an ok in a sentence, a Sundanese status (table AF)
     ("sehat selalu min", "smalltalk", "goodbye", None),
     ("baik, sudah saya pahami", "smalltalk", "ack", None),
     ("punten, tolong dicek daftar abdi tos kumaha", "action", "status", None),
     ("alamat kedai dah pindah, nak updte data pendaftaran", "action", "edit", None),
     # an inflection is no typo: "changed" tells, "change" would ask
     ("my number changed, how do i update my details?", "question", None, None),
     # session 15, table Q: where an application is, and a closing without "bye"
     ("show me where my application is at", "action", "status", None),
     ("did my sign up go through?", "action", "status", None),  # a sign-up, the noun
     ("sign me up", "action", "register", None),
     ("where is my parcel", "question", None, None),
     ("talk later", "smalltalk", "goodbye", None),
     # session 17, tables S-V: Malaysian chat thanks, "take care", understood now, checking
     # one's own application, and erasure "from this service"
     ("trimas", "smalltalk", "thanks", None),
     ("jaga diri", "smalltalk", "goodbye", None),
     ("alright, makes sense now", "smalltalk", "ack", None),
     ("tolong check permohonan sy", "action", "status", None),
     ("please look up the status of the registration i made last week", "action", "status",
      None),
     ("saya ingin akun dan seluruh data saya dihapus dari layanan ini", "action", "forget", None),
     ("mangga ekspor ke malaysia perlu izin apa", "question", None, None),
     ("menu bot ni ada apa", "action", "menu", None),  # the bot's menu, not another thing's
     ("menu makan siang hari ini", "question", None, None),
     ("my phone screen keeps flickering, any fix?", "question", None, None),  # not /ubah
     ("i made a typo, please fix my email", "action", "edit", None),
     # the information needed to register is no data of mine (table V: mydata)
     ("maklumat apa perlu untuk pendaftaran", "action", "register", None),
     ("saya perlu lihat data saya", "action", "mydata", None),
     # a formal letter asking to be told more is no request for one's data (table W: mydata)
     ("Mohon maklumat lanjut.", "question", None, None),
     ("mohon maklumat tarikh pameran", "question", None, None),
     ("please send further information on the programme", "question", None, None),
     ("tunjuk maklumat saya", "action", "mydata", None)],
)  # fmt: skip
def test_classify(rules, text, kind, name, to) -> None:
    intent = rules.classify(text)
    assert (intent.kind, intent.name, intent.to) == (kind, name, to)


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [("i wanna regiser my busines", "action", "register"),  # a common typo, listed
     ("thnks a lot", "smalltalk", "thanks"),
     ("x nak terima mesej dah", "action", "unsubscribe"),
     ("min kabarin saya kalau ada pameran atau pelatihan ya", "action", "subscribe"),
     ("please let me know when there are new events", "action", "subscribe"),  # "when" inside
     ("sy nak terima berita pasal pameran", "action", "subscribe"),  # a walk (session 21)
     ("let me know if there is anything i need to do", "question", None),  # no news asked for
     ("kabarin kalau ada yang kurang ya min", "question", None),
     ("I want to sign up for your newsletter", "action", "subscribe"),
     ("can i join the exhibition in bandung", "question", None),  # an `unless` word
     ("berapa lama permohonan diproses", "question", None),  # how long in general: the FAQ
     ("permohonan sy dah diproses ke", "action", "status"),
     ("perlu ke daftar dengan kerajaan dulu", "question", None),
     ("can i register my trademark online", "question", None),  # a brand, not the business
     ("mau daftar sertifikat halal", "question", None),
     ("can i register my products for little bandung", "question", None),  # joining it: the FAQ
     ("daftarkan usaha saya", "action", "register"),
     ("sama2 kak", "smalltalk", "thanks"),
     ("permohonan sy mcm mana dah?", "action", "status"),  # how is my application: the state
     ("how to edit my registration", "question", None),  # how to do something: the FAQ
     ("kindly check my application status", "action", "status")],
)  # fmt: skip
def test_unless_words_and_how_words_inside_a_phrase(knowledge, text, kind, name) -> None:
    intent = knowledge.intents.classify(text)
    assert (intent.kind, intent.name) == (kind, name)


def test_chat_spellings_and_reduplication_read_as_the_listed_words(rules) -> None:
    assert words("sama2 byk2, b2b") == ["sama", "sama", "byk", "byk", "b", "b"]
    assert (rules.classify("how r u").kind, rules.classify("how r u").name) == ("smalltalk",
                                                                                 "greeting")
    data = yaml.safe_load((KNOWLEDGE_DIR / "intents.yaml").read_text(encoding="utf-8"))
    with pytest.raises(KnowledgeError, match="chat_forms"):
        IntentRules({**data, "chat_forms": {"how are": "hi"}})  # one word for one word only


def test_an_acknowledgement_before_an_out_of_scope_question_is_not_small_talk(knowledge) -> None:
    """ "ok" plus a question the out-of-scope list claims gets the out-of-scope answer, not "ok!";
    thanks stay thanks ("thanks, that was helpful")."""
    def read(text: str) -> str:
        return understand(knowledge.faq, knowledge.intents, knowledge.language, text).intent

    assert read("ok apa ibu kota malaysia") == "fallback"
    assert read("baik sy resep surabi oncom") == "fallback"
    assert read("thanks, that was helpful") == "smalltalk"
    assert read("baik, sy faham") == "smalltalk"


def action_run(knowledge, text: str) -> str | None:
    """The action the bot runs for `text`, or None when it answers otherwise."""
    found = understand(knowledge.faq, knowledge.intents, knowledge.language, text)
    return found.action if found.intent == "action" else None


@pytest.mark.parametrize(
    ("text", "action"),
    [("status of my parcel", None), ("subscribe to netflix", None), ("nak langgan astro", None),
     ("daftar sim online", None),  # one word the knowledge never uses: about something else
     ("langganan netflix mahal", None), ("subscribe to my youtube channel", None),
     ("cek status pendaftaran sy", "status"), ("mau lihat data yg kesimpen", "mydata"),  # a verb form
     ("sy nak mendaftar sbg usahawan", "register"),  # a word without vowels is an abbreviation
     ("delete this photo", None), ("padam gambar ni", None),  # what the verb acts on: not data
     ("menu makan siang hari ini apa", None), ("balik ke menu utama", "menu"),
     ("tolong padam akaun saya", "forget"), ("nomor hp saya ganti, tolong diubah", "edit"),
     ("emel saya dah tukar, tolong kemaskini dalam pendaftaran", "edit"),
     # an order or a parcel is never ours, though answers name shops (table W: status)
     ("status of my shopee order?", None), ("cek status paket saya", None),
     ("status pengiriman paket shopee saya kok belum sampe?", None),
     ("tolong stop pengiriman pengumuman ke saya", "unsubscribe"),  # sending, not a parcel
     ("hentikan penghantaran berita kepada saya", "unsubscribe"),
     # a person answers any subject, even one the out-of-scope list's words claim
     ("saya mau bicara dengan petugas soal izin halal", "handoff"),
     ("can I talk to a staff member about my export plans", "handoff")],
)  # fmt: skip
def test_a_request_naming_something_the_knowledge_never_mentions_is_not_run(knowledge, text, action):
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "action"),
    [("daftar kota kembar bandung", None), ("daftar sister city bandung apa aja", None),
     ("daftar negara anggota asean", None), ("daftar acara bulan ini", None),  # a list of things
     ("daftar usaha saya", "register"), ("nak daftar bisnes", "register"), ("daftar", "register"),
     ("daftar online", "register"), ("pengen daftar umkm sekarang", "register")],
)  # fmt: skip
def test_daftar_followed_by_a_thing_not_the_users_business_is_a_list(knowledge, text, action):
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "action"),
    [("what can u do", "help"), ("what can you do?", "help"), ("bot ni boleh buat apa?", "help"),
     ("kamu bisa apa", "help"),  # the bot's abilities, asked with nothing else: only function words
     ("what can i do", None), ("what can you do about my permit", None), ("umkm bisa apa", None)],
)  # fmt: skip
def test_what_the_bot_can_do_asked_alone_is_the_help(knowledge, text, action):
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    "text", ["terima kasih atas maklumat tu", "makasih atas infonya ya min",
             "thank you very much for the information, have a great day"],
)
def test_thanks_for_something_is_small_talk(knowledge, text) -> None:
    found = understand(knowledge.faq, knowledge.intents, knowledge.language, text)
    assert (found.intent, found.small_talk) == ("smalltalk", "thanks")


def test_thanks_then_a_question_is_the_question(knowledge) -> None:
    text = "makasih atas infonya, cara daftar nib gimana?"
    found = understand(knowledge.faq, knowledge.intents, knowledge.language, text)
    assert found.intent == "faq" and found.topic == "nib-oss"


def test_jakarta_in_and_i_forms_and_english_plurals_read_as_the_listed_words(rules) -> None:
    assert rules.read("aktifin dikirimin kirimi broadcasts").words == (
        "aktifkan", "kirimkan", "kirimkan", "broadcast")
    assert rules.classify("aktifin broadcast buat sy").name == "subscribe"
    # a form is never read as small talk: "siapin" is "prepare", "goods" not "good"
    assert rules.read("siapin goods").words == ("siapin", "goods")
    assert rules.classify("goods").kind == "question"


@pytest.mark.parametrize(
    ("text", "action"),
    [("sy bingung cara pakainya", "help"), ("macam mana nak guna bot ni", "help"),
     ("how to use this bot?", "help"), ("cara pakai qris", None), ("how to use qris", None),
     ("how does the halal certification work", None),
     ("batalin pendaftaran sy", "forget"), ("batal ikut pelatihan", None),
     ("what information do you have about me?", "mydata")],
)
def test_how_to_use_the_bot_is_the_help_and_cancelling_the_registration_is_forget(
    knowledge, text, action
) -> None:
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "action"),
    [("halo min, saya pemilik warung bakso di antapani, mau daftarin usaha saya", "register"),
     ("salam, saya ada kedai kek di PJ dan nak daftar perniagaan saya", "register"),
     ("my email changed recently, please update it in my registration", "edit"),
     ("how do I sign up? I want to register my shop now", "register"),  # the FAQ agrees
     # a clause's request is not ours when the message names something else ("unless" words)
     ("produk sy pengen masuk little bandung, daftar kemana?", None),
     # help and the menu in one clause beside a statement ask for other help
     ("saya mau beli tiket pesawat, tolong bantu", None)],
)
def test_a_request_in_one_clause_beside_a_greeting_or_a_statement_is_the_request(
    knowledge, text, action
) -> None:
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "to"),
    [("can we continue in english? my indonesian is bad", "en"),
     ("my english is bad, reply in malay", "ms"), ("my indonesian is bad, english please", "en")],
)
def test_the_language_asked_for_follows_in_or_pakai_else_it_is_the_last_named(
    rules, text, to
) -> None:
    assert (rules.classify(text).name, rules.classify(text).to) == ("language", to)


def test_a_greeting_opens_a_message(knowledge) -> None:
    found = understand(knowledge.faq, knowledge.intents, knowledge.language,
                       "translate good morning to korean")  # fmt: skip
    assert found.intent != "smalltalk"
    assert understand(knowledge.faq, knowledge.intents, knowledge.language,
                      "nice to meet you").intent == "smalltalk"  # fmt: skip


@pytest.mark.parametrize(
    ("text", "action"),
    [("would you mind deleting my data", "forget"), ("is it possible to change my address?", "edit"),
     ("hey could you do me a favour and update my email", "edit"),
     ("kalau boleh saya mau berhenti langganan", "unsubscribe"),
     ("tiasa ngabantosan abdi ngadaftar", "register"),  # Sundanese: "bisa bantu saya daftar"
     ("kalau bisa saya mau tanya soal halal", None)],
)
def test_politeness_wrappers_leave_the_request(knowledge, text, action) -> None:
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [("gpp", "smalltalk", "ack"), ("ga jadi deh", "smalltalk", "ack"),
     ("tysm", "smalltalk", "thanks"), ("ok noted, will register later", "question", "ack")],
)
def test_no_problem_never_mind_and_a_request_put_off_are_small_talk(rules, text, kind, name):
    found = rules.classify(text)
    assert (found.kind, found.name) == (kind, name)


@pytest.mark.parametrize(
    ("text", "action"),
    [("Min, nomor hp saya yang lama udah ga aktif, tolong diganti ke 08123456789 ya", "edit"),
     ("saya sudah tua, kurang paham pakai hp, bisa disambungkan ke petugas saja?", "handoff"),
     ("Good afternoon. I no longer run my business and would like all my data removed from your "
      "records, thank you.", "forget"),
     ("Salam, saya rasa saya tak nak terima mesej hebahan ni lagi, terlalu banyak. Tolong "
      "berhentikan.", "unsubscribe")],
)
def test_a_passive_verb_and_a_long_story_around_the_request(knowledge, text, action) -> None:
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "action"),
    [("nk dftr bisnes", "register"), ("sy nk tkr no fon", "edit"),
     ("brenti hantar mesej", "unsubscribe"), ("remove me from ur list", "unsubscribe"),
     ("change my email address to abc@gmail.com", "edit"), ("wipe my data", "forget"),
     ("what are the commands", "help"), ("clear", None)],
)
def test_vowel_dropped_chat_an_address_as_the_new_value_and_a_how_phrase_inside_a_phrase(
    knowledge, text, action
) -> None:
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "action"),
    [("hapus langganan saya", "unsubscribe"), ("cancel my subscription", "unsubscribe"),
     ("hapus chat ini", None), ("I no longer want to receive messages", "unsubscribe"),
     ("tak payah hantar lagi", "unsubscribe"), ("matiin notif", "unsubscribe"),
     ("can someone call me", "handoff"), ("show my registration details", "mydata")],
)
def test_pairs_of_actions_a_word_could_confuse(knowledge, text, action) -> None:
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "kind"),
    [("syukran", "smalltalk"), ("cya", "smalltalk"), ("selamat hari raya", "smalltalk"),
     ("p", "smalltalk"), ("muhun", "smalltalk"), ("roger that", "smalltalk"),
     ("test kit for halal", "question"), ("tes darah", "question")],
)
def test_borrowed_thanks_pings_season_greetings_and_sundanese_yes(rules, text, kind) -> None:
    assert rules.classify(text).kind == kind


@pytest.mark.parametrize(
    ("text", "action"),
    [("saya sudah daftar kemarin, kapan disetujui?", "status"),  # done already: where it stands
     ("I registered last week, has it been approved?", None),
     ("udah daftar belum ya usaha sy", None), ("sy mau daftar usaha", "register"),
     ("kak data yg udh dikirim bisa direvisi?", "edit")],  # "revisi": an edit verb
)  # fmt: skip
def test_a_registration_done_already_is_not_a_request_to_register(knowledge, text, action):
    assert action_run(knowledge, text) == action


@pytest.mark.parametrize(
    ("text", "action"),
    [("how do I update my registration details?", None),  # how to edit: the FAQ, not /status
     ("my phone number changed and I moved my shop, how do I update my registration details?",
      None),
     ("gimana status pendaftaran saya", "status"), ("ubah data pendaftaran saya", "edit")],
)  # fmt: skip
def test_a_how_question_about_one_action_is_not_run_as_another(knowledge, text, action):
    assert action_run(knowledge, text) == action
