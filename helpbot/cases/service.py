"""Open, claim, relay, resolve: the case lifecycle, with every step stored first."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.cases.masking import mask_personal_data
from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.cases.ports import CaseView, PersonMessenger
from helpbot.cases.states import (
    ACTIVE_STATES,
    CaseAction,
    CaseReason,
    CaseState,
    Urgency,
    next_state,
)
from helpbot.cases.views import case_view
from helpbot.conversation.messages import QuickReply, Reply, reply_extra
from helpbot.conversation.texts import phrases
from helpbot.errors import HelpbotError
from helpbot.storage import history
from helpbot.storage.database import Database
from helpbot.storage.models import Case, Contact, DeliveryStatus

logger = logging.getLogger(__name__)

# Lines a case worker starts with this marker stay in Slack; the person never sees them.
NOTE_MARKER = "//"
# A person who writes again this soon after resolution reopens the case.
REOPEN_WINDOW = dt.timedelta(hours=24)
SATISFACTION_SCORES = (3, 2, 1)


class CaseNotFoundError(HelpbotError):
    """No case with that number (or that thread)."""


@dataclass(frozen=True, slots=True)
class Opened:
    case: Case
    is_new: bool
    post_ids: list[int]


def satisfaction_postback(case_id: int, score: int) -> str:
    return f"a=csat&case={case_id}&v={score}"


class CaseService:
    """The case lifecycle. Staff posts go to the outbox; person messages to the messenger."""

    def __init__(
        self,
        *,
        database: Database,
        outbox: StaffOutbox,
        messenger: PersonMessenger,
        clock: Callable[[], dt.datetime],
        reannounce_after: dt.timedelta = dt.timedelta(minutes=30),
    ) -> None:
        self._database = database
        self.outbox = outbox
        self._messenger = messenger
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
    ) -> Opened:
        """Open a case for the contact, or raise the urgency of the one already open."""
        case = self.active_case(session, contact)
        if case is not None:
            posts: list[int] = []
            if urgency is Urgency.URGENT and case.urgency != Urgency.URGENT:
                case.urgency = Urgency.URGENT
                case.crisis_category = crisis_category
                posts.append(
                    add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id
                )
            if urgency is Urgency.URGENT:
                note = f"URGENT: danger signs ({crisis_category}) in the person's message."
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
            opened_at=now,
            last_announced_at=now,
            times_reopened=0,
        )
        session.add(case)
        session.flush()
        post_ids = [add_post(session, case_id=case.id, kind=PostKind.CASE, text="", now=now).id]
        if urgency is Urgency.URGENT:
            note = f"URGENT: danger signs ({crisis_category}). Please claim this case now."
            post_ids.append(
                add_post(session, case_id=case.id, kind=PostKind.URGENT, text=note, now=now).id
            )
        logger.info("opened case %s (%s, %s)", case.id, reason, urgency)
        return Opened(case=case, is_new=True, post_ids=post_ids)

    def relay_from_person(
        self, session: Session, case: Case, text: str, *, now: dt.datetime
    ) -> list[int]:
        """What the person wrote, into the case's thread (contact details masked)."""
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
            contact = session.get(Contact, case.contact_id)
            assert contact is not None
            words = phrases(contact.language)
            message = self._store_staff_message(
                session, contact, words.case_claimed, now=now, kind="notice"
            )
        self._send_to_person(
            contact, [Reply(text=words.case_claimed)], message, key=f"claim/{case_id}"
        )
        self.outbox.deliver(posts)
        return case

    def resolve(self, case_id: int, *, worker_id: str, worker_name: str) -> Case:
        now = self._clock()
        with self._database.session() as session:
            case = self._get(session, case_id)
            case.state = next_state(CaseState(case.state), CaseAction.RESOLVE)
            case.resolved_at = now
            if case.claimed_by is None:
                case.claimed_by, case.claimed_by_name = worker_id, worker_name
            posts = [add_post(session, case_id=case.id, kind=PostKind.UPDATE, text="", now=now).id]
            contact = session.get(Contact, case.contact_id)
            assert contact is not None
            words = phrases(contact.language)
            buttons = tuple(
                QuickReply(
                    label=label, postback=satisfaction_postback(case.id, score), display_text=label
                )
                for score, label in zip(SATISFACTION_SCORES, words.satisfaction_labels, strict=True)
            )
            reply = Reply(text=words.case_closed, quick_replies=buttons)
            message = self._store_staff_message(
                session, contact, reply.text, now=now, kind="notice", extra=reply_extra(reply)
            )
        key = f"resolve/{case_id}/{int(now.timestamp())}"
        self._send_to_person(contact, [reply], message, key=key)
        self.outbox.deliver(posts)
        return case

    def relay_from_worker(self, ref_ts: str, *, worker_name: str, text: str) -> bool:
        """A worker's thread reply reaches the person; note lines stay internal."""
        body = "\n".join(
            line for line in text.splitlines() if not line.lstrip().startswith(NOTE_MARKER)
        ).strip()
        if not body:
            return False
        now = self._clock()
        with self._database.session() as session:
            case = session.scalars(select(Case).where(Case.slack_ts == ref_ts)).one_or_none()
            if case is None:
                return False
            contact = session.get(Contact, case.contact_id)
            assert contact is not None
            message = self._store_staff_message(session, contact, body, now=now)
            case_id = case.id
        self._send_to_person(contact, [Reply(text=body)], message, key=f"relay/{message}")
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

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    def _get(session: Session, case_id: int) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFoundError(f"there is no case #{case_id}")
        return case

    @staticmethod
    def _store_staff_message(
        session: Session,
        contact: Contact,
        text: str,
        *,
        now: dt.datetime,
        kind: str = "staff",
        extra: dict[str, object] | None = None,
    ) -> int:
        conversation = history.current_conversation(session, contact, now=now)
        message = history.add_outbound(
            session,
            conversation,
            text=text,
            extra=extra,
            entry_id=None,
            decision=None,
            score=None,
            now=now,
        )
        message.kind = kind
        session.flush()
        return message.id

    def _send_to_person(
        self, contact: Contact, replies: list[Reply], message_id: int, *, key: str
    ) -> None:
        error = None
        if contact.reachable:
            error = self._messenger.send(
                channel=contact.channel,
                user_id=contact.channel_user_id,
                replies=replies,
                key=key,
            )
        else:
            error = "the person has blocked or left the account"
        with self._database.session() as session:
            history.mark_delivery(
                session,
                [message_id],
                status=DeliveryStatus.SENT if error is None else DeliveryStatus.FAILED,
                error=error,
            )


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
