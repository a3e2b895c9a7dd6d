"""A black-box trial of crisis detection with messages written the way people write at night
on a phone (2026-12-01, branch trialcrisis): what it missed or raised wrongly, fixed by general
rules. The messages are written here, not taken from the evaluation sets.

- A plea with the words people put around it (「たすけてください」「だれかたすけて」「もうむり」
  「もうだめかも」, "someone help me", "socorro por favor") missed: an ``alone`` word fired only
  as the whole message; multi-word ``alone`` entries ("help me") never fired at all.
- "Help" in Portuguese, Tagalog, Korean, Nepali, Burmese, Indonesian, Vietnamese missed.
- "mi novio me amenaza con matarme" (threatens to kill me) went to the suicide lines: the short
  "matarme" won over the longer violence expression; and its Spanish "me" was read as the
  Vietnamese mẹ (mother), filing it as a child's danger.
- "mi esposo me pega" got the Portuguese reply; 「不想活了」 the Japanese one.
- A third round, written after those fixes: a plea with a sentence-final particle
  (「たすけてよ」「限界です」「救救我吧」「살려줘요」) or its pronouns ("cuu em voi",
  "tulungan mo ko", "tolong aku dong") still missed.
"""

from __future__ import annotations

import pytest

from helpbot.crisis.alone import LoneWords
from helpbot.crisis.detector import reply_language
from helpbot.crisis.text import shared_morphology
from helpbot.matching.language import detect

LONE_PLEAS = [
    ("たすけてください", "violence"),
    ("だれかたすけて", "violence"),
    ("ねえたすけて", "violence"),
    ("お願い助けて", "violence"),
    ("もうむり", "suicide"),
    ("もうだめかも", "suicide"),
    ("限界かも", "suicide"),
    ("help me please", "violence"),
    ("someone help me", "violence"),
    ("socorro por favor", "violence"),
    ("tulong po", "violence"),
    ("🆘", "violence"),
    # sentence-final particles and a plea's pronouns (a third round, after the fixes above)
    ("たすけてよ", "violence"),
    ("限界です", "suicide"),
    ("もうやだ", "suicide"),
    ("救救我吧", "violence"),
    ("살려줘요", "violence"),
    ("cuu em voi", "violence"),
    ("tulungan mo ko", "violence"),
    ("tolong aku dong", "violence"),
    ("मलाई मद्दत गर्नुहोस्", "violence"),
]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ajuda", "pt"),
        ("me ajudem", "pt"),
        ("ayúdenme", "es"),
        ("tulong", "tl"),
        ("tulungan mo ako", "tl"),
        ("살려주세요", "ko"),
        ("मलाई बचाउनुहोस्", "ne"),
        ("ကယ်ပါ", "my"),
        ("tolong saya", "id"),
        ("cuu toi voi", "vi"),
        ("cứu tôi với", "vi"),
    ],
)
def test_help_in_the_languages_people_write_in_fires_and_is_answered_in_it(words_only, text,
                                                                           language):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == "violence", (text, hit)
    assert hit.language == language


@pytest.mark.parametrize(
    "text",
    [
        "助けてくれてありがとう",
        "たすかりました",
        "無理なら大丈夫です",
        "もう大丈夫です",
        "help me find a food bank",
        "can you help me with my visa",
        "tolong kirim informasinya",
        "ajuda com o aluguel",
        "料理で指切っちゃった笑",
        "今日で最後の出勤でした",
        "しぬほどねむい",  # happy hyperbole in kana: 眠 alone reads ねむり, 眠い ねむい
        "しぬほどすき",
        "死ぬほどお腹すいた",
        "DV防止のポスター作ってます",
        "salamat po",
        "ok ya",
        "terima kasih ya",
    ],
)
def test_everyday_messages_near_a_plea_do_not_fire(words_only, text):
    assert words_only.detect(text) is None, text


def test_a_multi_word_alone_entry_fires_as_written():
    lone = LoneWords([("violence", "help me"), ("suicide", "もう無理")],
                     shared_morphology().reading)
    assert lone.find("help me") == ("violence", "help me")
    assert lone.find("Help me!!") == ("violence", "help me")
    assert lone.find("もうむり") == ("suicide", "もう無理")  # by reading
    assert lone.find("help me find a food bank") is None


# ways of saying it the lists lacked
LACKED = [
    ("旦那から逃げたい", "violence"),
    ("彼氏から逃げ出したい", "violence"),
    ("ころしてほしい", "suicide"),
    ("誰か殺して", "suicide"),
    ("i cant do this anymore", "suicide"),
    ("I can't go on", "suicide"),
    ("今日で最後にします", "suicide"),
    ("今夜で最後にしよう", "suicide"),
    ("saya mau mati", "suicide"),
    ("no tengo casa", "no_shelter"),
    ("im homeless", "no_shelter"),
    ("i have nowhere to go", "no_shelter"),
    ("死にたすぎる", "suicide"),
    ("救救我", "violence"),
    ("tulungan niyo ako", "violence"),
]


@pytest.mark.parametrize(("text", "category"), LONE_PLEAS + LACKED)
def test_a_lone_plea_with_the_words_around_it_and_what_the_lists_lacked_fire(
        words_only, text, category):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == category, (text, hit)


def test_an_escape_that_is_over_does_not_fire(words_only):
    assert words_only.detect("夫から逃げたのは昔の話で、今は再婚して元気です") is None


@pytest.mark.parametrize(
    "text",
    [
        "mi novio me amenaza con matarme",
        "mi ex dice que me va a matar",
        "meu namorado ameaça me matar",
        "meu marido disse que vai me matar",
    ],
)
def test_a_threat_to_kill_me_is_not_filed_as_suicide(words_only, text):
    """A Latin expression inside a longer one gives way: "amenaza con matarme" over "matarme"."""
    hit = words_only.detect(text)
    assert hit is not None and hit.category in ("violence", "stalking"), (text, hit)
    assert not any(note.startswith("done by") for note in hit.notes)  # me is not mẹ


def test_a_longer_expression_elsewhere_in_the_message_does_not_take_over(words_only):
    """Only a hit inside a longer one gives way: 「husband hits me」 and 「i have nowhere to
    go」 are apart, and the categories' order decides."""
    hit = words_only.detect("my husband hits me and i have nowhere to go")
    assert hit is not None and hit.category == "violence", hit


@pytest.mark.parametrize("text", ["quiero matarme", "vou me matar", "me quiero matar"])
def test_killing_oneself_stays_suicide(words_only, text):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == "suicide", (text, hit)


@pytest.mark.parametrize(
    ("text", "doer"),
    [("me toi danh toi", "mẹ"), ("mẹ tôi đánh tôi", "mẹ"), ("bo toi danh toi hang ngay", "bố")],
)
def test_an_unaccented_vietnamese_parent_is_still_the_doer(words_only, text, doer):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == "child", (text, hit)
    assert f"done by 「{doer}」" in hit.notes


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mi esposo me pega", "es"),
        ("mi marido me pega", "es"),
        ("meu marido me bate", "pt"),
        ("meu esposo me pega", "pt"),
        ("socorro", "pt"),
        ("不想活了", "zh"),
        ("救命", "ja"),
        ("申請完了", "ja"),
    ],
)
def test_the_reply_language_of_short_spanish_portuguese_and_chinese(text, language):
    assert reply_language(text) == language
    assert detect(text) == language


@pytest.mark.parametrize("text", ["明日雨かな", "彼氏と別れた", "もう大丈夫です"])
def test_everyday_chat_is_not_an_example_sentence(detector, text):
    """The meaning layer put the first two near 「明日なんて来なければいい」 and a violence
    example, the learned model the third (a reply in an open case) near suicide: everyday chat
    (weather, a break-up, "it is all right now") is in ``crisis/data/everyday.yaml``."""
    assert detector.detect(text) is None, (text, detector.detect(text))


# A plea said with fear or hurry around it, and 「死んでもいい？」: the lead's check of the
# trial's "not fixed" list (all missed before).
@pytest.mark.parametrize(("text", "category"), [
    ("たすけて、こわい", "violence"),
    ("こわい たすけて", "violence"),
    ("はやくたすけて", "violence"),
    ("help me please im scared", "violence"),
    ("help im so scared", "violence"),
    ("help now", "violence"),
    ("ねえ、死んでもいい？", "suicide"),
    ("もう死んでもいいよね", "suicide"),
])
def test_a_plea_with_fear_or_hurry_around_it_fires(words_only, text, category):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == category, (text, hit)


@pytest.mark.parametrize("text", ["こわい", "im scared", "早く", "im scared of spiders",
                                  "help me with my homework please", "これ食べたら死んでもいい",
                                  "so scared lol", "now"])
def test_fear_or_hurry_alone_is_no_plea(words_only, text):
    assert words_only.detect(text) is None, (text, words_only.detect(text))


@pytest.mark.parametrize("text", ["socorro me ajuda", "socorro, me ajuda", "ajuda me", "ajuda-me",
                                  "me ajude por favor", "help me please help"])
def test_a_plea_of_listed_words_one_after_another_fires(words_only, text):
    """Each part a listed word ("socorro" then "me ajuda"): missed before (review)."""
    hit = words_only.detect(text)
    assert hit is not None and hit.category == "violence", (text, hit)


@pytest.mark.parametrize("text", ["help me with homework", "socorro que calor"])
def test_a_listed_word_among_other_words_is_no_lone_plea(words_only, text):
    assert words_only.detect(text) is None, (text, words_only.detect(text))
