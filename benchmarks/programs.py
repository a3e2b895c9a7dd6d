"""``helpbot bench programs``: the finder on situations in people's own words.

Each persona's text goes through the finder; every question it asks is answered from the
persona's hidden facts (「わからない」 when the persona has no such fact), at most 4 times. We
report recall@5 of the expected programs, the share of listed programs that contradict one of
the persona's facts, the forbidden programs listed, and the questions asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpbot.knowledge.loader import load_dir
from helpbot.programs.conditions import evaluate
from helpbot.programs.facts import UNKNOWN, coerce
from helpbot.programs.finder import MAX_QUESTIONS, find_programs
from helpbot.programs.records import ProgramRecord
from helpbot.programs.words import facts_from_words

TODAY = dt.date(2026, 11, 30)


@dataclass(frozen=True, slots=True)
class Persona:
    text: str
    facts: dict[str, Any]
    expect: tuple[str, ...]
    forbid: tuple[str, ...]


def read_personas(path: Path) -> list[Persona]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Persona(item["text"], {k: coerce(k, v) for k, v in (item.get("facts") or {}).items()},
                tuple(item.get("expect") or ()), tuple(item.get("forbid") or ()))
        for item in items
    ]


def simulate(records: list[ProgramRecord], persona: Persona, *, today: dt.date = TODAY,
             ask: bool = True) -> tuple[list[ProgramRecord], int, dict[str, Any]]:
    """The persona's conversation: its words, then its answers; the programs and questions."""
    facts = facts_from_words(persona.text)
    asked: list[str] = []
    while True:
        finding = find_programs(records, facts, today=today, asked=asked, text=persona.text,
                                max_questions=MAX_QUESTIONS if ask else 0)
        question = finding.next_question
        if question is None:
            return [m.program for m in finding.matches], len(asked), facts
        asked.append(question.fact)
        facts[question.fact] = persona.facts.get(question.fact, UNKNOWN)


def run_programs_bench(*, faq_dir: Path, personas_path: Path) -> dict[str, Any]:
    kb, _problems = load_dir(faq_dir)
    records = [entry.program for entry in kb.entries if entry.program is not None]
    personas = read_personas(personas_path)
    report: dict[str, Any] = {"personas": len(personas), "programs": len(records)}
    for label, ask in (("", True), ("text_only_", False)):
        expected = hits = listed = contradicting = forbidden = questions = 0
        misses = []
        for persona in personas:
            shown, asked, facts = simulate(records, persona, ask=ask)
            ids = [program.id for program in shown]
            found = [i for i in persona.expect if i in ids]
            expected += len(persona.expect)
            hits += len(found)
            questions += asked
            listed += len(shown)
            # What the person has said by the end, as it really is (a misread word counts).
            truth = {key: persona.facts.get(key, value) for key, value in facts.items()
                     if value != UNKNOWN}
            contradicting += sum(1 for p in shown if not evaluate(p.conditions, truth).ok)
            forbidden += sum(1 for i in persona.forbid if i in ids)
            if len(found) < len(persona.expect):
                misses.append({"text": persona.text, "missing": sorted(set(persona.expect)
                               - set(found)), "got": ids})
        report[f"{label}recall_at_5"] = round(hits / expected, 4) if expected else 0.0
        report[f"{label}contradiction_share"] = round(contradicting / listed, 4) if listed else 0.0
        report[f"{label}forbidden_listed"] = forbidden
        if ask:
            report["avg_questions"] = round(questions / len(personas), 3)
            report["misses"] = misses
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['personas']} personas, {report['programs']} programs",
        f"recall@5 {report['recall_at_5']:.3f}  contradictions {report['contradiction_share']:.3f}"
        f"  forbidden listed {report['forbidden_listed']}  questions {report['avg_questions']:.2f}",
        f"text only (no questions): recall@5 {report['text_only_recall_at_5']:.3f}  "
        f"contradictions {report['text_only_contradiction_share']:.3f}",
    ]
    lines += [f"  miss: {m['text']}  missing {m['missing']}  got {m['got']}"
              for m in report["misses"]]
    return "\n".join(lines)
