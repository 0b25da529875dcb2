"""The language detector on fresh development lines (Malaysian Malay first), without a prior."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support.knowledge_cache import read_only_knowledge

LINES = yaml.safe_load((Path(__file__).parent / "data" / "language_dev_m.yaml").read_text())
# First read at cfe2bcd (2026-12-04); a floor so no change buys one language at another's cost
FLOOR = {"ms": 0.985, "id": 0.97, "en": 1.0}


@pytest.mark.parametrize("language", sorted(LINES))
def test_language_dev_m_lines_read_in_their_language(language: str) -> None:
    detector = read_only_knowledge().language
    lines = LINES[language]
    wrong = [line for line in lines if detector.guess(line).language != language]
    share = 1 - len(wrong) / len(lines)
    print(f"{language}: {share:.1%} of {len(lines)}; wrong: {wrong}")
    assert share >= FLOOR[language], wrong
