"""Open, claim, relay, resolve: the case lifecycle, with every step stored first."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from helpbot.cases.intake import SATISFACTION_SCORES, CaseIntake, move, take
from helpbot.cases.masking import NO_PUBLIC_NUMBERS, Mask
from helpbot.cases.office import still_waiting
from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.cases.ports import CaseView
from helpbot.cases.states import (
    ACTIVE_STATES,
    CaseAction,
    CaseState,
    Urgency,
)
from helpbot.cases.views import REMINDER, case_view, contact_of
from helpbot.core.messages import QuickReply, Reply
from helpbot.core.texts import phrases
from helpbot.crisis.review import mark_false_alarm
from helpbot.delivery.messages import NOTICE, STAFF, cancel, queue_for_person
from helpbot.delivery.outbox import PeopleOutbox
from helpbot.errors import CaseNotFoundError
from helpbot.knowledge.policies import StaffPolicy
from helpbot.storage.audit import AuditAction  # the audit trail
from helpbot.storage.audit import on_case as audit_case
from helpbot.storage.database import Database
from helpbot.storage.models import Case, Contact, Delivery
from helpbot.storage.program_answers import clear_answers

logger = logging.getLogger(__name__)

# Lines a case worker starts with this marker stay in Slack; the person never sees them.
NOTE_MARKER = "//"


def without_notes(text: str) -> str:
    """A worker's thread reply without its internal ``//`` note lines (what the person gets)."""
    return "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith(NOTE_MARKER)
    ).strip()


def satisfaction_postback(case_id: int, score: int) -> str:
    return f"a=csat&case={case_id}&v={score}"


class CaseService(CaseIntake):
    """The case lifecycle. Staff posts go to the staff outbox; messages to people, to theirs.

    The steps inside a conversation turn are ``CaseIntake``'s (cases/intake.py); the staff
    actions here run in their own transactions."""

    def __init__(
        self,
        *,
        database: Database,
        outbox: StaffOutbox,
        people: PeopleOutbox,
        clock: Callable[[], dt.datetime],
        reannounce_after: dt.timedelta = dt.timedelta(minutes=30),
    ) -> None:
        self._database = database
        self.outbox = outbox
        self.people = people
        self._clock = clock
        self._reannounce_after = reannounce_after

    # -- staff actions (each in its own transaction) -----------------------------------

    def claim(self, case_id: int, *, worker_id: str, worker_name: str) -> Case:
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            take(session, case, worker_id=worker_id, worker_name=worker_name, now=now)
            posts = [add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id]
            contact = contact_of(session, case)
            words = phrases(contact.language)
            delivery = queue_for_person(
                session, contact, Reply(text=words.case_claimed), kind=NOTICE, now=now,
                case_id=case.id,
            )
        self.people.deliver_now([delivery])
        self.outbox.deliver(posts)
        return case

    def release(self, case_id: int, *, worker_id: str) -> Case:
        """The worker gives a claimed case back: open again, announced again."""
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            move(session, case, CaseAction.RELEASE)
            case.claimed_at, case.claimed_by, case.claimed_by_name = None, None, None
            case.last_announced_at = now
            audit_case(session, case, actor=worker_id, action=AuditAction.RELEASE, now=now)
            posts = [add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id]
        self.outbox.deliver(posts)
        return case

    def mark_false_alarm(self, case_id: int, *, worker_id: str) -> bool:
        """A worker says the urgent case was not a crisis: recorded for `helpbot crisis review`.

        The case stays open and urgent in every other way: only the record changes."""
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            if not case.crisis_category or not mark_false_alarm(
                session, case, by=worker_id, now=now
            ):
                return False
            audit_case(session, case, actor=worker_id, action=AuditAction.FALSE_ALARM, now=now)
            note = f"// <@{worker_id}> marked this alert 危険ではない (not a crisis)."
            posts = [
                add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id,
                add_post(session, case_id=case.id, kind=PostKind.THREAD, text=note, now=now).id,
            ]
        self.outbox.deliver(posts)
        return True

    def clear_program_answers(self, case_id: int, *, worker_id: str) -> bool:
        """A worker clears what the person told the program finder (the row is deleted)."""
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            if not clear_answers(session, case.contact_id):
                return False
            note = f"// <@{worker_id}> cleared the program finder's answers."
            posts = [
                add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id,
                add_post(session, case_id=case.id, kind=PostKind.THREAD, text=note, now=now).id,
            ]
        self.outbox.deliver(posts)
        return True

    def resolve(self, case_id: int, *, worker_id: str, worker_name: str) -> Case:
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            move(session, case, CaseAction.RESOLVE)
            case.resolved_at = now
            case.resolved_by, case.resolved_by_name = worker_id, worker_name  # claimed_by stays
            audit_case(session, case, actor=worker_id, action=AuditAction.RESOLVE, now=now)
            posts = [add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id]
            contact = contact_of(session, case)
            words = phrases(contact.language)
            buttons = tuple(
                QuickReply(
                    label=label, postback=satisfaction_postback(case.id, score), display_text=label
                )
                for score, label in zip(SATISFACTION_SCORES, words.satisfaction_labels, strict=True)
            )
            reply = Reply(text=words.case_closed, quick_replies=buttons)
            delivery = queue_for_person(
                session, contact, reply, kind=NOTICE, now=now, case_id=case.id
            )
            cancelled = cancel(
                session,
                where=and_(
                    Delivery.case_id == case.id,
                    Delivery.kind == REMINDER,
                    Delivery.keep_after_resolve.is_(False),
                ),
            )
            if cancelled:
                logger.info("case %s resolved: %d follow-up(s) cancelled", case.id, cancelled)
        self.people.deliver_now([delivery])
        self.outbox.deliver(posts)
        return case

    def relay_from_worker(self, case_id: int, *, worker_name: str, text: str,
                          worker_id: str | None = None) -> bool:
        """A worker's reply reaches the person of the case; note lines stay internal.

        ``worker_id`` (a Slack user id) is the audit's actor when given, else ``worker_name``.

        A reply in a resolved case's thread reopens it, claimed by that worker, so the
        person's answer comes back to the thread. The channel adapters find the case (a
        Slack thread, the web chat's staff pane)."""
        body = without_notes(text)
        now = self._clock()
        posts: list[int] = []
        with self._database.session() as session:
            case = self._get(session, case_id)
            audit_case(session, case, actor=worker_id or worker_name, now=now,  # its author
                       action=AuditAction.REPLY if body else AuditAction.NOTE)
            if not body:
                return False  # only note lines: they stay in Slack
            contact = contact_of(session, case)
            if contact.erased_at is not None:  # erased at their request: nothing more is kept
                logger.info("a worker replied on case %s of an erased person: not sent", case_id)
                return False
            if case.state == CaseState.RESOLVED:
                posts = self.reopen(session, case, now=now,
                                    by=(worker_id or worker_name, worker_name))
                logger.info("case %s reopened by a worker's reply", case_id)
            delivery = queue_for_person(
                session, contact, Reply(text=body), kind=STAFF, now=now, case_id=case.id
            )
            case.person_waiting_since = None
        self.people.deliver_now([delivery])
        self.outbox.deliver(posts)
        logger.info("relayed a worker's reply on case %s", case_id)
        return True

    def reannounce_unclaimed(self) -> int:
        """Say again, in its thread, that a case is still waiting; return how many."""
        now = self._clock()
        cutoff = now - self._reannounce_after
        with self._database.session() as session:
            # not while the person has blocked the account: the thread already says so
            cases = session.scalars(
                select(Case).join(Contact, Case.contact_id == Contact.id)
                .where(Case.state == CaseState.OPEN, Case.last_announced_at <= cutoff,
                       Contact.reachable.is_(True))
            ).all()
            posts = []
            for case in cases:
                minutes = int((now - case.opened_at).total_seconds() // 60)
                note = f"Still unclaimed after {minutes} min. Can someone take case #{case.id}?"
                kind = PostKind.URGENT if case.urgency == Urgency.URGENT else PostKind.THREAD
                posts.append(add_post(session, case_id=case.id, kind=kind, text=note, now=now).id)
                case.last_announced_at = now
        self.outbox.deliver(posts)
        return len(posts)

    def acknowledge_waiting(
        self, policy: StaffPolicy | None = None, *, after: dt.timedelta = dt.timedelta(minutes=10)
    ) -> int:
        """Tell people who have waited ``after`` without a reply that their message arrived;
        outside office hours (``policy``), also when staff are back, not "a little longer"."""
        now = self._clock()
        deliveries = []
        with self._database.session() as session:
            waiting = session.scalars(
                select(Case).where(
                    Case.state.in_(list(ACTIVE_STATES)),
                    Case.person_waiting_since.is_not(None),
                    Case.person_waiting_since <= now - after,
                    or_(
                        Case.waiting_acknowledged_at.is_(None),
                        Case.waiting_acknowledged_at < Case.person_waiting_since,
                    ),
                )
            ).all()
            for case in waiting:
                contact = contact_of(session, case)
                text = still_waiting(policy, contact.language, now)
                deliveries.append(
                    queue_for_person(
                        session, contact, Reply(text=text), kind=NOTICE, now=now, case_id=case.id
                    )
                )
                case.waiting_acknowledged_at = now
        self.people.deliver_now(deliveries)
        return len(deliveries)

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    def _get(session: Session, case_id: int) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFoundError(f"there is no case #{case_id}")
        return case


def cases_of_contact(database: Database, *, channel: str, user_id: str, now: dt.datetime,
                     mask: Mask = NO_PUBLIC_NUMBERS) -> list[CaseView]:
    """Every case of one channel user, newest first, as case workers see them. ``mask`` should
    know the NPO's public numbers (the staff outbox's masker): crisis.yaml's hotlines stay
    visible, as they do in Slack."""
    with database.session() as session:
        cases = session.scalars(
            select(Case)
            .join(Contact, Case.contact_id == Contact.id)
            .where(Contact.channel == channel, Contact.channel_user_id == user_id)
            .order_by(Case.id.desc())
        ).all()
        return [case_view(session, case, now=now, mask=mask) for case in cases]
