"""The people outbox: every message to a person that must arrive goes through here.

    scheduled ──claim──▶ sending ──ok──▶ sent
        ▲                   │
        └──retryable error──┤──permanent error or too late──▶ failed (staff are told)
    scheduled ──case resolved / person left──▶ cancelled

A row is claimed by moving ``next_attempt_at`` one lease ahead in the same statement that sets
``sending``; on PostgreSQL the candidates are picked with ``FOR UPDATE SKIP LOCKED``, so two
workers (or two hosts) never take the same row, and a row whose sender died comes back when its
lease runs out. A person's messages go out in order: a row waits while an earlier due row of the
same person is unfinished. LINE pushes carry a retry key derived from the row, so a retry after
a crash never delivers twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from helpbot.cases.ports import PersonMessenger
from helpbot.conversation.messages import QuickReply, Reply
from helpbot.delivery.policy import RetryPolicy, is_retryable
from helpbot.errors import DeliveryError
from helpbot.storage.database import Database
from helpbot.storage.models import Contact, Delivery, DeliveryState, DeliveryStatus, Message

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)
# A claimed row is not sent when less than this is left of its lease (another sender may
# take it soon after); it simply comes back when the lease runs out.
LEASE_MARGIN = dt.timedelta(seconds=20)
UNFINISHED = (DeliveryState.SCHEDULED, DeliveryState.SENDING)
# People sent to at once by one worker; each person's own messages stay in order.
PARALLEL_PEOPLE = 4


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    channel: str
    user_id: str
    reachable: bool
    text: str
    extra: dict[str, Any] | None
    retry_key: str
    attempts: int
    due_at: dt.datetime
    case_id: int | None
    message_id: int | None
    kind: str
    lease_until: dt.datetime


StaffAlert = Callable[[int | None, str], bool]


def enqueue(
    session: Session,
    *,
    contact_id: int,
    kind: str,
    text: str,
    due_at: dt.datetime,
    now: dt.datetime,
    extra: dict[str, Any] | None = None,
    case_id: int | None = None,
    message_id: int | None = None,
    created_by: str | None = None,
    keep_after_resolve: bool = False,
    entry_id: str | None = None,
) -> Delivery:
    """Store a message for a person; it goes out when due (see ``PeopleOutbox.run_due``)."""
    row = Delivery(
        contact_id=contact_id,
        case_id=case_id,
        message_id=message_id,
        kind=kind,
        text=text,
        extra=extra,
        state=DeliveryState.SCHEDULED,
        due_at=due_at,
        next_attempt_at=due_at,
        attempts=0,
        retry_key=str(uuid.uuid4()),
        created_by=created_by,
        keep_after_resolve=keep_after_resolve,
        entry_id=entry_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _replies(text: str, extra: dict[str, Any] | None) -> list[Reply]:
    buttons = tuple(
        QuickReply(label=q["label"], postback=q["postback"], display_text=q.get("display_text", ""))
        for q in (extra or {}).get("quick_replies", [])
    )
    return [Reply(text=text, quick_replies=buttons)]


class PeopleOutbox:
    """Claims due deliveries and sends them through the person's channel."""

    def __init__(
        self,
        *,
        database: Database,
        messenger: PersonMessenger,
        clock: Callable[[], dt.datetime],
        policy: RetryPolicy | None = None,
        postpone: Callable[[str, dt.datetime], dt.datetime] | None = None,
        staff_alert: StaffAlert | None = None,
        case_changed: Callable[[int], None] | None = None,
    ) -> None:
        self._database = database
        self._messenger = messenger
        self._clock = clock
        self.policy = policy or RetryPolicy()
        # Reminders are not sent in quiet hours: returns when a row may go out.
        self._postpone = postpone
        self._staff_alert = staff_alert
        # Follow-ups are shown on the case message: redraw it when one is sent or fails.
        self._case_changed = case_changed

    def deliver_now(self, ids: Iterable[int]) -> int:
        """Try the given rows at once (they are claimed like any other, so never twice)."""
        return self._send_all(self._claim(ids=list(ids), limit=None))

    def run_due(self, *, limit: int = 200) -> int:
        """Send what is due, oldest first; return how many were sent."""
        return self._send_all(self._claim(ids=None, limit=limit))

    def _send_all(self, claimed: list[Claimed]) -> int:
        """Send claimed rows: people in parallel, each person's rows in order."""
        by_person: dict[tuple[str, str], list[Claimed]] = {}
        for row in claimed:
            by_person.setdefault((row.channel, row.user_id), []).append(row)
        if len(by_person) <= 1:
            return sum(self._send(row) for row in claimed)
        with ThreadPoolExecutor(
            max_workers=min(PARALLEL_PEOPLE, len(by_person)), thread_name_prefix="helpbot-send"
        ) as pool:
            return sum(pool.map(self._send_in_order, by_person.values()))

    def _send_in_order(self, rows: list[Claimed]) -> int:
        sent = 0
        for row in rows:
            done = self._send(row)
            if not done:
                break  # a later message must not overtake this one
            sent += done
        return sent

    def _claim(self, *, ids: list[int] | None, limit: int | None) -> list[Claimed]:
        now = self._clock()
        earlier = aliased(Delivery)
        blocked = exists().where(
            earlier.contact_id == Delivery.contact_id,
            earlier.state.in_(UNFINISHED),
            earlier.due_at <= now,
            or_(
                earlier.due_at < Delivery.due_at,
                and_(earlier.due_at == Delivery.due_at, earlier.id < Delivery.id),
            ),
        )
        query = (
            select(Delivery.id)
            .where(Delivery.state.in_(UNFINISHED), Delivery.next_attempt_at <= now, ~blocked)
            .order_by(Delivery.due_at, Delivery.id)
        )
        if ids is not None:
            if not ids:
                return []
            query = query.where(Delivery.id.in_(ids))
        if limit is not None:
            query = query.limit(limit)
        if not self._database.is_sqlite:
            query = query.with_for_update(skip_locked=True, of=Delivery)
        with self._database.session() as session:
            candidates = list(session.scalars(query))
            if not candidates:
                return []
            taken = set(
                session.scalars(
                    update(Delivery)
                    .where(
                        Delivery.id.in_(candidates),
                        Delivery.state.in_(UNFINISHED),
                        Delivery.next_attempt_at <= now,
                    )
                    .values(
                        state=DeliveryState.SENDING,
                        attempts=Delivery.attempts + 1,
                        next_attempt_at=now + LEASE,
                    )
                    .returning(Delivery.id)
                )
            )
            rows = session.execute(
                select(Delivery, Contact)
                .join(Contact, Delivery.contact_id == Contact.id)
                .where(Delivery.id.in_(taken))
                .order_by(Delivery.due_at, Delivery.id)
            ).all()
            return [
                Claimed(
                    id=d.id,
                    channel=c.channel,
                    user_id=c.channel_user_id,
                    reachable=c.reachable,
                    text=d.text,
                    extra=d.extra,
                    retry_key=d.retry_key,
                    attempts=d.attempts,
                    due_at=d.due_at,
                    case_id=d.case_id,
                    message_id=d.message_id,
                    kind=d.kind,
                    lease_until=d.next_attempt_at,
                )
                for d, c in rows
            ]

    def _owned(self, row: Claimed) -> Any:
        """The condition that this sender still holds the row's lease."""
        return and_(
            Delivery.id == row.id,
            Delivery.state == DeliveryState.SENDING,
            Delivery.attempts == row.attempts,
        )

    def _send(self, row: Claimed) -> int:
        now = self._clock()
        if now > row.lease_until - LEASE_MARGIN:
            logger.info("delivery %s: lease nearly over; left for the next round", row.id)
            return 0
        if self._postpone is not None:
            allowed = self._postpone(row.kind, now)
            if allowed > now:
                with self._database.session() as session:
                    session.execute(
                        update(Delivery).where(self._owned(row)).values(
                            state=DeliveryState.SCHEDULED,
                            next_attempt_at=allowed,
                            attempts=Delivery.attempts - 1,  # quiet hours: not an attempt
                        )
                    )
                return 0
        if not row.reachable:
            self._fail(row, "the person has blocked or left the account", now)
            return 0
        try:
            self._messenger.send(
                channel=row.channel,
                user_id=row.user_id,
                replies=_replies(row.text, row.extra),
                key=f"delivery/{row.retry_key}",
            )
        except DeliveryError as error:
            self._after_error(row, error, now)
            return 0
        with self._database.session() as session:
            # Sent even if our lease ran out meanwhile: LINE took it (retry keys stop doubles).
            session.execute(
                update(Delivery)
                .where(Delivery.id == row.id, Delivery.state != DeliveryState.SENT)
                .values(state=DeliveryState.SENT, sent_at=self._clock(), last_error=None)
            )
            self._mark_message(session, row, DeliveryStatus.SENT, None)
        self._followup_changed(row)
        return 1

    def _followup_changed(self, row: Claimed) -> None:
        if self._case_changed is not None and row.case_id is not None and row.kind == "reminder":
            self._case_changed(row.case_id)

    def _after_error(self, row: Claimed, error: DeliveryError, now: dt.datetime) -> None:
        if not is_retryable(error) or self.policy.gives_up(due_at=row.due_at, now=now):
            self._fail(row, str(error), now)
            return
        next_attempt = self.policy.next_attempt(attempts=row.attempts, error=error, now=now)
        with self._database.session() as session:
            session.execute(
                update(Delivery)
                .where(self._owned(row))
                .values(
                    state=DeliveryState.SCHEDULED,
                    next_attempt_at=next_attempt,
                    last_error=str(error)[:255],
                )
            )
        logger.info("delivery %s will be retried (%s)", row.id, error)

    def _fail(self, row: Claimed, reason: str, now: dt.datetime) -> None:
        with self._database.session() as session:
            result = session.execute(
                update(Delivery)
                .where(self._owned(row))
                .values(state=DeliveryState.FAILED, last_error=reason[:255])
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return  # another sender holds it now
            self._mark_message(session, row, DeliveryStatus.FAILED, reason)
        logger.warning("delivery %s failed for good: %s", row.id, reason)
        self._followup_changed(row)
        self.tell_staff_about_failures()

    def tell_staff_about_failures(self) -> int:
        """Tell staff about every failed delivery they have not heard of; count them."""
        if self._staff_alert is None:
            return 0
        with self._database.session() as session:
            failed = session.execute(
                select(Delivery.id, Delivery.case_id, Delivery.last_error)
                .where(Delivery.state == DeliveryState.FAILED, Delivery.staff_told_at.is_(None))
                .order_by(Delivery.id)
            ).all()
        told = 0
        for delivery_id, case_id, reason in failed:
            note = f"A message to the person could not be delivered ({reason})."
            if self._staff_alert(case_id, note):
                with self._database.session() as session:
                    session.execute(
                        update(Delivery)
                        .where(Delivery.id == delivery_id)
                        .values(staff_told_at=self._clock())
                    )
                told += 1
        return told

    @staticmethod
    def _mark_message(
        session: Session, row: Claimed, status: DeliveryStatus, error: str | None
    ) -> None:
        if row.message_id is not None:
            session.execute(
                update(Message)
                .where(Message.id == row.message_id)
                .values(delivery_status=status, delivery_error=error and error[:255])
            )


def cancel(session: Session, *, where: Any) -> int:
    """Cancel scheduled rows matching ``where`` (a SQLAlchemy condition); count them."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.state == DeliveryState.SCHEDULED, where)
        .values(state=DeliveryState.CANCELLED)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]
