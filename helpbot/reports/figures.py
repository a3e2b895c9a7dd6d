"""Count a period's figures from stored rows: decisions, timestamps, entry ids, states.

Cases are counted from the audit trail (``case_counts.py``), not from the case rows, whose
claim, resolution and opening time change when a case is reopened. Nothing here reads what a
person wrote except the gap examples (which a retention purge redacts; their counts stay), so
every number survives a purge of message texts and a person's erasure.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.cases.masking import mask_personal_data
from helpbot.conversation.gaps import find_gaps
from helpbot.reports.case_counts import count_cases
from helpbot.reports.period import Period
from helpbot.storage.database import Database
from helpbot.storage.models import (
    Contact,
    Conversation,
    Delivery,
    Direction,
    Message,
    QueueState,
)

# Inbound rows that are not something the person said.
NOT_MESSAGES = frozenset({"follow", "unfollow"})
OUTCOMES = ("answer", "suggest", "fallback")
REMINDER = "reminder"
TOP_TOPICS = 10
TOP_GAPS = 10


@dataclass(frozen=True, slots=True)
class Minutes:
    """How long something took, over the cases it happened to in the period."""

    count: int
    median: float | None
    p90: float | None

    def to_json(self) -> dict[str, object]:
        return {"count": self.count, "median": self.median, "p90": self.p90}


@dataclass(slots=True)
class Figures:
    """One period's numbers; ``to_json`` is the public contract documented in README.md."""

    period: Period
    messages_by_channel: Counter[str] = field(default_factory=Counter)
    messages_by_language: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    outcomes_by_day: dict[dt.date, Counter[str]] = field(default_factory=dict)
    topics: Counter[str] = field(default_factory=Counter)
    cases_opened: int = 0
    cases_claimed: int = 0
    cases_resolved: int = 0
    cases_by_state: Counter[str] = field(default_factory=Counter)
    to_claim: Minutes = Minutes(0, None, None)
    to_resolve: Minutes = Minutes(0, None, None)
    claim_minutes: list[float] = field(default_factory=list)
    crisis_by_category: Counter[str] = field(default_factory=Counter)
    followups_sent: int = 0
    followups_failed: int = 0
    satisfaction: Counter[int] = field(default_factory=Counter)
    workers: dict[str, dict[str, object]] = field(default_factory=dict)
    gaps: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        answers = sum(self.satisfaction.values())
        return {
            "period": {
                "since": self.period.since.isoformat(),
                "until": self.period.until.isoformat(),
                "timezone": self.period.zone.key,
            },
            "messages_in": {
                "total": sum(self.messages_by_channel.values()),
                "by_channel": dict(self.messages_by_channel.most_common()),
                "by_language": dict(self.messages_by_language.most_common()),
            },
            "answers": {
                "answered": self.outcomes["answer"],
                "suggested": self.outcomes["suggest"],
                "fallback": self.outcomes["fallback"],
            },
            "questions_per_day": [
                {
                    "date": day.isoformat(),
                    "answered": self.outcomes_by_day.get(day, Counter())["answer"],
                    "suggested": self.outcomes_by_day.get(day, Counter())["suggest"],
                    "fallback": self.outcomes_by_day.get(day, Counter())["fallback"],
                }
                for day in self.period.days()
            ],
            "top_topics": [
                {"entry_id": entry_id, "count": count}
                for entry_id, count in self.topics.most_common(TOP_TOPICS)
            ],
            "cases": {
                "opened": self.cases_opened,
                "claimed": self.cases_claimed,
                "resolved": self.cases_resolved,
                "by_state": dict(sorted(self.cases_by_state.items())),
            },
            "minutes_to_claim": self.to_claim.to_json(),
            "minutes_to_resolve": self.to_resolve.to_json(),
            "crisis_alerts": {
                "total": sum(self.crisis_by_category.values()),
                "by_category": dict(self.crisis_by_category.most_common()),
            },
            "followups": {"sent": self.followups_sent, "failed": self.followups_failed},
            "satisfaction": {
                "answers": answers,
                "by_score": {str(score): self.satisfaction[score] for score in (3, 2, 1)},
                "average": (
                    round(sum(s * n for s, n in self.satisfaction.items()) / answers, 2)
                    if answers
                    else None
                ),
            },
            "workers": sorted(self.workers.values(), key=lambda w: str(w["id"])),
            "top_gaps": self.gaps,
        }


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (p90: the value 90 % of cases are at or under)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return round(ordered[rank - 1], 1)


def minutes(values: list[float]) -> Minutes:
    if not values:
        return Minutes(0, None, None)
    return Minutes(len(values), round(statistics.median(values), 1), percentile(values, 0.9))


def _within(moment: dt.datetime | None, period: Period) -> bool:
    return moment is not None and period.since <= moment < period.until


def compute_figures(database: Database, period: Period) -> Figures:
    """Every figure of the report for ``period``."""
    figures = Figures(period=period)
    with database.session() as session:
        _count_messages(session, period, figures)
        _count_turns(session, period, figures)
        _count_cases(session, period, figures)
        _count_followups(session, period, figures)
    figures.gaps = [
        {
            "count": gap.count,
            # Reports leave the building (funders): contact details masked, as in Slack.
            "example": mask_personal_data(gap.example),
            "closest_entry_id": max(
                gap.best_entry_ids, key=gap.best_entry_ids.__getitem__, default=None
            ),
        }
        for gap in find_gaps(database, since=period.since, until=period.until, limit=TOP_GAPS)
    ]
    return figures


def _count_messages(session: Session, period: Period, figures: Figures) -> None:
    rows = session.execute(
        select(Contact.channel, Contact.language, Message.kind)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .join(Contact, Conversation.contact_id == Contact.id)
        .where(
            Message.direction == Direction.IN,
            Message.created_at >= period.since,
            Message.created_at < period.until,
        )
    ).all()
    for channel, language, kind in rows:
        if kind in NOT_MESSAGES:
            continue
        figures.messages_by_channel[channel] += 1
        figures.messages_by_language[language or "unknown"] += 1


def _count_turns(session: Session, period: Period, figures: Figures) -> None:
    """One outcome per turn: a turn's replies share its conversation and its moment."""
    rows = session.execute(
        select(Message.conversation_id, Message.created_at, Message.decision, Message.entry_id)
        .where(
            Message.direction == Direction.OUT,
            Message.decision.in_(OUTCOMES),
            Message.created_at >= period.since,
            Message.created_at < period.until,
        )
        .distinct()
    ).all()
    for _conversation, created_at, decision, entry_id in rows:
        figures.outcomes[decision] += 1
        day = created_at.astimezone(period.zone).date()
        figures.outcomes_by_day.setdefault(day, Counter())[decision] += 1
        if decision == "answer" and entry_id:
            figures.topics[entry_id] += 1


def _count_cases(session: Session, period: Period, figures: Figures) -> None:
    """From the audit trail (reports/case_counts.py): a period's numbers stay as they were."""
    counts = count_cases(session, period)
    figures.cases_opened, figures.cases_claimed = counts.opened, counts.claimed
    figures.cases_resolved, figures.cases_by_state = counts.resolved, counts.by_state
    figures.crisis_by_category = counts.crisis_by_category
    figures.satisfaction, figures.workers = counts.satisfaction, counts.workers
    figures.claim_minutes = counts.claim_minutes
    figures.to_claim = minutes(counts.claim_minutes)
    figures.to_resolve = minutes(counts.resolve_minutes)


def _count_followups(session: Session, period: Period, figures: Figures) -> None:
    rows = session.execute(
        select(Delivery.state, Delivery.sent_at, Delivery.due_at).where(
            Delivery.kind == REMINDER,
            Delivery.due_at < period.until,
            Delivery.state.in_((QueueState.DONE, QueueState.FAILED)),
        )
    ).all()
    for state, sent_at, due_at in rows:
        if state == QueueState.DONE and _within(sent_at, period):
            figures.followups_sent += 1
        elif state == QueueState.FAILED and _within(due_at, period):
            figures.followups_failed += 1
