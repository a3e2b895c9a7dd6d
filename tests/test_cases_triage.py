"""Crisis triage on realistic phrasings, with the policy written in crisis.yaml."""

from __future__ import annotations

import pytest

from helpbot.cases.triage import CrisisDetector, asks_for_human, fold
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.policies import StaffPolicy
from tests.conftest import SAMPLE_FAQ


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.crisis is not None
    return CrisisDetector(kb.crisis)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("もう死にたい", "自殺・自傷"),
        ("しにたい", "自殺・自傷"),
        ("シニタイ", "自殺・自傷"),
        ("死にたぃ…", "自殺・自傷"),
        ("消えたいです。疲れました", "自殺・自傷"),
        ("生きてる意味がないと思う", "自殺・自傷"),
        ("生きていたくなぃ", "自殺・自傷"),
        ("生きていたくなあい", "自殺・自傷"),  # a typo inside a long expression
        ("死ぬほど疲れた", "自殺・自傷"),  # policy: fires (see crisis.yaml)
        ("I want to die", "自殺・自傷"),
        ("i WANT to DIE", "自殺・自傷"),
        ("夫に殴られて顔があざだらけ", "暴力・虐待"),
        ("彼氏が怖くて家に帰れない、家に帰るのが怖い", "暴力・虐待"),
        ("he hits me every night", "暴力・虐待"),
        ("今夜寝る場所がありません", "今夜寝る場所がない"),
        ("アパート追い出された", "今夜寝る場所がない"),
        ("今日は野宿です", "今夜寝る場所がない"),
        ("３日食べてない", "何日も食べていない"),
        ("もう何日も何も食べていません", "何日も食べていない"),
    ],
)
def test_danger_fires(detector: CrisisDetector, text: str, category: str):
    hit = detector.detect(text)
    assert hit is not None, text
    assert hit.category == category


@pytest.mark.parametrize(
    "text",
    [
        "この店のラーメン死ぬほどおいしい",
        "昨日は死ぬほど笑った",
        "フードバンクはどこですか",
        "生活保護の申請をしたい",
        "家賃が払えない",
        "殺虫剤はどこで買えますか",
        "子ども食堂に行きたい",
        "I want to apply for welfare",
        "ハローワークの場所",
    ],
)
def test_everyday_messages_do_not_fire(detector: CrisisDetector, text: str):
    assert detector.detect(text) is None


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
    assert fold("しにたーーーい") == "しにたい"
    assert fold("死にたぃぃぃぃ") == "死にたいい"
