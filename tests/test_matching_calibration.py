"""The calibrated answer/suggest/fallback decision: the shipped file, and what it does."""

from __future__ import annotations

import pytest

from helpbot.errors import MatchingConfigError
from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase
from helpbot.matching.base import Decision
from helpbot.matching.calibration import FEATURES, MODES, Calibration, default_calibration
from helpbot.matching.hybrid import HybridMatcher


@pytest.mark.parametrize("semantic", [True, False])
def test_shipped_calibration_is_sane(semantic: bool) -> None:
    cal = default_calibration(semantic=semantic)
    assert 0.0 < cal.suggest < cal.answer < 1.0
    assert len(cal.weights) == len(FEATURES) + 1
    coverage = FEATURES.index("coverage")
    base = list(cal.mean)
    low, high = list(base), list(base)
    low[coverage], high[coverage] = 0.1, 1.0
    # more of the message covered by the top entry: more confidence
    assert cal.probability(high) > cal.probability(low)


def test_a_broken_calibration_says_how_to_fix_it() -> None:
    good = default_calibration().as_dict()
    with pytest.raises(MatchingConfigError, match="fit_calibration"):
        Calibration.from_dict({**good, "features": ["top"]})
    with pytest.raises(MatchingConfigError, match="fit_calibration"):
        Calibration.from_dict({**good, "weights": "x"})
    with pytest.raises(MatchingConfigError, match="wrong number"):
        Calibration.from_dict({**good, "mean": [0.0]})
    assert set(MODES) == {"semantic", "lexical"}


def test_exact_question_is_answered_and_a_stranger_falls_back() -> None:
    kb = KnowledgeBase(
        entries=tuple(
            Entry(id=i, kind=EntryKind.FAQ, question=q, answer=a)
            for i, q, a in (
                ("juminhyo", "住民票はどこで取れますか", "市役所の市民課の窓口で発行します。"),
                ("gomi", "粗大ゴミの出し方", "粗大ゴミは電話で申し込んでください。"),
                ("rent", "家賃が払えない", "住居確保給付金で家賃の補助を受けられます。"),
            )
        )
    )
    matcher = HybridMatcher(kb)
    top = matcher.rank("住民票はどこで取れますか")
    assert top[0].entry.id == "juminhyo"
    assert matcher.bands.decide(top) is Decision.ANSWER
    assert matcher.bands.decide(matcher.rank("ｘｙｚｚｙ")) is Decision.FALLBACK
    assert all(0.0 <= c.score <= 100.0 for c in top)
