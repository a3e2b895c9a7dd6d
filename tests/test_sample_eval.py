"""The production matcher on realistic messages against the sample ``faq/``.

``tests/data/sample_eval.yaml`` holds messages as people in need really type them (casual,
typos, wrong kanji, hiragana only, emoji, some English), each with the entry id(s) that should
answer it. The test ranks every message once and reports:

* P@1: the top entry is one of the expected ids;
* SR@3: an expected id is among the top 3 (the "did you mean" buttons);
* the decision mix: how many are answered directly, and how many of those are wrong.

Run ``pytest -s tests/test_sample_eval.py`` to see the report.

Measured on 2026-11-27 (159 messages, 80 sample entries, default bands answer>=62 suggest>=10,
sentence-vector weight 1.5):

* production matcher (words + sentence vectors): P@1 0.830, SR@3 0.943, answered directly
  0.113 (wrong direct answers 0.000), "did you mean" 0.836, fallback 0.050;
* ``semantic=False`` (lexical fields only): P@1 0.748, SR@3 0.881, answered directly 0.132
  (wrong 0.000), "did you mean" 0.843, fallback 0.025.

(With weight 1.0 and bands 64/13: 0.818 / 0.943 and 0.742 / 0.881.)

Measured on 2026-11-30 with the calibrated decision (helpbot/matching/calibration.json):
production P@1 0.836, SR@3 0.943, answered directly 0.264 (wrong 0.000), "did you mean" 0.711,
fallback 0.025; ``semantic=False``: P@1 0.755, SR@3 0.881, answered 0.126 (wrong 0.000),
"did you mean" 0.767, fallback 0.107.

Measured on 2026-11-30 (later, the broader glossary and foreign messages scored on their own
words against the entries in their language): production P@1 0.818, SR@3 0.943, answered 0.214
(wrong 0.000), "did you mean" 0.761, fallback 0.025; ``semantic=False``: P@1 0.730, SR@3 0.874.

Most misses are paraphrases that share no word with the entry (「リボ払い」 for 借金,
「まんきつ」 for ネットカフェ, hiragana-only program names such as 「じどうふようてあて」).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from helpbot.knowledge.entries import KnowledgeBase
from helpbot.knowledge.loader import load_dir
from helpbot.matching import build_matcher
from helpbot.matching.base import Decision, Matcher

FAQ_DIR = Path(__file__).parent.parent / "faq"
EVAL_FILE = Path(__file__).parent / "data" / "sample_eval.yaml"

# Floors ~0.05 under what was measured on 2026-11-27 (see the module docstring); the
# wrong-direct-answer share may rise by 0.05 over the measured 0.000 and never above 0.15.
P_AT_1_FLOOR = 0.78  # measured 0.818 (2026-11-30)
SR_AT_3_FLOOR = 0.89  # measured 0.943
WRONG_ANSWER_CEILING = 0.05  # measured 0.000
# The lexical fields alone (semantic=False): cheap to build, so they get floors too.
LEXICAL_P_AT_1_FLOOR = 0.69  # measured 0.748
LEXICAL_SR_AT_3_FLOOR = 0.83  # measured 0.881
LEXICAL_WRONG_ANSWER_CEILING = 0.05  # measured 0.000


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expected: frozenset[str]


@dataclass(frozen=True, slots=True)
class Report:
    total: int
    p_at_1: float
    sr_at_3: float
    answered: float  # share of messages answered directly
    wrong_answers: float  # share of direct answers whose entry is not expected
    suggested: float
    fell_back: float
    misses: tuple[tuple[str, str, str], ...]  # (text, expected, top entry) where top-1 is wrong


def _load_cases() -> list[Case]:
    raw = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    cases = []
    for item in raw:
        expected = item["expected"]
        ids = [expected] if isinstance(expected, str) else list(expected)
        cases.append(Case(text=str(item["text"]), expected=frozenset(ids)))
    return cases


CASES = _load_cases()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    knowledge, problems = load_dir(FAQ_DIR)
    assert problems == [], problems
    return knowledge


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return build_matcher(kb)


def evaluate(matcher: Matcher, cases: list[Case]) -> Report:
    top1 = top3 = answered = wrong = suggested = fell_back = 0
    misses = []
    for case in cases:
        candidates = matcher.rank(case.text, limit=10)
        ids = [c.entry.id for c in candidates]
        first_right = bool(ids) and ids[0] in case.expected
        top1 += first_right
        top3 += any(i in case.expected for i in ids[:3])
        if not first_right:
            misses.append((case.text, "|".join(sorted(case.expected)), ids[0] if ids else "-"))
        decision = matcher.bands.decide(candidates)
        if decision is Decision.ANSWER:
            answered += 1
            wrong += not first_right
        elif decision is Decision.SUGGEST:
            suggested += 1
        else:
            fell_back += 1
    total = len(cases)
    return Report(
        total=total,
        p_at_1=top1 / total,
        sr_at_3=top3 / total,
        answered=answered / total,
        wrong_answers=wrong / answered if answered else 0.0,
        suggested=suggested / total,
        fell_back=fell_back / total,
        misses=tuple(misses),
    )


def _print(label: str, report: Report) -> None:
    print(
        f"\n[{label}] {report.total} messages: P@1 {report.p_at_1:.3f}  SR@3 {report.sr_at_3:.3f}"
        f"  answered {report.answered:.3f} (wrong {report.wrong_answers:.3f})"
        f"  suggest {report.suggested:.3f}  fallback {report.fell_back:.3f}"
    )
    for text, expected, got in report.misses:
        print(f"  miss: {text!r}  expected {expected}  got {got}")


def test_eval_set_is_big_enough() -> None:
    assert len(CASES) >= 110


def test_every_expected_id_exists(kb: KnowledgeBase) -> None:
    known = {entry.id for entry in kb.entries}
    unknown = sorted({i for case in CASES for i in case.expected} - known)
    assert unknown == [], f"sample_eval.yaml names ids missing from faq/: {unknown}"


def test_production_matcher_on_sample_faq(matcher: Matcher) -> None:
    report = evaluate(matcher, CASES)
    _print("semantic", report)
    assert report.p_at_1 >= P_AT_1_FLOOR
    assert report.sr_at_3 >= SR_AT_3_FLOOR
    assert report.wrong_answers <= WRONG_ANSWER_CEILING


def test_lexical_matcher_on_sample_faq(kb: KnowledgeBase) -> None:
    report = evaluate(build_matcher(kb, semantic=False), CASES)
    _print("lexical", report)
    assert report.p_at_1 >= LEXICAL_P_AT_1_FLOOR
    assert report.sr_at_3 >= LEXICAL_SR_AT_3_FLOOR
    assert report.wrong_answers <= LEXICAL_WRONG_ANSWER_CEILING
