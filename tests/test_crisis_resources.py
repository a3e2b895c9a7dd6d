"""The lines a person in danger is given: well formed, and the right ones for each danger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpbot.crisis.resources import resources_text
from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.phone_numbers import PHONE_NUMBER
from tests.conftest import SAMPLE_FAQ

# National numbers, as published: emergency 119 / police 110, DV相談ナビ #8008,
# DV相談＋ 0120-279-889, 児童相談所虐待対応ダイヤル 189, いのちの電話 0570-783-556,
# よりそいホットライン 0120-279-338, 性犯罪被害相談 #8103 / ワンストップ支援センター #8891.
RIGHT_LINES = {
    "suicide": [("0570-783-556", "0120-279-338")],
    "violence": [("#8008", "0120-279-889"), ("110",)],
    "sexual_violence": [("#8891", "#8103")],
    "stalking": [("110", "#9110")],
    "trafficking": [("110",)],
    "child": [("189",)],
    "medical": [("119",)],
    "no_shelter": [("福祉",)],
    "no_food": [("福祉",)],
}
LANGUAGES = ("ja", "easy", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id")


@pytest.fixture(scope="module")
def rules():
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.crisis is not None
    return kb.crisis


def test_every_number_is_one_people_can_dial(rules):
    numbers = [h.number for h in rules.hotlines.values() if h.number]
    assert numbers and all(PHONE_NUMBER.match(n) for n in numbers)
    # and a free-dial or navi-dial number has ten digits
    for number in numbers:
        if number.startswith(("0120", "0570")):
            assert len(re.sub(r"\D", "", number)) == 10, number


@pytest.mark.parametrize("category", sorted(RIGHT_LINES))
def test_each_danger_gets_its_own_line(rules, category):
    assert rules.category(category) is not None, category
    text = resources_text(rules, category=category, language="ja", local=None)
    for alternatives in RIGHT_LINES[category]:
        assert any(a in text for a in alternatives), (category, alternatives, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_its_own_words_and_the_same_numbers(rules, language):
    assert language in rules.intro and language in rules.closing
    text = resources_text(rules, category="suicide", language=language, local=None)
    japanese = resources_text(rules, category="suicide", language="ja", local=None)
    assert re.findall(r"[#\d][\d-]{2,}", text) == re.findall(r"[#\d][\d-]{2,}", japanese)
    assert rules.intro[language] in text


def test_staff_can_override_the_lines(tmp_path: Path):
    text = (
        "categories:\n"
        "  - id: violence\n"
        "    name: 暴力\n"
        "    call: [npo]\n"
        "    expressions: [殴られ]\n"
        "hotlines:\n"
        "  npo: {number: '03-1234-5678', name: {ja: 当団体の夜間窓口, en: Our night line}}\n"
        "resources:\n"
        "  intro: {ja: あなたの安全がいちばん大切です。, en: Your safety comes first.}\n"
    )
    rules, problems = read_crisis_rules(text, "crisis.yaml")
    assert problems == [] and rules is not None
    assert resources_text(rules, category="violence", language="en", local=None) == (
        "Your safety comes first.\n・Our night line: 03-1234-5678"
    )
    # a language the file lacks gets English words and the same numbers
    assert "03-1234-5678" in resources_text(rules, category="violence", language="vi", local=None)
