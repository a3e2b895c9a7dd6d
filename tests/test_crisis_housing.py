"""Housing messages: a room still to be found is a housing question, tonight without a roof is a
crisis (branch crisiscalib, 2026-12-01; tests/data/crisis_dev7_housing.yaml, docs/benchmarks.md).

Everyday housing lines were added to ``crisis/data/everyday.yaml`` (negatives of the example
sentences) and examples of a home lost today to ``no_shelter``. The learned layer is NOT
refitted: three refits with these lines lost recall on the held-out set, so its
mis-calibration on a pending eviction stays, marked ``xfail`` below.
The messages here are new wordings, not the lines of the dev set or of everyday.yaml.
"""

from __future__ import annotations

import pytest


def test_a_next_room_to_find_is_not_a_crisis(detector):
    text = "寮を出たら住む部屋を探さないといけない"  # was near the no_shelter examples
    assert detector.detect(text) is None, (text, detector.detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "身の回りの片付けが済んだ。あとはうさぎの引き取り手だけ",
        # a move does not excuse it: 「引っ越しの片付け」 was tried as not_crisis and dropped,
        # because it silenced this one too (a false alarm costs staff a minute; a miss, a life)
        "引っ越しの片付けは済んだ。もういいよね、犬をよろしく",
        # entrusting a pet is a weak sign: beside もういい / もう疲れた, or affairs put in order
        "もういいよね。ねこのこと、よろしくね",
        "インコをよろしく。もう疲れたよ",
        "身辺整理は済ませた。猫をお願い",
    ],
)
def test_affairs_in_order_and_a_pet_entrusted_fire_as_suicide(detector, text):
    hit = detector.detect(text)
    assert hit is not None and hit.category == "suicide", (text, hit)


@pytest.mark.parametrize(
    "text",
    [
        "入院するあいだ猫をお願いできるところはありますか",
        "ペット可の部屋を探しています。犬がいるのでよろしくお願いします",
    ],
)
def test_asking_someone_to_mind_a_pet_alone_is_not_a_crisis(detector, text):
    assert detector.detect(text) is None, (text, detector.detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "今日アパートを追い出された。今夜泊まれるところがない",
        "大家に今日中に出ていけと言われて鍵も替えられた。子どもと外にいます",
        "へや おいだされた。こんや ねる とこ ない",
        "Kicked out of my room today, nowhere to sleep tonight",
        "部屋を追い出されそうで、もう消えてしまいたい",  # a wish to die beside a pending eviction
    ],
)
def test_tonight_without_a_roof_and_danger_beside_housing_still_fire(detector, text):
    assert detector.detect(text) is not None, text


@pytest.mark.xfail(strict=True, reason="known: the word rule 部屋を追い出され fires on an eviction "
                   "still to come; listing 追い出されそう as not_crisis leaves it to the learned "
                   "layer, which calls it suicide (0.98), and refits that fixed it lost held-out "
                   "recall (docs/benchmarks.md, branch crisiscalib)")
def test_an_eviction_still_to_come_is_not_a_crisis(detector):
    text = "来月末で部屋を追い出されそう。引っ越し先を探すのを手伝ってもらえますか"
    assert detector.detect(text) is None


@pytest.mark.xfail(strict=True, reason="known: read back as 「家追いだされそう」, the learned "
                   "layer calls a kana eviction to come a child in danger (0.999); not refitted")
def test_an_eviction_to_come_in_kana_is_not_a_child_in_danger(detector):
    likely = detector._meaning.likely("いえ おいだされそう。らいげつ まで")
    assert likely is not None and not likely.fires, likely
