"""Follow-ups: ``schedule_followup``, ``cancel``, and what is scheduled for a case.

A reminder is a delivery row (kind ``reminder``) due at a time outside quiet hours; the worker
sends it when due. Resolving the case cancels its reminders unless the worker chose to keep
them; a person who leaves the account has theirs cancelled.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.cases.views import Followup
from helpbot.delivery.outbox import cancel, enqueue
from helpbot.errors import CaseNotFoundError
from helpbot.reminders.gate import REMINDER, QuietHoursGate
from helpbot.storage.audit import SYSTEM, AuditAction, record
from helpbot.storage.audit import on_case as audit_case
from helpbot.storage.database import Database
from helpbot.storage.models import Case, Delivery, QueueState

logger = logging.getLogger(__name__)

MAX_TEXT = 1000


class Reminders:
    """Schedule and cancel follow-ups; the people outbox delivers them."""

    def __init__(
        self,
        *,
        database: Database,
        staff_outbox: StaffOutbox,
        gate: QuietHoursGate,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._database = database
        self._staff_outbox = staff_outbox
        self._gate = gate
        self._clock = clock

    def schedule_followup(
        self,
        *,
        case_id: int,
        when: dt.datetime,
        text: str,
        created_by: str,
        keep_after_resolve: bool = False,
    ) -> Followup:
        """A follow-up to the person of a case; due at ``when``, or when quiet hours end."""
        now = self._clock()
        text = text.strip()[:MAX_TEXT]
        if not text:
            raise ValueError("the follow-up message is empty")
        if when <= now:
            raise ValueError("that time is in the past")
        due = self._gate.quiet_hours().next_allowed(when)
        with self._database.session() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise CaseNotFoundError(f"there is no case #{case_id}")
            row = enqueue(
                session,
                contact_id=case.contact_id,
                kind=REMINDER,
                text=text,
                due_at=due,
                now=now,
                case_id=case.id,
                created_by=created_by,
                keep_after_resolve=keep_after_resolve,
            )
            post = add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now)
            audit_case(session, case, actor=created_by, action=AuditAction.FOLLOWUP_CREATED,
                       now=now, detail=f"delivery={row.id}")
            followup = Followup(row.id, row.due_at, row.state, row.text, None)
        self._staff_outbox.deliver([post.id])
        logger.info("follow-up %s scheduled for case %s", followup.id, case_id)
        return followup

    def schedule_for_contact(
        self, session: Session, *, contact_id: int, when: dt.datetime, text: str,
        entry_id: str | None, now: dt.datetime,
    ) -> tuple[Delivery, bool]:
        """A reminder the person asked for themselves (e.g. a program's deadline), and whether
        it is new: a second tap finds the one still waiting for the same entry and time."""
        due_at = self._gate.quiet_hours().next_allowed(when)
        waiting = _waiting_reminder(session, contact_id=contact_id, entry_id=entry_id,
                                    due_at=due_at)
        if waiting is not None:
            return waiting, False
        try:
            # A savepoint: when another process stored the same reminder since the look
            # above, the unique index refuses this one and the turn's other rows stay.
            with session.begin_nested():
                row = enqueue(
                    session,
                    contact_id=contact_id,
                    kind=REMINDER,
                    text=text[:MAX_TEXT],
                    due_at=due_at,
                    now=now,
                    created_by="person",
                    entry_id=entry_id,
                )
        except IntegrityError:
            waiting = _waiting_reminder(session, contact_id=contact_id, entry_id=entry_id,
                                        due_at=due_at)
            if waiting is None:
                raise  # another constraint than "already set"
            logger.info("reminder for %s already set by a concurrent turn", entry_id)
            return waiting, False
        return row, True

    def cancel_followup(self, followup_id: int, *, by: str = SYSTEM) -> bool:
        with self._database.session() as session:
            row = session.get(Delivery, followup_id)
            cancelled = bool(
                cancel(session, where=(Delivery.id == followup_id) & (Delivery.kind == REMINDER))
            )
            if cancelled and row is not None:
                record(session, actor=by, action=AuditAction.FOLLOWUP_CANCELLED,
                       now=self._clock(), case_id=row.case_id, contact_id=row.contact_id,
                       detail=f"delivery={followup_id}")
            return cancelled

    @staticmethod
    def cancel_for_contact(session: Session, contact_id: int) -> int:
        """The person left the account: nothing more is sent to them."""
        return cancel(session, where=Delivery.contact_id == contact_id)


def _waiting_reminder(
    session: Session, *, contact_id: int, entry_id: str | None, due_at: dt.datetime
) -> Delivery | None:
    """The person's reminder for this entry and time that has not been sent yet, if any."""
    return session.scalars(
        select(Delivery).where(
            Delivery.contact_id == contact_id, Delivery.kind == REMINDER,
            Delivery.entry_id == entry_id, Delivery.due_at == due_at,
            Delivery.state.in_((QueueState.PENDING, QueueState.LEASED)),
        ).limit(1)
    ).first()
