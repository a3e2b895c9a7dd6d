"""Who does it decides the category: violence done by a parent is the child category (189,
Child SOS), from the real ``faq/crisis.yaml``; a partner's violence that only mentions a parent
stays with the partner-violence lines."""

from __future__ import annotations

import pytest

from helpbot.crisis.detector import CrisisDetector
from helpbot.knowledge.crisis_file import read_crisis_rules


@pytest.mark.parametrize(
    ("text", "doer"),
    [
        ("お父さんに毎日殴られる", "お父さん"),
        ("おとうさんに毎日のように殴られる", "お父さん"),  # in kana, a longer way to say it
        ("ﾊﾟﾊﾟが私を殴る", "パパ"),  # half-width katakana
        ("父親から暴力を受けている", "父親"),
        ("親からずっと虐待されてる", "親"),
        ("継父に、毎日殴られる", "継父"),  # the sign in the next clause
        ("母の彼氏に蹴られる", "母の彼氏"),
        ("bố đánh tôi mỗi ngày", "bố"),
        ("bo danh toi moi ngay", "bố"),  # Vietnamese typed without accents
        ("My dad hits me every day", "dad"),
        ("my mom beats me", "mom"),
        ("my mom's boyfriend hits me", "mom's boyfriend"),
        ("bapak saya memukul saya", "bapak"),
        ("saya dipukul oleh ayah saya", "ayah"),  # the doer after the sign, marked by oleh
        ("binubugbog ako ng tatay ko", "tatay"),
        ("sinasaktan ako ng nanay ko", "nanay"),
        ("buwa le malai kutcha", "buwa"),
        ("爸爸每天打我", "爸爸"),
        ("继父打我", "继父"),
        ("minha mãe me bate todo dia", "mãe"),
        ("mi padrastro me golpea", "padrastro"),
    ],
)
def test_violence_done_by_a_parent_is_a_childs_danger(words_only, text, doer):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == "child", (text, hit)
    assert hit.name == "子どもの危険" and f"done by 「{doer}」" in hit.notes


@pytest.mark.parametrize(
    "text",
    [
        "夫に殴られて実家の母に相談した",
        "母に相談したら夫に殴られた",  # たら: 母 is not in the clause of 殴られ
        "母には言えないけど夫に殴られる",
        "両親は夫に殴られていることを知らない",  # 夫, another doer, stands between
        "旦那さんに殴られた、母さんは知らない",
        "my husband hits me, my mom doesn't know",
        "I told my mom my husband hits me",
        "mà chồng đánh tôi",  # mà "but" is not má "mum"
        "chồng tôi đánh tôi, mẹ tôi không biết",
        "suami saya memukul saya, ibu saya tidak tahu",
        "binubugbog ako ng asawa ko, hindi alam ng nanay ko",
        "妈妈说老公打我",
    ],
)
def test_a_partners_violence_that_mentions_a_parent_stays_violence(words_only, text):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == "violence", (text, hit)
    assert not any(note.startswith("done by") for note in hit.notes)


def test_other_categories_and_hits_already_child_are_left_alone(words_only):
    hit = words_only.detect("ママにたたかれる、こわい")  # a child's own expression
    assert hit is not None and hit.category == "child" and not hit.notes
    hit = words_only.detect("お母さんに死にたいと言えない")  # suicide is not re-filed
    assert hit is not None and hit.category == "suicide"


CRISIS = """\
categories:
  - id: violence
    name: 暴力
    call: [dv]
    expressions: [殴られ]
  - id: child
    name: 子どもの危険
    call: [dv]
    expressions: [児童虐待]
    done_by:
      instead_of: [{instead_of}]
      words: {words}
      other: [夫]
hotlines:
  dv: {{number: "#8008", name: {{ja: DV相談ナビ}}}}
resources:
  intro: {{ja: あなたの安全がいちばん大切です}}
"""


def _problems(instead_of: str, words: str, *, misspelt: bool = False) -> str:
    text = CRISIS.format(instead_of=instead_of, words=words)
    rules, problems = read_crisis_rules(
        text if misspelt else text.replace("      other: [夫]\n", ""), "crisis.yaml"
    )
    assert (rules is None) == bool(problems)
    return "\n".join(str(p) for p in problems)


def test_done_by_mistakes_are_reported_with_file_and_line():
    found = _problems("violense", "[]", misspelt=True)
    assert "crisis.yaml:13: 「other」という項目はありません / unknown field 'other' in 'done_by'" \
        in found and "did you mean 'others'" in found
    assert "crisis.yaml:12: done_by には 「words」 が必要です / 'done_by' needs 'words'" in found
    found = _problems("violense", "[父]")
    assert "crisis.yaml:10: done_by の instead_of にある種類「violense」は categories に" in found
    assert "'done_by: instead_of' names an unknown category 'violense'" in found
    assert "書ける id: child, violence" in found
    found = _problems("child", "父")
    assert "crisis.yaml:12: done_by の 「words」 は言葉の並び" in found
    assert "'done_by: words' must be a list of words" in found
    found = _problems("child", "[父]")
    assert "crisis.yaml:10: 種類「child」の done_by の instead_of に、その種類自身の id" in found
    assert "(hint: ほかの種類の id を書いてください" in found


def test_a_written_rule_re_files_in_a_small_file():
    rules, problems = read_crisis_rules(
        CRISIS.format(instead_of="violence", words="[父, dad]").replace("other:", "others:"),
        "crisis.yaml",
    )
    assert problems == [] and rules is not None
    detector = CrisisDetector(rules)
    assert detector.detect("父に殴られた").category == "child"
    assert detector.detect("父の前で殴られた").category == "violence"  # 父の: not the doer
    assert detector.detect("夫に殴られた").category == "violence"
