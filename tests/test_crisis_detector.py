"""The crisis detector's layers and its policy, on the sample crisis.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.crisis import run_crisis_bench
from helpbot.crisis.detector import CrisisDetector
from helpbot.crisis.meaning import sentences
from helpbot.crisis.text import fold, latin_words, loose
from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.loader import load_dir
from tests.conftest import ROOT, SAMPLE_FAQ

EVAL = ROOT / "tests" / "data" / "crisis_eval.yaml"
HELDOUT = ROOT / "tests" / "data" / "crisis_heldout.yaml"
FRESH = ROOT / "tests" / "data" / "crisis_fresh.yaml"
UNSEEN = ROOT / "tests" / "data" / "crisis_unseen.yaml"


def test_folding():
    assert fold("ｼﾆﾀｲ") == loose(fold("しにたーーい")) == "しにたい"
    assert fold("ストーカー") == "すとーかー"  # not すとか, as in 話すとか
    assert latin_words("Tôi muốn CHẾT!!") == " toi muon chet "
    assert latin_words("Đánh tôi") == " danh toi "


@pytest.mark.parametrize(
    ("text", "category", "layer"),
    [
        ("しにたい", "suicide", "expression"),  # hiragana
        ("ｼﾆﾀｲ", "suicide", "expression"),  # half-width
        ("氏にたい", "suicide", "expression"),  # a conversion slip: same reading
        ("死にたくなってきた", "suicide", None),  # inflection
        ("toi muon chet", "suicide", "expression"),  # Vietnamese without accents
        ("I WANT TO DIE", "suicide", "expression"),
        ("彼氏に首を絞められた", "violence", None),
        ("パスポートを取り上げられて外に出られない", "trafficking", None),
        ("子どもに手をあげてしまいそうで怖い", "child", None),
        ("3日何も食べてない", "no_food", None),
        ("息ができない、胸が苦しい", "medical", None),
    ],
)
def test_layers_find_what_people_write(detector, text, category, layer):
    hit = detector.detect(text)
    assert hit is not None, text
    assert hit.category == category, (text, hit)
    if layer is not None:
        assert hit.layer == layer, (text, hit)


@pytest.mark.parametrize(
    "text",
    [
        "名前は田中です。今は大丈夫じゃない。死にたい",  # 名前は is no past; the calm is denied
        "昔DVを受けていて今は落ち着いていますが、最近また死にたいと思う",  # a word of now
        "去年離婚して今は落ち着いてますが、夫に殴られた",  # danger after the calm words
        "I want to die now",  # "now" is no laughter
    ],
)
def test_context_never_hides_danger_told_in_the_present(detector, text):
    assert detector.detect(text) is not None, text


def test_negation_and_other_peoples_danger_still_fire_and_say_so(detector):
    negated = detector.detect("死にたいとは思わないけど、消えたい")
    assert negated is not None and "negated" in negated.notes and "negated" in negated.why
    friend = detector.detect("友達が死にたいと言っている")
    assert friend is not None and "about someone else" in friend.notes


@pytest.mark.parametrize(
    "text",
    [
        "この店のラーメン死ぬほどおいしい",
        "笑いすぎて死ぬ",
        "死亡届はどこに出しますか",
        "殺虫剤はどこで買えますか",
        "首の痛みで病院に行きたい",
        "近くの薬局を教えて",
        "暴力団の事務所の場所",
        "会社を首になった、失業保険は？",
        "フードバンクはどこですか",
        "I want to apply for welfare",
    ],
)
def test_everyday_words_do_not_fire(detector, text):
    assert detector.detect(text) is None, detector.detect(text)


def test_the_meaning_layer_needs_the_encoder_and_skips_kana_only_text(detector, words_only):
    assessment = detector.assess("生活保護の申請に必要な書類")
    assert assessment.hit is None and assessment.nearest is not None
    assert words_only.assess("生活保護の申請に必要な書類").nearest is None
    assert detector.assess("せいかつほごのしんせい").nearest is None


def test_a_long_message_is_scored_sentence_by_sentence(detector):
    """One vector for a whole question about papers dilutes a last sentence of danger."""
    question = (
        "児童扶養手当の申請について聞きたいです。書類が多くてよく分かりません。"
        "役所にも何度か行きました。"
    )
    assert sentences("短い文です。もう一つ") == []  # a short message is scored whole
    assert sentences(question) == [
        "児童扶養手当の申請について聞きたいです。", "書類が多くてよく分かりません。",
        "役所にも何度か行きました。",
    ]
    assert detector.detect(question) is None
    danger = question + "正直もう疲れて、今夜自分が何をしてしまうか分からなくて怖いです"
    hit = detector.detect(danger)
    assert hit is not None and hit.layer == "meaning", hit


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("なくられた", "violence"),  # ゛ dropped (殴られた)
        ("ほこほこにされた", "violence"),  # ゛ dropped (ボコボコにされた)
        ("しにたくてしにたくてしにたくて", "suicide"),  # one phrase repeated
        # a repeated phrase is still read as written: folded, its unit has no spaces
        ("tôi muốn chết tôi muốn chết", "suicide"),
        ("bunuh diri bunuh diri", "suicide"),
        ("I want to die I want to die", "suicide"),
        ("tu tu", "suicide"),  # unaccented tự tử: a unit of two letters is not the phrase
        ("🪦😭", "suicide"),  # a danger emoji beside distress
        ("⚰😭", "suicide"),  # without the variation selector ⚰️ is listed with
        ("🏠 ❌ 😭", "no_shelter"),  # a space inside the sign
        ("手をあげてしまった", "child"),  # not cut out by 「手を挙げて（質問）」
    ],
)
def test_slips_repeats_and_emoji_with_distress_fire(words_only, text, category):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == category, (text, hit)


@pytest.mark.parametrize(
    "text",
    ["🔪で野菜を切った", "💊 薬局の場所", "🚑 救急の電話番号は？", "手を挙げて質問してください",
     # three kana without their marks are other words: 資産 (自残), 視察 (自殺)
     "固定資産評価証明書を郵送してもらえますか", "施設の視察はできますか",
     # emoji people use every day, beside everyday words
     "予防接種💉痛かった😢", "ホラー映画みた👀こわい😱", "🔒パスワード忘れた😭"],
)
def test_a_danger_emoji_alone_or_a_raised_hand_does_not_fire(words_only, text):
    assert words_only.detect(text) is None, words_only.detect(text)


def test_the_heldout_set_keeps_its_floor():
    """The second set (written without reading the lists) was used to find why the detector
    missed; its floor guards the general fixes made from it (docs/benchmarks.md)."""
    report = run_crisis_bench(HELDOUT, SAMPLE_FAQ, semantic=True)
    assert report["recall"] >= HELDOUT_RECALL_FLOOR, report["misses"]
    assert report["false_alarm_rate"] <= HELDOUT_FALSE_ALARM_CEILING, report["false_alarms"]


def test_the_fresh_set_nothing_was_fitted_to_keeps_its_floor():
    """The third set: written without the lists or the other sets, never read to change the
    lists, never used to fit the learned layer. Measured 0.908 recall, 15.0 % false alarms
    (words and examples alone: 0.770 / 15.0 %); 0.932 / 15.0 % with the lists of
    Vietnamese, Indonesian, Nepali, Tagalog and Burmese danger written without any set. Its
    20 misses at 0.948 were then read for their shapes (not their lines): with the ``weak``
    layer and new patterns written on crisis_dev5.yaml it is 1.0 / 15.0 %, so it is no longer
    a set nothing was tuned on; crisis_unseen.yaml is."""
    report = run_crisis_bench(FRESH, SAMPLE_FAQ, semantic=True)
    assert report["crisis_messages"] >= 300 and report["everyday_messages"] >= 300
    assert report["recall"] >= 0.98, report["misses"]
    assert report["false_alarm_rate"] <= 0.17, report["false_alarms"]
    assert report["found_by_layer"].get("learned", 0) >= 30


def test_the_fourth_set_written_after_all_the_lists_keeps_its_floor():
    """The fourth set (``crisis_unseen.yaml``): written after everything else without the
    lists, the code or the other sets, never read or fitted on. Measured on the code before
    the other-language lists 0.816 recall / 6.6 % false alarms (Japanese 0.953), after them and
    the refit 0.867 / 6.8 % (Japanese 0.961)."""
    report = run_crisis_bench(UNSEEN, SAMPLE_FAQ, semantic=True)
    assert report["crisis_messages"] >= 450 and report["everyday_messages"] >= 400
    assert report["recall"] >= 0.85, report["misses"]
    assert report["false_alarm_rate"] <= 0.09, report["false_alarms"]
    assert report["recall_by_language"]["ja"] >= 0.94


def test_the_evaluation_set_keeps_its_floors():
    """Floors just under what `helpbot bench crisis` measured (docs/benchmarks.md)."""
    report = run_crisis_bench(EVAL, SAMPLE_FAQ, semantic=True)
    assert report["crisis_messages"] >= 400 and report["everyday_messages"] >= 400
    assert report["recall"] >= RECALL_FLOOR, report["misses"]
    assert report["false_alarm_rate"] <= FALSE_ALARM_CEILING, report["false_alarms"]
    for category, recall in report["recall_by_category"].items():
        assert recall >= CATEGORY_FLOOR, (category, recall)


RECALL_FLOOR = 0.975
FALSE_ALARM_CEILING = 0.03
CATEGORY_FLOOR = 0.95
HELDOUT_RECALL_FLOOR = 0.97
HELDOUT_FALSE_ALARM_CEILING = 0.17


def test_crisis_yaml_mistakes_are_reported_with_file_and_line(tmp_path: Path):
    text = (
        "categories:\n"
        "  - id: suicide\n"
        "    name: 自殺\n"
        "    call: [inochi, nosuch]\n"
        "    expressions: [死にたい]\n"
        "    patterns: [死ぬ]\n"
        "    exemplar: [x]\n"
        "hotlines:\n"
        "  inochi: {number: '0570-78-556x', name: {ja: いのちの電話}}\n"
        "resources:\n"
        "  intro: {ja: あなたの安全がいちばん大切です}\n"
    )
    rules, problems = read_crisis_rules(text, "crisis.yaml")
    assert rules is None
    messages = {(p.line, p.message.split(" ")[0]) for p in problems}
    found = "\n".join(str(p) for p in problems)
    assert ("crisis.yaml:2: 種類「suicide」の call にある電話「nosuch」は hotlines にありません / "
            "category 'suicide' calls an unknown hotline 'nosuch'") in found
    assert "cannot read the pattern '死ぬ'" in found and "(hint: write two or more" in found
    assert "unknown field 'exemplar'" in found and "did you mean 'exemplars'" in found
    assert "crisis.yaml:9: 電話「inochi」の番号（number）'0570-78-556x'" in found
    assert "hotline 'inochi' has a number people cannot dial" in found
    assert len(messages) == 4


def test_a_faq_without_its_own_crisis_yaml_is_still_watched(tmp_path: Path):
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "a.yaml").write_text("- id: a\n  question: 家賃\n  answer: 窓口へ\n", "utf-8")
    kb, problems = load_dir(folder)
    assert problems == [] and kb.crisis is not None
    hit = CrisisDetector(kb.crisis).detect("もう死にたい")
    assert hit is not None and hit.category == "suicide"


MECHANICS = """
categories:
  - id: suicide
    name: 自殺
    expressions: [死にたい, 遺書を書, want to die, suicid*]
    alone: [しぬ, 限界]
    patterns: ["首 + 吊る|つる", "薬 + いっぱい|全部 + 飲む", "no + place + sleep"]
  - id: violence
    name: 暴力
    expressions: [蹴られ, ストーカー]
not_crisis: [死ぬほどおいし]
about_the_topic: [講座]
over_now: {past: [昔], calm: [今は元気]}
joking: [蹴られ]
resources:
  intro: {ja: あなたの安全がいちばん大切です}
"""


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("首を吊った", "首 + 吊る|つる"),  # a pattern, inflected
        ("首をつりたい", "首 + 吊る|つる"),
        ("くすりぜんぶのんだ", "薬 + いっぱい|全部 + 飲む"),  # pattern words by their reading
        ("しにたーーい", "死にたい"),  # long vowels typed
        ("氏にたい", "死にたい"),  # same reading
        ("彼に蹴られた", "蹴られ"),
        ("I am SUICIDAL", "suicid*"),
        ("ストーカーがいる", "ストーカー"),
        ("DV講座のあと、夫に蹴られた", "蹴られ"),  # a disclosure beside a topic word fires
        ("しぬ", "しぬ"),  # a sign alone
        ("もう 限界 😢", "限界"),
        ("there is no place to sleep tonight", "no + place + sleep"),  # Latin words in order
    ],
)
def test_word_layer_mechanics(text, rule):
    rules, problems = read_crisis_rules(MECHANICS, "crisis.yaml")
    assert problems == [] and rules is not None
    hit = CrisisDetector(rules).detect(text)
    assert hit is not None and hit.rule == rule, (text, hit)


@pytest.mark.parametrize(
    "text",
    [
        "これは受けられますか",  # 蹴られ (けられ) is not in う|けられ: readings start at a word
        "弁護士にたいへん助けられた",
        "話すとかできますか",  # ストーカー keeps its ー
        "死ぬほどおいしい",  # not_crisis
        "ストーカー講座に申し込みたい",  # a topic named, not lived
        "昔は死にたいと思っていたけど、今は元気です",  # over now
        "彼女に蹴られたww",  # a joke, for a rule listed under joking
        "I want to dye my hair",
        "限界まで頑張ったけど給付金の申請が通らない",  # 限界 is a sign only alone
        "I sleep well, there is no place like home",  # the words, but not in that order
    ],
)
def test_word_layer_leaves_everyday_messages_alone(text):
    rules, _ = read_crisis_rules(MECHANICS, "crisis.yaml")
    assert rules is not None
    assert CrisisDetector(rules).detect(text) is None, text
