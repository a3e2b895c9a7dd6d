"""A program's ``conditions``: who it is for, written so staff can read it.

```yaml
conditions:
  household: [single_parent]        # one of these values
  youngest_child_age: {max: 18}      # a number range (min and/or max, both included)
  employment_insurance: false        # yes / no
  any_of:                            # at least one of these groups holds
    - {employment: [lost_job], months_since_job_loss: {max: 24}}
    - {income: [none, very_low, low]}
```

Every clause meets a person's facts in one of three ways: it holds, it is contradicted (the
fact is known and does not fit), or it is unknown. Unknown never rules a program out.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from helpbot.programs.facts import FACTS_BY_KEY, Fact, FactKind, coerce, known


class Outcome(StrEnum):
    HOLDS = "holds"
    CONTRADICTED = "contradicted"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Clause:
    """One fact and what it must be: a set of values, a number range, or yes/no."""

    key: str
    values: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def describe(self) -> str:
        fact = FACTS_BY_KEY[self.key]
        if fact.kind is FactKind.NUMBER:
            low = "" if self.minimum is None else f"{self.minimum}"
            high = "" if self.maximum is None else f"{self.maximum}"
            return f"{fact.label}: {low}〜{high}"
        return f"{fact.label}: " + "・".join(fact.describe(v) for v in self.values)


@dataclass(frozen=True, slots=True)
class Conditions:
    """All clauses must hold; of the ``any_of`` groups, at least one."""

    clauses: tuple[Clause, ...] = ()
    any_of: tuple[Conditions, ...] = ()

    def keys(self) -> set[str]:
        found = {clause.key for clause in self.clauses}
        for group in self.any_of:
            found |= group.keys()
        return found


@dataclass(slots=True)
class Verdict:
    contradicted: list[str] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)
    held_keys: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # fact keys still to find out

    @property
    def ok(self) -> bool:
        return not self.contradicted


# (line, English message, hint) — knowledge/records.py turns them into Problems.
ConditionProblem = tuple[int, str, str]
# Facts that are not conditions, and what to write instead.
_NOT_CONDITIONS = {
    "needs": "write what the program helps with under helps_with:",
    "prefecture": "write the area under service_areas:",
}
_HINT = "see faq/README.md, 'conditions'"


def parse_conditions(value: Any, line: int) -> tuple[Conditions, list[ConditionProblem]]:
    """Read a ``conditions`` mapping as staff wrote it; problems name the line of each key."""
    problems: list[ConditionProblem] = []
    conditions = _parse_group(value, line, "conditions", problems)
    return conditions, problems


def _parse_group(value: Any, line: int, where: str, problems: list[ConditionProblem]) -> Conditions:
    if not isinstance(value, Mapping):
        problems.append((line, f"'{where}' must be a mapping of facts",
                         "write it like: conditions: {household: [single_parent]}"))
        return Conditions()
    lines: dict[str, int] = getattr(value, "key_lines", {})
    clauses: list[Clause] = []
    groups: list[Conditions] = []
    for key, raw in value.items():
        key_line = lines.get(key, line)
        if key == "any_of":
            items = raw if isinstance(raw, list) else None
            if not items:
                problems.append((key_line, "'any_of' must be a list of condition groups", _HINT))
                continue
            item_lines = getattr(raw, "item_lines", [key_line] * len(items))
            groups.extend(
                _parse_group(item, item_lines[index], "any_of", problems)
                for index, item in enumerate(items)
            )
            continue
        fact = FACTS_BY_KEY.get(key) if key not in _NOT_CONDITIONS else None
        if key in _NOT_CONDITIONS:
            problems.append((key_line, f"'{key}' is not a condition",
                             _NOT_CONDITIONS[key]))
            continue
        if fact is None:
            close = difflib.get_close_matches(key, [*FACTS_BY_KEY, "any_of"], n=1)
            hint = (f"did you mean '{close[0]}'?" if close
                    else f"known facts: {', '.join(FACTS_BY_KEY)}")
            problems.append((key_line, f"unknown condition '{key}'", hint))
            continue
        clause = _clause(fact, raw, key_line, problems)
        if clause is not None:
            clauses.append(clause)
    return Conditions(tuple(clauses), tuple(groups))


def _clause(fact: Fact, raw: Any, line: int, problems: list[ConditionProblem]) -> Clause | None:
    key = fact.key
    if fact.kind is FactKind.NUMBER:
        if not isinstance(raw, Mapping) or not raw or set(raw) - {"min", "max"}:
            problems.append((line, f"condition '{key}' must be a range",
                             f"write it like: {key}: {{min: 20, max: 64}}"))
            return None
        try:
            low = None if raw.get("min") is None else coerce(key, raw["min"])
            high = None if raw.get("max") is None else coerce(key, raw["max"])
        except ValueError as error:
            problems.append((line, f"condition '{key}': {error}", "use whole numbers"))
            return None
        return Clause(key, minimum=low, maximum=high)
    if fact.kind is FactKind.FLAG:
        try:
            return Clause(key, values=(coerce(key, raw),))
        except ValueError:
            problems.append((line, f"condition '{key}' must be true or false",
                             f"write it like: {key}: true"))
            return None
    items = raw if isinstance(raw, list) else [raw]
    values = []
    for item in items:
        if not isinstance(item, str) or (fact.choices and item not in fact.choices):
            close = difflib.get_close_matches(str(item), fact.choices, n=1)
            hint = (f"did you mean '{close[0]}'?" if close
                    else f"use one of: {', '.join(fact.choices)}")
            problems.append((line, f"condition '{key}' has an unknown value {item!r}", hint))
            continue
        values.append(item)
    return Clause(key, values=tuple(values)) if values else None


def evaluate(conditions: Conditions, facts: Mapping[str, Any]) -> Verdict:
    """How a person's facts meet the conditions: what holds, contradicts, is unknown."""
    verdict = Verdict()
    for clause in conditions.clauses:
        outcome = clause_outcome(clause, facts)
        if outcome is Outcome.HOLDS:
            verdict.holds.append(_stated(clause, facts))
            verdict.held_keys.append(clause.key)
        elif outcome is Outcome.CONTRADICTED:
            verdict.contradicted.append(clause.describe())
        elif clause.key not in verdict.unknown:
            verdict.unknown.append(clause.key)
    if conditions.any_of:
        parts = [evaluate(group, facts) for group in conditions.any_of]
        best = [part for part in parts if part.ok and not part.unknown]
        open_parts = [part for part in parts if part.ok]
        if best:
            verdict.holds.extend(best[0].holds)
            verdict.held_keys.extend(best[0].held_keys)
        elif not open_parts:
            verdict.contradicted.append(
                " / ".join("・".join(part.contradicted) for part in parts))
        else:
            for part in open_parts[:1]:
                verdict.holds.extend(h for h in part.holds if h not in verdict.holds)
                verdict.held_keys.extend(part.held_keys)
            for part in open_parts:
                verdict.unknown.extend(k for k in part.unknown if k not in verdict.unknown)
    return verdict


def _stated(clause: Clause, facts: Mapping[str, Any]) -> str:
    """Why a clause holds, in the person's terms: 「世帯: ひとり親と子ども」."""
    fact = FACTS_BY_KEY[clause.key]
    if known(facts, clause.key):
        value = facts[clause.key]
        return f"{fact.label}: {value}" if fact.kind is FactKind.NUMBER else (
            f"{fact.label}: {fact.describe(value)}")
    return clause.describe()


def clause_outcome(clause: Clause, facts: Mapping[str, Any]) -> Outcome:
    """One clause against the facts; a few facts are implied by others."""
    key = clause.key
    special = _implied_outcome(clause, facts)
    if special is not None:
        return special
    value = _implied(key, facts)
    if value is None:
        return Outcome.UNKNOWN
    fact = FACTS_BY_KEY[key]
    if fact.kind is FactKind.NUMBER:
        return _in_range(clause, value, facts)
    return Outcome.HOLDS if value in clause.values else Outcome.CONTRADICTED


def _in_range(clause: Clause, value: int, facts: Mapping[str, Any]) -> Outcome:
    if clause.key == "youngest_child_age" and clause.minimum is not None and (
            clause.maximum is None or value <= clause.maximum) and value < clause.minimum:
        # Only the youngest child's age is known: an older child may still fit.
        return Outcome.CONTRADICTED if facts.get("children") == 1 else Outcome.UNKNOWN
    if clause.minimum is not None and value < clause.minimum:
        return Outcome.CONTRADICTED
    if clause.maximum is not None and value > clause.maximum:
        return Outcome.CONTRADICTED
    return Outcome.HOLDS


def _implied_outcome(clause: Clause, facts: Mapping[str, Any]) -> Outcome | None:
    key = clause.key
    if key == "youngest_child_age" and facts.get("children") == 0:
        return Outcome.CONTRADICTED  # no child: no child-age range holds
    if key == "months_since_job_loss" and not known(facts, key) and known(facts, "employment") \
            and facts["employment"] not in {"lost_job", "not_working"}:
        return Outcome.CONTRADICTED  # never lost a job: no "within N months" holds
    if key == "children" and not known(facts, key) and (
            facts.get("household") == "single_parent" or known(facts, "youngest_child_age")):
        return Outcome.HOLDS if (clause.minimum or 0) <= 1 else Outcome.UNKNOWN
    return None


def _implied(key: str, facts: Mapping[str, Any]) -> Any:
    if known(facts, key):
        return facts[key]
    if key == "residence_status" and facts.get("nationality") != "foreign":
        return "permanent"  # only foreign residents have a residence status to ask about
    if key == "disability" and facts.get("household") == "with_disabled":
        return "family"
    return None
