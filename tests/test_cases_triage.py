"""Requests for a human, in the phrasings staff list (crisis detection: test_crisis_*)."""

from __future__ import annotations

import pytest

from helpbot.cases.triage import asks_for_human
from helpbot.crisis.text import fold, loose
from helpbot.knowledge.policies import StaffPolicy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("人と話したい", True),
        ("スタッフと話したいです", True),
        ("相談したいことがあります", True),
        ("Can I talk to staff?", True),
        ("ﾋﾄﾄﾊﾅｼﾀｲ", False),  # katakana folds to hiragana, not to kanji: not listed
        ("フードバンクはどこ", False),
    ],
)
def test_asks_for_human(text: str, expected: bool):
    assert asks_for_human(text, (*StaffPolicy().handoff_phrases, "相談したい")) is expected


def test_fold_normalises_width_kana_and_repeats():
    assert fold("ＳＨＩＮＩＴＡＩ！！") == "shinitai"
    assert fold("シニタイ") == fold("しにたい")
    assert loose(fold("しにたーーーい")) == "しにたい"
    assert fold("死にたぃぃぃぃ") == "死にたいい"
