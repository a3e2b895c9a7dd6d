"""A case's history up to a moment, read from the audit trail (``audit_events``).

The case row holds only the latest state: a reopen clears its claim and resolution, and a
reopen by the person moves ``opened_at``. The trail keeps every step with its time and is
append-only, and erasure and the retention purge leave it whole, so a history read from it is
the same whenever it is read; a period's report counted from it does not change after the
period ends.

Cases from before the trail recorded a step (``open`` and ``satisfaction`` since this module;
every other step since migration 0009) get that step from the case's columns instead: the
opening from the time its first staff message was stored (``staff_posts`` of kind ``case``,
written with the opening), else ``opened_at``; a claim, a resolution and a satisfaction
answer from ``claimed_at``, ``resolved_at`` and ``satisfaction``, when no row of the trail
records one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select, union
from sqlalchemy.orm import InstrumentedAttribute, Session

from helpbot.cases.outbox import PostKind
from helpbot.reports.period import Period
from helpbot.storage.audit import SYSTEM, AuditAction
from helpbot.storage.models import AuditEvent, Case, StaffPost

CASE_STEPS = (
    AuditAction.OPEN, AuditAction.URGENT, AuditAction.CLAIM, AuditAction.RELEASE,
    AuditAction.RESOLVE, AuditAction.REOPEN, AuditAction.SATISFACTION,
)
CHUNK = 500
# Steps made from the columns at one moment: opened, then claimed, resolved, answered.
_LEGACY_ORDER = {AuditAction.OPEN: 0, AuditAction.CLAIM: 1, AuditAction.RESOLVE: 2,
                 AuditAction.SATISFACTION: 3}


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a case: an audit row, or one made from the case's columns (``legacy``)."""

    at: dt.datetime
    action: str
    actor: str
    detail: dict[str, str] = field(default_factory=dict)
    legacy: bool = False

    @property
    def by_person(self) -> bool:
        """A reopen because the person wrote again (a worker's reply reopens as the worker)."""
        return self.actor == SYSTEM


@dataclass(frozen=True, slots=True)
class CaseColumns:
    """What a step missing from the trail is taken from (a case row read as plain values)."""

    id: int
    opened_at: dt.datetime
    claimed_at: dt.datetime | None
    claimed_by: str | None
    resolved_at: dt.datetime | None
    resolved_by: str | None
    crisis_category: str | None
    satisfaction: int | None

    @staticmethod
    def columns() -> tuple[InstrumentedAttribute[Any], ...]:
        return (Case.id, Case.opened_at, Case.claimed_at, Case.claimed_by, Case.resolved_at,
                Case.resolved_by, Case.crisis_category, Case.satisfaction)


@dataclass(frozen=True, slots=True)
class CaseHistory:
    case_id: int
    steps: list[Step]


def detail_words(text: str | None) -> dict[str, str]:
    """``reason=crisis category=suicide`` -> {"reason": "crisis", "category": "suicide"}."""
    return dict(word.split("=", 1) for word in (text or "").split() if "=" in word)


def case_histories(session: Session, period: Period) -> list[CaseHistory]:
    """Every case with a step in ``period``, each with its steps before ``period.until``."""
    ids = sorted(_touched(session, period))
    histories: list[CaseHistory] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        trail: dict[int, list[Step]] = {case_id: [] for case_id in chunk}
        for case_id, at, action, actor, detail in session.execute(
            select(AuditEvent.case_id, AuditEvent.at, AuditEvent.action, AuditEvent.actor,
                   AuditEvent.detail)
            # the whole trail: whether a step is missing from it (and is taken from the
            # columns) must not depend on when the report is printed
            .where(AuditEvent.case_id.in_(chunk), AuditEvent.action.in_(list(CASE_STEPS)))
            .order_by(AuditEvent.at, AuditEvent.id)
        ):
            trail[case_id].append(Step(at, action, actor, detail_words(detail)))
        first_posts = dict(session.execute(
            select(StaffPost.case_id, func.min(StaffPost.created_at))
            .where(StaffPost.case_id.in_(chunk), StaffPost.kind == PostKind.CASE)
            .group_by(StaffPost.case_id)
        ).all())
        for row in session.execute(
            select(*CaseColumns.columns()).where(Case.id.in_(chunk)).order_by(Case.id)
        ):
            case = CaseColumns(*row)
            steps = with_legacy_steps(case, trail[case.id], first_posts.get(case.id))
            histories.append(CaseHistory(case.id, [s for s in steps if s.at < period.until]))
    return histories


def _touched(session: Session, period: Period) -> set[int]:
    def inside(column: InstrumentedAttribute[dt.datetime] | InstrumentedAttribute[
            dt.datetime | None]) -> ColumnElement[bool]:
        return (column >= period.since) & (column < period.until)

    query = union(
        select(AuditEvent.case_id).where(
            AuditEvent.case_id.is_not(None), AuditEvent.action.in_(list(CASE_STEPS)),
            inside(AuditEvent.at)),
        # cases from before the trail recorded openings, claims, resolutions
        select(StaffPost.case_id).where(
            StaffPost.case_id.is_not(None), StaffPost.kind == PostKind.CASE,
            inside(StaffPost.created_at)),
        select(Case.id).where(
            inside(Case.opened_at) | inside(Case.claimed_at) | inside(Case.resolved_at)),
    )
    return set(session.scalars(query))


def with_legacy_steps(case: CaseColumns, trail: list[Step], first_post: dt.datetime | None
                      ) -> list[Step]:
    """The trail, with the steps it does not record taken from the case's columns."""
    actions = {step.action for step in trail}
    steps = list(trail)
    if AuditAction.OPEN not in actions:
        steps.insert(0, Step(_first_opening(case, trail, first_post), AuditAction.OPEN, SYSTEM,
                             _category(case.crisis_category), legacy=True))
    if AuditAction.CLAIM not in actions and case.claimed_at is not None:
        steps.append(Step(case.claimed_at, AuditAction.CLAIM, case.claimed_by or "?",
                          legacy=True))
    if AuditAction.RESOLVE not in actions and case.resolved_at is not None:
        steps.append(Step(case.resolved_at, AuditAction.RESOLVE, case.resolved_by or "?",
                          legacy=True))
    resolves = [step.at for step in steps if step.action == AuditAction.RESOLVE]
    if AuditAction.SATISFACTION not in actions and case.satisfaction is not None and resolves:
        steps.append(Step(max(resolves), AuditAction.SATISFACTION, SYSTEM,
                          {"score": str(case.satisfaction)}, legacy=True))
    # stable: the trail's own order stays; a made-up step goes where its time puts it
    return sorted(steps, key=lambda s: (s.at, _LEGACY_ORDER[s.action] if s.legacy else 1))


def _first_opening(case: CaseColumns, trail: Iterable[Step], first_post: dt.datetime | None
                   ) -> dt.datetime:
    """When the case first opened: ``opened_at`` moves when the person reopens it."""
    earliest = [step.at for step in trail]
    if first_post is not None:
        return min([first_post, *earliest])
    if earliest and any(s.action == AuditAction.REOPEN and s.by_person for s in trail):
        return min(earliest)  # opened_at is the reopen's time: the first step is nearest
    return min([case.opened_at, *earliest])


def _category(crisis_category: str | None) -> dict[str, str]:
    return {"category": crisis_category} if crisis_category else {}
