"""A period's case figures, replayed from each case's history (``reports/case_history.py``).

A *request* is one opening of a case: its first, or a reopen because the person wrote again
(a new request, waiting for a worker from then). A worker's reply that reopens a resolved case
is the same request going on: no opening, and its claim is not a first claim.

Each figure counts what happened inside the period, at the time the trail gives it:

- opened: requests opened in the period; ``by_state`` is each one's state when the period
  ended (a request the person reopened later in the period ended resolved);
- claimed, minutes to claim: a request's first claim, from its opening;
- resolved, minutes to resolve: a request's first resolution (by a worker, or when erasure
  closed it), from its opening;
- crisis alerts: requests opened by crisis triage, and open cases it raised to urgent;
- satisfaction: the person's answer, the last one per case within the period;
- workers: the first claims each worker made, and the resolutions of requests they held.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.cases.states import CaseState
from helpbot.reports.case_history import Step, case_histories
from helpbot.reports.period import Period
from helpbot.storage.audit import AuditAction
from helpbot.storage.models import Case

UNKNOWN_WORKER = "?"


@dataclass(slots=True)
class Request:
    opened_at: dt.datetime
    crisis_category: str | None
    state: str = CaseState.OPEN
    claimed_at: dt.datetime | None = None  # the first claim
    claimed_by: str | None = None
    resolved_at: dt.datetime | None = None  # the first resolution
    resolved_holder: str | None = None  # the worker who held it then (None: unclaimed)


@dataclass(slots=True)
class Replay:
    requests: list[Request] = field(default_factory=list)
    raised: list[tuple[dt.datetime, str]] = field(default_factory=list)  # urgent, category
    answers: list[tuple[dt.datetime, int]] = field(default_factory=list)  # satisfaction


@dataclass(slots=True)
class CaseCounts:
    opened: int = 0
    claimed: int = 0
    resolved: int = 0
    by_state: Counter[str] = field(default_factory=Counter)
    claim_minutes: list[float] = field(default_factory=list)
    resolve_minutes: list[float] = field(default_factory=list)
    crisis_by_category: Counter[str] = field(default_factory=Counter)
    satisfaction: Counter[int] = field(default_factory=Counter)
    workers: dict[str, dict[str, object]] = field(default_factory=dict)

    def worker(self, worker_id: str | None) -> dict[str, object]:
        key = worker_id or UNKNOWN_WORKER
        return self.workers.setdefault(
            key, {"id": key, "name": key, "claimed": 0, "resolved": 0})


def replay(steps: list[Step]) -> Replay:
    """The requests of one case, each as it stood after the last step given."""
    result = Replay()
    current: Request | None = None
    holder: str | None = None
    previous: Step | None = None
    for step in steps:
        action = step.action
        if action == AuditAction.OPEN or (action == AuditAction.REOPEN and step.by_person):
            current, holder = Request(step.at, step.detail.get("category")), None
            result.requests.append(current)
        elif current is None:
            pass  # nothing before the case opened
        elif action == AuditAction.REOPEN:  # a worker's reply: the request goes on
            current.state = CaseState.OPEN
        elif action == AuditAction.CLAIM:
            current.state, holder = CaseState.CLAIMED, step.actor
            part_of_reopen = (previous is not None and previous.action == AuditAction.REOPEN
                              and not previous.by_person)
            if current.claimed_at is None and not part_of_reopen:
                current.claimed_at, current.claimed_by = step.at, step.actor
        elif action == AuditAction.RELEASE:
            current.state, holder = CaseState.OPEN, None
        elif action == AuditAction.RESOLVE:
            current.state = CaseState.RESOLVED
            if current.resolved_at is None:
                current.resolved_at, current.resolved_holder = step.at, holder
        elif action == AuditAction.URGENT and "category" in step.detail:
            result.raised.append((step.at, step.detail["category"]))
        elif action == AuditAction.SATISFACTION and step.detail.get("score", "").isdigit():
            result.answers.append((step.at, int(step.detail["score"])))
        previous = step
    return result


def count_cases(session: Session, period: Period) -> CaseCounts:
    """The case figures of ``period``: only what happened inside it counts."""
    counts = CaseCounts()

    def within(moment: dt.datetime | None) -> bool:
        return moment is not None and period.since <= moment < period.until

    for history in case_histories(session, period):
        replayed = replay(history.steps)
        for request in replayed.requests:
            if within(request.opened_at):
                counts.opened += 1
                counts.by_state[request.state] += 1
                if request.crisis_category:
                    counts.crisis_by_category[request.crisis_category] += 1
            if within(request.claimed_at) and request.claimed_at is not None:
                counts.claimed += 1
                counts.claim_minutes.append(_minutes(request.opened_at, request.claimed_at))
                counts.worker(request.claimed_by)["claimed"] += 1  # type: ignore[operator]
            if within(request.resolved_at) and request.resolved_at is not None:
                counts.resolved += 1
                counts.resolve_minutes.append(_minutes(request.opened_at, request.resolved_at))
                if request.resolved_holder:
                    counts.worker(request.resolved_holder)["resolved"] += 1  # type: ignore[operator]
        for at, category in replayed.raised:
            if within(at):
                counts.crisis_by_category[category] += 1
        answers = [score for at, score in replayed.answers if within(at)]
        if answers:
            counts.satisfaction[answers[-1]] += 1
    _name_workers(session, counts)
    return counts


def _minutes(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 60


def _name_workers(session: Session, counts: CaseCounts) -> None:
    """Each worker's latest name on a case (the trail keeps ids only): names are not counts,
    so a worker renamed in Slack shows the new name in an earlier period's report."""
    ids = [worker_id for worker_id in counts.workers if worker_id != UNKNOWN_WORKER]
    if not ids:
        return
    names: dict[str, str] = {}
    for who, name in (*session.execute(
        select(Case.resolved_by, Case.resolved_by_name)
        .where(Case.resolved_by.in_(ids), Case.resolved_by_name.is_not(None))
        .order_by(Case.id)
    ), *session.execute(
        select(Case.claimed_by, Case.claimed_by_name)
        .where(Case.claimed_by.in_(ids), Case.claimed_by_name.is_not(None))
        .order_by(Case.id)
    )):
        if who is not None and name and name != who:  # not a name Slack did not give
            names[who] = name
    for worker_id, worker in counts.workers.items():
        worker["name"] = names.get(worker_id, worker_id)
