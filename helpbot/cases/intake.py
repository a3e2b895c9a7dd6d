"""The steps of a case that run inside the conversation core's transaction: find the
person's case, open one (or raise its urgency), relay what they wrote, reopen, record their
satisfaction. Each step stores its posts for case workers; the core sends them after the
person has their answer."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import bindparam, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from helpbot.cases.media import earlier_attachments
from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.cases.states import (
    ACTIVE_STATES,
    CaseAction,
    CaseReason,
    CaseState,
    Urgency,
    next_state,
)
from helpbot.errors import InvalidTransitionError
from helpbot.storage import history
from helpbot.storage.audit import SYSTEM, AuditAction
from helpbot.storage.audit import on_case as audit_case
from helpbot.storage.models import Case, Contact

logger = logging.getLogger(__name__)

# A person who writes again this soon after resolution reopens the case.
REOPEN_WINDOW = dt.timedelta(hours=24)
# Thread notes when a resolved case opens again (a worker's reply reopens it at any time).
REOPENED_BY_PERSON = "The person wrote again after the case was resolved: reopened."
REOPENED_BY_WORKER = "相談を再開しました（担当: <@{worker}>） / Reopened by <@{worker}>'s reply."
SATISFACTION_SCORES = (3, 2, 1)
# Said in an open case's thread when the person blocks the account (LINE's unfollow), or
# comes back: while blocked, nothing a worker writes reaches them.
BLOCKED = ("⚠️ 本人がアカウントをブロックしました。返事は届きません（ブロックが解除されるまで）。"
           " / The person blocked the account: replies cannot reach them until they come back.")
UNBLOCKED = ("本人がブロックを解除しました。返事が届きます。"
             " / The person unblocked the account: replies reach them again.")

# Built once (SQLAlchemy then finds their compiled form without rebuilding them each turn).
_ACTIVE_CASE = (
    select(Case)
    .where(Case.contact_id == bindparam("contact_id"), Case.state.in_(list(ACTIVE_STATES)))
    .order_by(Case.id.desc())
    .limit(1)
)
_RESOLVED_CASE = (
    select(Case)
    .where(Case.contact_id == bindparam("contact_id"), Case.state == CaseState.RESOLVED)
    .order_by(Case.id.desc())
    .limit(1)
)

# Both in one round trip: the latest open case and the latest resolved one.
_ACTIVE_OR_RESOLVED = select(Case).from_statement(
    union_all(select(_ACTIVE_CASE.subquery()), select(_RESOLVED_CASE.subquery()))
)


def move(session: Session, case: Case, action: CaseAction) -> None:
    """Move the case on by ``action`` from the state it is in when written.

    The state is written with ``WHERE state = <the state read>``: when two workers press
    Claim at once, both read "open" and only the first write counts; the other's action is
    tried again from the state it finds, as if it had come later (a second claim is then
    InvalidTransitionError; a resolve after a claim goes through).
    """
    for _ in range(3):
        read = CaseState(case.state)
        after = next_state(read, action)  # InvalidTransitionError when not allowed from here
        written = session.execute(
            update(Case).where(Case.id == case.id, Case.state == read).values(state=after)
            .execution_options(synchronize_session=False)
        )
        if written.rowcount == 1:  # type: ignore[attr-defined]
            set_committed_value(case, "state", after)
            return
        session.refresh(case)
    raise InvalidTransitionError(CaseState(case.state), action)


def take(session: Session, case: Case, *, worker_id: str, worker_name: str,
         now: dt.datetime) -> None:
    """A worker claims the case (a button, a command, or a reply that reopened it)."""
    move(session, case, CaseAction.CLAIM)
    case.claimed_at, case.claimed_by, case.claimed_by_name = now, worker_id, worker_name
    audit_case(session, case, actor=worker_id, action=AuditAction.CLAIM, now=now)


def opening_detail(reason: CaseReason, urgency: Urgency, crisis_category: str | None) -> str:
    """The audit detail of an opening: ``reason=crisis urgency=urgent category=suicide``
    (names from the code and crisis.yaml, never a person's words)."""
    words = f"reason={reason} urgency={urgency}"
    return f"{words} category={crisis_category}" if crisis_category else words


def _resolved_within(case: Case | None, now: dt.datetime) -> bool:
    return (case is not None and case.resolved_at is not None
            and now - case.resolved_at <= REOPEN_WINDOW)


@dataclass(frozen=True, slots=True)
class Opened:
    case: Case
    is_new: bool
    post_ids: list[int]


class CaseIntake:
    """The in-transaction half of ``CaseService``: each step takes the core's session."""

    outbox: StaffOutbox  # set by CaseService: its masking knows the NPO's public numbers

    @staticmethod
    def active_case(session: Session, contact: Contact) -> Case | None:
        if history.has_none_yet(session, history.CASES, contact.id):
            return None  # a person first seen in this turn has no case yet
        return session.scalars(_ACTIVE_CASE, {"contact_id": contact.id}).one_or_none()

    @staticmethod
    def recently_resolved(session: Session, contact: Contact, *, now: dt.datetime) -> Case | None:
        if history.has_none_yet(session, history.CASES, contact.id):
            return None
        case = session.scalars(_RESOLVED_CASE, {"contact_id": contact.id}).one_or_none()
        return case if _resolved_within(case, now) else None

    @staticmethod
    def active_or_resolved(
        session: Session, contact: Contact, *, now: dt.datetime
    ) -> tuple[Case | None, Case | None]:
        """``active_case`` and ``recently_resolved`` with one query (a turn asks for both)."""
        if history.has_none_yet(session, history.CASES, contact.id):
            return None, None
        active = resolved = None
        for case in session.scalars(_ACTIVE_OR_RESOLVED, {"contact_id": contact.id}):
            if case.state == CaseState.RESOLVED:
                resolved = case
            else:
                active = case
        return active, (resolved if active is None and _resolved_within(resolved, now) else None)

    def open_case(
        self,
        session: Session,
        contact: Contact,
        *,
        reason: CaseReason,
        urgency: Urgency,
        topic: str | None,
        crisis_category: str | None,
        now: dt.datetime,
        crisis_why: str | None = None,
    ) -> Opened:
        """Open a case for the contact, or raise the urgency of the one already open."""
        case = self.active_case(session, contact)
        if case is not None:
            posts: list[int] = []
            if urgency is Urgency.URGENT and case.urgency != Urgency.URGENT:
                case.urgency = Urgency.URGENT
                case.crisis_category = crisis_category
                case.crisis_why = crisis_why[:255] if crisis_why else None
                # The danger is now what the case is about, not the earlier question.
                case.topic = topic[:255] if topic else case.topic
                audit_case(session, case, actor=SYSTEM, action=AuditAction.URGENT, now=now,
                           detail=opening_detail(reason, urgency, crisis_category))
                posts.append(
                    add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id
                )
            if urgency is Urgency.URGENT:
                note = f"URGENT: danger signs ({topic or crisis_category}: {crisis_why or '-'})."
                posts.append(
                    add_post(session, case_id=case.id, kind=PostKind.URGENT, text=note, now=now).id
                )
            return Opened(case=case, is_new=False, post_ids=posts)
        history.wrote(session, history.CASES, contact.id)
        case = Case(
            contact_id=contact.id,
            state=CaseState.OPEN,
            urgency=urgency,
            reason=reason,
            topic=topic[:255] if topic else None,
            crisis_category=crisis_category,
            crisis_why=crisis_why[:255] if crisis_why else None,
            opened_at=now,
            last_announced_at=now,
            times_reopened=0,
        )
        session.add(case)
        session.flush()
        audit_case(session, case, actor=SYSTEM, action=AuditAction.OPEN, now=now,
                   detail=opening_detail(reason, urgency, crisis_category))
        post_ids = [add_post(session, case_id=case.id, kind=PostKind.CASE, text="", now=now).id]
        if urgency is Urgency.URGENT:
            note = (
                f"URGENT: danger signs ({topic or crisis_category}: {crisis_why or '-'}). "
                "Please claim this case now."
            )
            post_ids.append(
                add_post(session, case_id=case.id, kind=PostKind.URGENT, text=note, now=now).id
            )
        # Photos and places sent just before (the person was asked for words then).
        post_ids += earlier_attachments(session, case, contact, now=now)
        logger.info("opened case %s (%s, %s)", case.id, reason, urgency)
        return Opened(case=case, is_new=True, post_ids=post_ids)

    def relay_from_person(
        self, session: Session, case: Case, text: str, *, now: dt.datetime
    ) -> list[int]:
        """What the person wrote, into the case's thread (contact details masked)."""
        if case.person_waiting_since is None:
            case.person_waiting_since = now
        line = f"👤 {self.outbox.mask(text)}"
        return [add_post(session, case_id=case.id, kind=PostKind.THREAD, text=line, now=now).id]

    def reachability_changed(self, session: Session, contact: Contact, *,
                             now: dt.datetime) -> list[int]:
        """The person blocked (``contact.reachable`` False) or unblocked the account: their
        open case's thread says so at once, not only when a reply fails."""
        case = self.active_case(session, contact)
        if case is None:
            return []
        note = UNBLOCKED if contact.reachable else BLOCKED
        return [add_post(session, case_id=case.id, kind=PostKind.THREAD, text=note, now=now).id]

    def reopen(self, session: Session, case: Case, *, now: dt.datetime,
               by: tuple[str, str] | None = None) -> list[int]:
        """Open a resolved case again: the person wrote soon after resolution, or a worker
        (``by``: id and name) replied in its thread; then it is theirs, as if they claimed it.

        The person's message is a new request, waiting for a worker from now. A worker's reply
        is the same case going on: it keeps the time it was opened and first claimed, so the
        report counts it once and does not add a claim that took no time."""
        move(session, case, CaseAction.REOPEN)
        case.times_reopened += 1
        first_claimed = case.claimed_at
        case.resolved_at = None
        case.claimed_at = None
        case.claimed_by = case.claimed_by_name = None
        case.resolved_by = case.resolved_by_name = None
        case.last_announced_at = now
        actor = SYSTEM if by is None else by[0]
        audit_case(session, case, actor=actor, action=AuditAction.REOPEN, now=now)
        note = REOPENED_BY_PERSON
        if by is None:
            case.opened_at = now
        else:
            take(session, case, worker_id=by[0], worker_name=by[1], now=now)
            case.claimed_at = first_claimed or now
            note = REOPENED_BY_WORKER.format(worker=by[0])
        return [
            add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id,
            add_post(session, case_id=case.id, kind=PostKind.THREAD, text=note, now=now).id,
        ]

    def record_satisfaction(
        self, session: Session, contact: Contact, case_id: int, score: int, *, now: dt.datetime
    ) -> bool:
        case = session.get(Case, case_id)
        if case is None or case.contact_id != contact.id or score not in SATISFACTION_SCORES:
            return False
        case.satisfaction = score
        audit_case(session, case, actor=SYSTEM, action=AuditAction.SATISFACTION, now=now,
                   detail=f"score={score}")
        return True
