"""Hypothesis strategies for hostile input: nasty text, forged payloads, random conversations."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.support.hostile import TEMPLATE_PROBES

NASTY = [
    "",
    " ",
    "\x00",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u202eevil\u202c",
    "\u200fمرحبا بك\u200e",
    "שלום\u200f 123",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "<a href='javascript:alert(1)'>x</a>",
    "*bold* _italic_ `code` ```pre```",
    "[x](y) [klik](http://127.0.0.1/evil)",
    "__init__ ~~strike~~ ||spoiler|| \\*",
    "'; DROP TABLE users;--",
    '" OR 1=1 --',
    "Robert'); DROP TABLE registrations;--",
    "1; DELETE FROM conversations",
    "%s %d %(x)s {0} {name} ${7*7} #{7*7}",
    "\\",
    "\r\n\r\n\t",
    "🙂" * 30,
    "A\u0301\u0302\u0303" * 10,
    "/",
    "//",
    "/start",
    "/daftar",
    "/batal",
    "/start@bot " + "x" * 50,
    "/" + "a" * 40,
    "1",
    "0",
    "-1",
    "99999999999999999999",
    "+62 812-3456-7890",
    "null",
    "None",
    "NaN",
    "true",
    "{}",
    '{"a": [1, 2]}',
    *TEMPLATE_PROBES,
    "{% for x in y %}",
    "{{",
    "}}{{",
    "{#",
]

_CONTROL = st.characters(min_codepoint=0, max_codepoint=31) | st.sampled_from(
    "\x7f\x85\u2028\u2029"
)
_SPECIAL = st.sampled_from(
    "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200e\u200f\u061c\u0301\ufffd\U0001f600\U0001f1ee\U0001f1e9\U000e0001"
)
_PIECE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(NASTY),
    st.text(alphabet=_CONTROL | _SPECIAL, max_size=8),
)
short_text = st.lists(_PIECE, min_size=1, max_size=5).map("".join)
long_text = st.tuples(_PIECE.filter(bool), st.integers(1, 10_000)).map(
    lambda pair: (pair[0] * (10_000 // len(pair[0]) + 1))[: max(pair[1], 4_000)]
)
hostile_text = st.one_of(short_text, short_text, short_text, long_text)

# Payload prefixes of every feature (the routers' own prefixes are added at run time).
KNOWN_PREFIXES = [
    "lang", "menu", "faq", "faqg", "faqrel", "reg", "regs", "regsub", "regint", "regedit",
    "resume", "del", "forget", "staff", "staf", "bc", "bcaud", "bcok", "bcsched", "review",
    "rev", "stats", "exp", "cur", "unans", "sub", "unsub", "wa", "tg", "x", "",
]  # fmt: skip
_PAYLOAD_VALUE = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "0",
            "-1",
            "999999",
            "id",
            "en",
            "ms",
            "xx",
            "yes",
            "no",
            "ok",
            "back",
            "skip",
            "submit",
            "confirm",
            "cancel",
            "all",
            "kuliner",
            "lainnya",
            "verify:1",
            "reject:1",
            "grant:telegram:1:admin",
            "1:2:3",
            ":",
            "::",
            "a" * 60,
            "../..",
            "%00",
        ]
    ),  # fmt: skip
    st.integers(-5, 10**6).map(str),
    short_text,
)


def payloads(prefixes: list[str]) -> st.SearchStrategy[str]:
    """Forged button payloads `prefix:value` (mostly within Telegram's 64 bytes, some not)."""
    prefix = st.sampled_from(sorted(set(KNOWN_PREFIXES) | set(prefixes)))
    joined = st.builds(
        lambda p, sep, v: f"{p}{sep}{v}", prefix, st.sampled_from([":", ":", ""]), _PAYLOAD_VALUE
    )
    fitting = joined.map(lambda s: s.encode()[:64].decode(errors="ignore"))
    return st.one_of(fitting, fitting, fitting, joined, short_text)


phones = st.one_of(
    st.sampled_from(
        ["+6281234567890", "6281234567890", "081234567890", "+60123456789", "", "+", "0"]
    ),
    short_text,
)
unsupported_kinds = st.one_of(
    st.sampled_from(["photo", "sticker", "voice", "location", "video", "document", "poll"]),
    short_text,
)
