"""Open, claim, relay, resolve: the case lifecycle, with every step stored first."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from helpbot.cases.masking import mask_personal_data
from helpbot.cases.media import earlier_attachments
from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.cases.ports import CaseView
from helpbot.cases.states import (
    ACTIVE_STATES,
    CaseAction,
    CaseReason,
    CaseState,
    Urgency,
    next_state,
)
from helpbot.cases.views import REMINDER, case_view, contact_of
from helpbot.core.messages import QuickReply, Reply, reply_extra
from helpbot.core.texts import phrases
from helpbot.crisis.review import mark_false_alarm
from helpbot.delivery.outbox import PeopleOutbox, cancel, enqueue
from helpbot.errors import CaseNotFoundError
from helpbot.storage import history
from helpbot.storage.database import Database
from helpbot.storage.models import Case, Contact, Delivery

logger = logging.getLogger(__name__)

# Lines a case worker starts with this marker stay in Slack; the person never sees them.
NOTE_MARKER = "//"
# A person who writes again this soon after resolution reopens the case.
REOPEN_WINDOW = dt.timedelta(hours=24)
SATISFACTION_SCORES = (3, 2, 1)


@dataclass(frozen=True, slots=True)
class Opened:
    case: Case
    is_new: bool
    post_ids: list[int]


def satisfaction_postback(case_id: int, score: int) -> str:
    return f"a=csat&case={case_id}&v={score}"


class CaseService:
    """The case lifecycle. Staff posts go to the staff outbox; messages to people, to theirs."""

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

    # -- inside the conversation core's transaction -----------------------------------

    @staticmethod
    def active_case(session: Session, contact: Contact) -> Case | None:
        return session.scalars(
            select(Case)
            .where(Case.contact_id == contact.id, Case.state.in_(list(ACTIVE_STATES)))
            .order_by(Case.id.desc())
            .limit(1)
        ).one_or_none()

    @staticmethod
    def recently_resolved(session: Session, contact: Contact, *, now: dt.datetime) -> Case | None:
        case = session.scalars(
            select(Case)
            .where(Case.contact_id == contact.id, Case.state == CaseState.RESOLVED)
            .order_by(Case.id.desc())
            .limit(1)
        ).one_or_none()
        if case is None or case.resolved_at is None or now - case.resolved_at > REOPEN_WINDOW:
            return None
        return case

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
                posts.append(
                    add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id
                )
            if urgency is Urgency.URGENT:
                note = f"URGENT: danger signs ({topic or crisis_category}: {crisis_why or '-'})."
                posts.append(
                    add_post(session, case_id=case.id, kind=PostKind.URGENT, text=note, now=now).id
                )
            return Opened(case=case, is_new=False, post_ids=posts)
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
        line = f"👤 {mask_personal_data(text)}"
        return [add_post(session, case_id=case.id, kind=PostKind.THREAD, text=line, now=now).id]

    def reopen(self, session: Session, case: Case, *, now: dt.datetime) -> list[int]:
        case.state = next_state(CaseState(case.state), CaseAction.REOPEN)
        case.times_reopened += 1
        case.resolved_at = None
        case.claimed_at = None
        case.claimed_by = case.claimed_by_name = None
        case.opened_at = case.last_announced_at = now
        note = "The person wrote again after the case was resolved: reopened."
        return [
            add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id,
            add_post(session, case_id=case.id, kind=PostKind.THREAD, text=note, now=now).id,
        ]

    # -- staff actions (each in its own transaction) -----------------------------------

    def claim(self, case_id: int, *, worker_id: str, worker_name: str) -> Case:
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            case.state = next_state(CaseState(case.state), CaseAction.CLAIM)
            case.claimed_at, case.claimed_by, case.claimed_by_name = now, worker_id, worker_name
            posts = [add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id]
            contact = contact_of(session, case)
            words = phrases(contact.language)
            delivery = self._queue_for_person(
                session, contact, case, Reply(text=words.case_claimed), now=now, kind="notice"
            )
        self.people.deliver_now([delivery])
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
            note = f"// <@{worker_id}> marked this alert 危険ではない (not a crisis)."
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
            case.state = next_state(CaseState(case.state), CaseAction.RESOLVE)
            case.resolved_at = now
            if case.claimed_by is None:
                case.claimed_by, case.claimed_by_name = worker_id, worker_name
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
            delivery = self._queue_for_person(
                session, contact, case, reply, now=now, kind="notice"
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

    def relay_from_worker(
        self, ref_ts: str, *, worker_name: str, text: str, channel: str | None = None
    ) -> bool:
        """A worker's thread reply reaches the person; note lines stay internal."""
        body = "\n".join(
            line for line in text.splitlines() if not line.lstrip().startswith(NOTE_MARKER)
        ).strip()
        if not body:
            return False
        now = self._clock()
        with self._database.session() as session:
            query = select(Case).where(Case.slack_ts == ref_ts)
            if channel is not None:  # a thread in another channel is not this case's
                query = query.where(Case.slack_channel == channel)
            case = session.scalars(query).one_or_none()
            if case is None:
                return False
            contact = contact_of(session, case)
            delivery = self._queue_for_person(session, contact, case, Reply(text=body), now=now)
            case.person_waiting_since = None
            case_id = case.id
        self.people.deliver_now([delivery])
        logger.info("relayed a worker's reply on case %s", case_id)
        return True

    def reply_as_worker(self, case_id: int, *, worker_name: str, text: str) -> bool:
        """The playground's staff pane: the same relay, addressed by case number."""
        with self._database.session() as session:
            case = self._get(session, case_id)
            ts = case.slack_ts
        if ts is None:
            return False
        return self.relay_from_worker(ts, worker_name=worker_name, text=text)

    def record_satisfaction(
        self, session: Session, contact: Contact, case_id: int, score: int
    ) -> bool:
        case = session.get(Case, case_id)
        if case is None or case.contact_id != contact.id or score not in SATISFACTION_SCORES:
            return False
        case.satisfaction = score
        return True

    def reannounce_unclaimed(self) -> int:
        """Say again, in its thread, that a case is still waiting; return how many."""
        now = self._clock()
        cutoff = now - self._reannounce_after
        with self._database.session() as session:
            cases = session.scalars(
                select(Case).where(Case.state == CaseState.OPEN, Case.last_announced_at <= cutoff)
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

    def acknowledge_waiting(self, *, after: dt.timedelta = dt.timedelta(minutes=10)) -> int:
        """Tell people who have waited ``after`` without a reply that their message arrived."""
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
                text = phrases(contact.language).still_waiting
                deliveries.append(
                    self._queue_for_person(session, contact, case, Reply(text=text), now=now,
                                           kind="notice")
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

    @staticmethod
    def _queue_for_person(
        session: Session,
        contact: Contact,
        case: Case,
        reply: Reply,
        *,
        now: dt.datetime,
        kind: str = "staff",
    ) -> int:
        """Record the message in the conversation and queue its delivery; the delivery id."""
        conversation = history.current_conversation(session, contact, now=now)
        message = history.add_outbound(
            session,
            conversation,
            text=reply.text,
            extra=reply_extra(reply),
            entry_id=None,
            decision=None,
            score=None,
            now=now,
        )
        message.kind = kind
        session.flush()
        return enqueue(
            session,
            contact_id=contact.id,
            kind=kind,
            text=reply.text,
            extra=reply_extra(reply),
            due_at=now,
            now=now,
            case_id=case.id,
            message_id=message.id,
        ).id


def cases_of_contact(database: Database, *, channel: str, user_id: str,
                     now: dt.datetime) -> list[CaseView]:
    """Every case of one channel user, newest first, as case workers see them."""
    with database.session() as session:
        cases = session.scalars(
            select(Case)
            .join(Contact, Case.contact_id == Contact.id)
            .where(Contact.channel == channel, Contact.channel_user_id == user_id)
            .order_by(Case.id.desc())
        ).all()
        return [case_view(session, case, now=now) for case in cases]
