"""Whom a broadcast asked for in words is for (intents.yaml `broadcast_receivers`): the codes are
the audience panel's, and phrases are read longest first."""

from __future__ import annotations

import pytest

from handlers.broadcast.receivers import audience_of
from knowledge import load_knowledge
from knowledge.receivers import Receivers
from knowledge.texts import KnowledgeError
from storage.audience import Audience


@pytest.fixture(scope="module")
def receivers() -> Receivers:
    return load_knowledge(semantic=None).intents.receivers


def test_every_listed_filter_is_one_the_panel_offers(receivers) -> None:
    unknown = [code for code in receivers.filters if audience_of((code,)) == Audience()]
    assert not unknown


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("kirim pengumuman ke semua umkm kuliner", ("sub:kuliner",)),
        ("hantar makluman kepada PKS kraf yang berdaftar", ("registered", "sub:kriya")),
        ("kirim pengumuman ke yang belum terdaftar", ("st:none",)),  # not "terdaftar" too
        ("broadcast to whatsapp users in english speaking", ("lang:en", "ch:whatsapp")),
        ("kirim pengumuman ke pelaku f&b dan kriya", ("sub:kuliner", "sub:kriya")),
        ("kirim pengumuman ke semua selain fesyen", ()),
        ("kirim pengumuman soal pameran fesyen", ()),
    ],
)
def test_the_filters_a_request_names(receivers, text, codes) -> None:
    assert sorted(receivers.named(text)) == sorted(codes)


def test_an_unknown_filter_is_refused_with_its_name() -> None:
    data = {"broadcast_receivers": {"except": [], "about": [], "filters": {"city:pj": ["pj"]}}}
    with pytest.raises(KnowledgeError, match="city:pj"):
        Receivers.parse(data, "intents.yaml")


def test_a_code_naming_no_value_is_left_out() -> None:
    assert audience_of(("sub:kuliner", "sub:nothing", "ch:fax")) == Audience(subsectors=("kuliner",))
