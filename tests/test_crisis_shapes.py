"""Shapes of danger the word layers missed (crisis_fresh.yaml's misses, December 2026), and
the weak-sign layer made for some of them (``weak`` in crisis.yaml, ``crisis/weak.py``).

The messages here are new wordings of those shapes, not the set's lines; the everyday ones
share their words. tests/data/crisis_dev5.yaml holds more of both.
"""

from __future__ import annotations

import pytest

from helpbot.crisis.detector import CrisisDetector
from helpbot.knowledge.crisis_file import read_crisis_rules

WEAK = """
categories:
  - id: suicide
    name: 自殺
    expressions: [死にたい]
    weak: ["ロープ + 買う", "猫 + 引き取る|里親", "片付け + 終わる"]
  - id: trafficking
    name: 強制労働
    expressions: [パスポートを取り上げられた]
    weak: ["休み + ない", "お金|かね + もらえる + ない", "no + day + off"]
  - id: medical
    name: 救急
    expressions: [意識がない]
    weak: ["急 + 倒れる", "倒れる + て", "返事 + ない"]
distress: [もういい, ばいばい, 😭]
resources:
  intro: {ja: あなたの安全がいちばん大切です}
"""


def _weak_detector() -> CrisisDetector:
    rules, problems = read_crisis_rules(WEAK, "crisis.yaml")
    assert problems == [] and rules is not None
    return CrisisDetector(rules)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("ロープ買ってきた。もういいよね", "suicide"),  # a weak sign beside distress
        ("片付けも終わったし、あとは猫の引き取り先だけ", "suicide"),  # two weak signs
        ("やすみ ない。おかね もらえない", "trafficking"),  # two, in kana
        ("休みがない😭", "trafficking"),
        ("no day off for months 😭", "trafficking"),  # Latin-letter weak patterns
        ("急に倒れて返事がない", "medical"),
    ],
)
def test_weak_signs_count_beside_distress_or_another(text, category):
    hit = _weak_detector().detect(text)
    assert hit is not None and hit.category == category and hit.layer == "weak", (text, hit)


@pytest.mark.parametrize(
    "text",
    [
        "引っ越し用にロープを買いたいです",  # one weak sign, no distress
        "引っ越しで猫の里親を探しています",
        "休みがない会社です。給料日は25日です",
        "ロープを買って、休みがない",  # weak signs of two categories are not two of one
        "もういいです、ありがとう",  # distress without a weak sign
        "祖母が急に倒れて入院しました",  # two patterns over the same words are one sign
    ],
)
def test_a_weak_sign_alone_does_not_fire(text):
    assert _weak_detector().detect(text) is None, text


def test_an_unreadable_weak_pattern_is_reported():
    _, problems = read_crisis_rules(WEAK.replace('"片付け + 終わる"', '"片付け"'), "crisis.yaml")
    assert any("片付け" in p.message for p in problems), problems


EVERYDAY = [  # everyday questions with the same words: none fires
    "引っ越しの準備ができたので、ロープと段ボールを買いました",
    "処方薬をためてしまいました。薬局に返せますか",
    "旅行に行くので猫を友達に預けたい。部屋の片付けも終わった",
    "部屋の片付けが終わったら、不用品を全部処分したいです",
    "救急車を呼ぶとお金はかかりますか",
    "救急車の呼び方を子どもに教えたい",
    "祖母が急に倒れて入院しました。介護保険の申請について",
    "保険証がないのですが病院に行けますか",
    "保険がない。病院がわからない",
    "アフターピルってどこで買えますか",
    "手術の同意書にサインが必要ですか",
    "福岡で暮らされている外国人向けの相談",
    "休みがない会社です。給料日は25日です",
    "毎日8時間働いて、休みは土日です。給料はいつもらえますか",
    "今日中に社宅を出ないといけないので、転出届はどこで出せますか",
    "次の家はまだ決まっていませんが、来月引っ越す予定です",
    "息子が昨日から修学旅行で家にいないので寂しい",
    "Anak saya umur 5 tahun, apakah bisa masuk TK?",
    "Mi hijo de 10 años puede quedarse solo en casa?",
    "Con 5 tuổi ở nhà một mình có được không?",
    "もういいです。ありがとうございました",
]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # suicide preparations said indirectly
        ("縄を買ってきた。もう準備はできてる", "suicide"),
        ("薬ずっと貯めてた。今夜それ使おうと思う", "suicide"),
        ("💊💊💊 いまから ぜんぶ のむ ばいばい", "suicide"),
        ("部屋の片付けも済んだ。猫の里親さんも見つかった", "suicide"),
        ("働く意味も生きる理由もわからない", "suicide"),
        # days without food, rough
        ("金なくて4日まともに飯食ってない", "no_food"),
        ("もう5日も飯抜き", "no_food"),
        # medical emergencies
        ("救急車ってどうやって呼べばいいの", "medical"),
        ("救急車呼んでください", "medical"),
        ("救急車来てほしい", "medical"),
        ("母ちゃんが倒れとって起きらん", "medical"),
        ("うちの人が急に倒れて、なんも言わん", "medical"),
        ("エビ食べたら喉が腫れてきた、息が苦しい", "medical"),
        ("おなか すごく いたい。びょういん わからない", "medical"),
        # a child
        ("中3の息子が昨日の夜から帰らない、電話もつながらない", "child"),
        ("泣き止まないの もう無理 投げちゃいそう😭", "child"),
        ("Mi hija de 4 años se queda sola en casa cuando trabajo", "child"),
        ("Meu filho de 3 anos está sozinho em casa", "child"),
        ("Anak saya umur 4 tahun sendirian di rumah, saya lagi kerja", "child"),
        ("My 6 year old is home alone and I'm stuck at work", "child"),
        ("मेरी छोरी घरमा एक्लै छ, म काममा छु", "child"),
        ("Tôi để con 3 tuổi ở nhà một mình để đi làm", "child"),
        ("Iniwan ko ang anak ko sa bahay mag-isa, nasa trabaho ako", "child"),
        # sexual violence, violence in dialect
        ("てんちょう わたしの むね さわる。こわい", "sexual_violence"),
        ("合意じゃなかった。アフターピルほしい", "sexual_violence"),
        ("旦那にくらされて顔が腫れとる", "violence"),
        # forced labour in やさしい日本語
        ("しごと やすみ ない。まいにち 15じかん。おかね もらえない", "trafficking"),
        # no place tonight, buried in a procedure or in another language
        ("雇用保険の手続きについて。寮を今日中に出ないといけないのですが、"
         "次の部屋はありません。", "no_shelter"),
        ("Malam ini saya tidak punya tempat tidur", "no_shelter"),
        *((text, None) for text in EVERYDAY),
    ],
)
def test_shapes_the_word_layers_missed_now_fire(words_only, text, category):
    found = words_only.detect(text)
    assert (found.category if found else None) == category, (text, found)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # wages not paid, alone, is a labour question: the NPO's answer, not the police
        ("給料を払ってもらえない。どこに相談すればいい？", None),
        ("先月の給料もらってない", None),
        ("バイト代を払ってもらえない", None),
        # beside being held, or papers taken, it is forced labour
        ("パスポートを社長に取られて、給料も払ってもらえない", "trafficking"),
        ("給料もらってないし寮から出してもらえない", "trafficking"),
        ("3ヶ月給料もらってない。辞めさせてくれない", "trafficking"),
    ],
)
def test_unpaid_wages_alone_are_not_forced_labour(detector, text, category):
    found = detector.detect(text)
    assert (found.category if found else None) == category, (text, found)


@pytest.mark.parametrize("text", ["夫が働かなくてお金を入れてくれない", "旦那がお金を家に入れない"])
def test_a_husband_who_keeps_the_money_is_the_faqs_question_not_trafficking(detector, text):
    """The meaning layer took these for 「夫に家から一歩も出させてもらえない」 (trafficking)
    while the sample FAQ had no entry for them; with dv-money they are the NPO's question."""
    assert detector.detect(text) is None
