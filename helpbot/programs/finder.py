"""Which programs fit a person, and which question narrows them most.

1. Programs past their deadline, not ``active``, or outside the person's stated area are
   never shown; neither is one whose conditions a stated fact contradicts.
2. The rest are scored: a program the person names counts most, then one that helps with
   what the person needs (``helps_with`` against ``needs``; its first need counts double),
   then each condition that holds, weighted by how telling its fact is (pregnancy, violence,
   a single-parent household tell more than an income band); each unknown counts a little
   less. The NPO's own services come up when they meet a need.
3. The next question is the fact that splits the best candidates most: for every answer
   (taken as equally likely) we count the candidates it would rule out, weighted by their
   score; the fact with the largest expected weight ruled out is asked, at most
   ``max_questions`` times. 「わからない」 and 「答えたくない」 are always offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from helpbot.programs.conditions import evaluate
from helpbot.programs.facts import DECLINED, FACTS_BY_KEY, UNKNOWN, known
from helpbot.programs.records import ProgramRecord
from helpbot.programs.words import fold

MAX_QUESTIONS = 4
RESULTS = 5
CANDIDATES = 8  # the questions are chosen to split these
MIN_GAIN = 1.0  # a question that rules out less than this (expected weight) is not asked
# Facts we ask about, in the order used to break ties (most natural first).
ASKABLE = (
    "household", "children", "employment", "income", "youngest_child_age", "savings",
    "employment_insurance", "months_since_job_loss", "illness", "health_insurance", "age",
    "disability", "pregnant", "residence_status",
)
_NEED_LABELS = dict(FACTS_BY_KEY["needs"].value_labels)
_URGENT = frozenset({"violence", "shelter", "food"})
_SAID_WHEN_TRUE = frozenset({"pregnant", "student_loan"})
# How much a condition that holds tells about fit, by fact (others: 0.5).
_TELLING = {
    "pregnant": 3.0, "dv": 3.0, "student_loan": 3.0, "disability": 2.5, "nationality": 2.5,
    "household": 2.0, "illness": 1.5, "employment_insurance": 1.5, "age": 1.0,
    "youngest_child_age": 1.0, "children": 1.0, "months_since_job_loss": 1.0,
    "health_insurance": 1.0, "residence_status": 0.0,
}


@dataclass(frozen=True, slots=True)
class Match:
    program: ProgramRecord
    score: float
    why: tuple[str, ...]  # in Japanese, as ``helpbot programs find --json`` prints it
    unknown: tuple[str, ...]
    # The same reasons by key, for other languages: the person named the program, the needs
    # it helps with, the facts whose conditions hold.
    named: bool = False
    helped: tuple[str, ...] = ()
    held: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    fact: str
    text: str
    options: tuple[tuple[Any, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "fact": self.fact, "text": self.text,
            "options": [{"value": value, "label": label} for value, label in self.options],
        }


@dataclass(frozen=True, slots=True)
class Finding:
    facts: dict[str, Any]
    next_question: Question | None
    matches: tuple[Match, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The public contract of ``helpbot programs find --json``."""
        return {
            "facts": {k: list(v) if isinstance(v, tuple) else v for k, v in self.facts.items()},
            "next_question": self.next_question.to_json() if self.next_question else None,
            "programs": [
                {"id": m.program.id, "name": m.program.name, "why": list(m.why),
                 "unknown": list(m.unknown), "score": round(m.score, 3)}
                for m in self.matches
            ],
        }


def find_programs(
    programs: Iterable[ProgramRecord], facts: Mapping[str, Any], *, today: dt.date,
    asked: Iterable[str] = (), max_questions: int = MAX_QUESTIONS, language: str = "ja",
    text: str = "",
) -> Finding:
    """The best programs for these facts (and the person's words), and the next question."""
    facts = dict(facts)
    pool = [p for p in programs if p.language == language and p.available(today)
            and _in_area(p, facts)]
    ranked = rank(pool, facts, text=text)
    asked = set(asked)
    question = None
    if len(asked) < max_questions:
        question = _next_question(ranked[:CANDIDATES], facts, asked)
    return Finding(facts, question, tuple(ranked[:RESULTS]))


def rank(programs: Iterable[ProgramRecord], facts: Mapping[str, Any], *, text: str = "",
         ) -> list[Match]:
    """Programs not contradicted by any stated fact, best first."""
    needs = set(facts.get("needs") or ()) if known(facts, "needs") else set()
    folded = fold(text)
    matches = []
    for program in programs:
        verdict = evaluate(program.conditions, facts)
        if not verdict.ok:
            continue
        helped = [need for need in program.helps_with if need in needs]
        score = 1.5 * len(helped) - sum(_unknown_cost(key) for key in verdict.unknown)
        score += sum(_TELLING.get(key, 0.5) for key in verdict.held_keys)
        if helped and program.helps_with[0] in helped:
            # what the program is mainly for; more when that is urgent (violence, no roof)
            score += 3.0 if program.helps_with[0] in _URGENT else 1.5
        named = any(len(name) >= 3 and fold(name) in folded for name in program.names)
        if named:
            score += 4.0
        if program.level == "npo" and not helped:
            score -= 1.0  # the NPO's own services when they meet a need, not by default
        why = ["名前が出ました"] if named else []
        why += [f"{_NEED_LABELS.get(n, n)}のこまりごとに" for n in helped] + verdict.holds
        matches.append(Match(program, score, tuple(why), tuple(verdict.unknown), named=named,
                             helped=tuple(helped), held=tuple(dict.fromkeys(verdict.held_keys))))
    matches.sort(key=lambda m: (-m.score, m.program.id))
    return matches


def _unknown_cost(key: str) -> float:
    """How much not knowing a fact counts against a program."""
    if key in _SAID_WHEN_TRUE:
        return 3.0  # people say they are pregnant or repaying a loan when they are
    return 0.25 + 0.4 * _TELLING.get(key, 0.5)


def _in_area(program: ProgramRecord, facts: Mapping[str, Any]) -> bool:
    if not program.service_areas or not known(facts, "prefecture"):
        return True
    return any(area.prefecture in (None, facts["prefecture"]) for area in program.service_areas)


def _next_question(
    candidates: list[Match], facts: dict[str, Any], asked: set[str],
) -> Question | None:
    if len(candidates) < 2 or not any(match.unknown for match in candidates[:RESULTS]):
        return None  # the programs shown depend on nothing we could still ask
    weights = [max(match.score, 0.0) + 1.0 for match in candidates]
    best: tuple[float, int, str] | None = None
    for order, key in enumerate(ASKABLE):
        if key in asked or key in facts or not _sensible(key, facts):
            continue
        if not any(key in match.unknown for match in candidates):
            continue
        gain = _expected_ruled_out(key, candidates, weights, facts)
        if gain >= MIN_GAIN and (best is None or (gain, -order) > (best[0], -best[1])):
            best = (gain, order, key)
    if best is None:
        return None
    fact = FACTS_BY_KEY[best[2]]
    options = (*fact.options, (UNKNOWN, "わからない"), (DECLINED, "答えたくない"))
    return Question(fact.key, fact.question, options)


def _sensible(key: str, facts: Mapping[str, Any]) -> bool:
    """Questions that only make sense after an earlier answer."""
    if key == "months_since_job_loss":
        return facts.get("employment") in {"lost_job", "not_working"}
    if key == "employment_insurance":
        return facts.get("employment") in {"lost_job", "not_working", None, UNKNOWN}
    if key == "youngest_child_age":
        return facts.get("children") != 0
    if key == "residence_status":
        return facts.get("nationality") == "foreign"
    return True


def _expected_ruled_out(
    key: str, candidates: list[Match], weights: list[float], facts: Mapping[str, Any],
) -> float:
    options = FACTS_BY_KEY[key].options
    total = 0.0
    for value, _label in options:
        trial = {**facts, key: value}
        total += sum(weight for match, weight in zip(candidates, weights, strict=True)
                     if not evaluate(match.program.conditions, trial).ok)
    return total / len(options)
