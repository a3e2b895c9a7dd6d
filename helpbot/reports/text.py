"""The report as a few readable lines for a terminal (``helpbot report`` without ``--json``)."""

from __future__ import annotations

from typing import Any


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "-"


def _minutes(value: dict[str, Any]) -> str:
    if not value["count"]:
        return "-"
    return f"median {value['median']} min, p90 {value['p90']} min ({value['count']} cases)"


def report_lines(report: dict[str, Any]) -> list[str]:
    """The JSON report as lines; the same numbers, nothing more."""
    period = report["period"]
    messages = report["messages_in"]
    answers = report["answers"]
    cases = report["cases"]
    satisfaction = report["satisfaction"]
    lines = [
        f"Report {period['since']} .. {period['until']} ({period['timezone']})",
        f"Messages in: {messages['total']}  by channel: {_counts(messages['by_channel'])}"
        f"  by language: {_counts(messages['by_language'])}",
        f"Answered directly {answers['answered']}, suggested {answers['suggested']}, "
        f"fallback {answers['fallback']}",
        "Top topics: "
        + (", ".join(f"{t['entry_id']} ({t['count']})" for t in report["top_topics"]) or "-"),
        f"Cases: opened {cases['opened']}, claimed {cases['claimed']}, "
        f"resolved {cases['resolved']}",
        f"Time to claim: {_minutes(report['minutes_to_claim'])}",
        f"Time to resolve: {_minutes(report['minutes_to_resolve'])}",
        f"Crisis alerts: {report['crisis_alerts']['total']}  "
        f"{_counts(report['crisis_alerts']['by_category'])}",
        f"Follow-ups: sent {report['followups']['sent']}, failed {report['followups']['failed']}",
        f"Satisfaction: {satisfaction['answers']} answers "
        f"(3: {satisfaction['by_score']['3']}, 2: {satisfaction['by_score']['2']}, "
        f"1: {satisfaction['by_score']['1']})",
        "Workers: "
        + (", ".join(f"{w['name']} claimed {w['claimed']} resolved {w['resolved']}"
                     for w in report["workers"]) or "-"),
        "Top gaps:",
    ]
    lines += [f"  {gap['count']:4d}  {gap['example']}" for gap in report["top_gaps"]] or ["  -"]
    return lines
