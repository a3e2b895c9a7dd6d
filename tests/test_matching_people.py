"""How people really write: the hybrid matcher on a small knowledge base built here."""

from __future__ import annotations

import pytest

from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase
from helpbot.matching import build_matcher
from helpbot.matching.base import Decision, Matcher


def _entry(
    entry_id: str,
    question: str,
    answer: str,
    *,
    alternates: tuple[str, ...] = (),
    language: str = "ja",
) -> Entry:
    return Entry(
        id=entry_id,
        kind=EntryKind.FAQ,
        question=question,
        answer=answer,
        alternates=alternates,
        language=language,
    )


KB = KnowledgeBase(
    entries=(
        _entry(
            "food", "食料の支援を受けたい", "フードバンクで毎週水曜日に食料品をお渡ししています。"
        ),
        _entry(
            "juminhyo",
            "住民票はどこで取れますか",
            "住民票の写しは市役所の市民課の窓口で発行します。",
        ),
        _entry(
            "gomi", "粗大ゴミの出し方", "粗大ゴミは事前に電話で申し込み、収集日に出してください。"
        ),
        _entry("rent", "家賃が払えない", "住居確保給付金で家賃の補助を受けられる場合があります。"),
        _entry(
            "funeral",
            "葬儀の費用を助成してほしい",
            "家族が亡くなったとき、葬祭費の支給を受けられます。",
        ),
        _entry("single", "ひとり親家庭の支援", "母子家庭・父子家庭には児童扶養手当があります。"),
        _entry(
            "wifi", "Wi-Fiは使えますか", "事務所ではフリーWi-Fiを使えます。パスワードは受付で。"
        ),
        _entry(
            "mynumber",
            "マイナンバーカードを作りたい",
            "マイナンバーカードの申請は市役所か郵送で受け付けています。",
        ),
        _entry(
            "hours-en",
            "What are your opening hours?",
            "We are open Monday to Friday, 10:00 to 17:00.",
            language="en",
        ),
        _entry(
            "food-en",
            "How can I get food support?",
            "Our food bank gives out groceries every Wednesday.",
            language="en",
        ),
    ),
    synonyms=(("シングルマザー", "ひとり親", "母子家庭"),),
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return build_matcher(KB)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # typos and slips
        ("住民表はどこでとれますか", "juminhyo"),
        ("家賃がはらえない", "rent"),
        ("粗大ゴミのだしかた", "gomi"),
        ("マイナンバーカードを作りたぃ", "mynumber"),
        # hiragana only instead of kanji / katakana
        ("そだいごみのだしかた", "gomi"),
        ("しょくりょうのしえん", "food"),
        ("まいなんばーかーど", "mynumber"),
        # full / half width
        ("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞを作りたい", "mynumber"),
        ("ＷＩ－ＦＩは使えますか", "wifi"),
        # casual vs polite endings
        ("住民票ってどこで取れる？", "juminhyo"),
        ("家賃払えないんだけど…", "rent"),
        ("食料の支援を受けたいのですが、よろしいでしょうか", "food"),
        ("粗大ごみ出したい！！", "gomi"),
        # mixed Japanese and English
        ("wifi使える？", "wifi"),
        ("マイナンバー card 作りたい", "mynumber"),
        # meaning through synonyms (Sudachi groups, staff synonyms)
        ("葬式のお金を助けてほしい", "funeral"),
        ("シングルマザーへの支援", "single"),
        # English questions against English entries
        ("what time are you open?", "hours-en"),
        ("opening hour", "hours-en"),
        ("Where can I get free food?", "food-en"),
    ],
)
def test_people_find_the_right_entry(matcher: Matcher, message: str, expected: str) -> None:
    candidates = matcher.rank(message, limit=3)
    assert candidates, f"no candidate for {message!r}"
    assert candidates[0].entry.id == expected, [(c.entry.id, c.score) for c in candidates]


def test_scores_are_0_to_100_and_sorted(matcher: Matcher) -> None:
    candidates = matcher.rank("住民票はどこで取れますか", limit=10)
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 100.0 for s in scores)
    assert len(candidates) <= 10


def test_exact_question_is_answered_directly(matcher: Matcher) -> None:
    assert matcher.bands.decide(matcher.rank("住民票はどこで取れますか")) is Decision.ANSWER


@pytest.mark.parametrize("message", ["", "   ", "。。。", "zzzzqqq"])
def test_nonsense_falls_back(matcher: Matcher, message: str) -> None:
    assert matcher.bands.decide(matcher.rank(message)) is Decision.FALLBACK


def test_limit_is_respected(matcher: Matcher) -> None:
    assert len(matcher.rank("支援", limit=2)) <= 2


def test_empty_knowledge_base() -> None:
    matcher = build_matcher(KnowledgeBase(entries=()))
    assert matcher.rank("住民票") == []
