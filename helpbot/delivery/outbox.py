"""The people outbox: every message to a person that must arrive goes through here.

    pending ──claim──▶ leased ──ok──▶ done
        ▲                 │
        └─retryable error─┤──permanent error or too late──▶ failed (staff are told)
    pending ──case resolved / person left──▶ cancelled

Rows are claimed through the shared lease queue (``storage/leases.py``): ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, so two workers (or two hosts) never take the same row; the lease is
renewed while a batch is sent, and a row whose sender died comes back when it runs out. A
person's messages go out in order: a row waits while an earlier due row of the same person is
unfinished, except a reminder that quiet hours deferred, which holds back only later reminders
(``claims.py``: that rule, and what a claimed row carries).
LINE pushes carry a retry key derived from the row, so a retry after a crash never
delivers twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from helpbot.core.messages import Reply, stored_reply
from helpbot.core.ports import PersonMessenger
from helpbot.core.retry import RetryPolicy, is_retryable
from helpbot.delivery.claims import Claimed, read_claimed, waits_for_earlier
from helpbot.delivery.messages import cancel, enqueue
from helpbot.errors import DeliveryError
from helpbot.storage.database import Database
from helpbot.storage.leases import LeaseQueue
from helpbot.storage.models import Delivery, DeliveryStatus, Message, QueueState

logger = logging.getLogger(__name__)
# Rows are filled in delivery/messages.py; these two are also reached from here.
__all__ = ["PeopleOutbox", "cancel", "enqueue"]
# People sent to at once by one worker; each person's own messages stay in order.
PARALLEL_PEOPLE = 4

StaffAlert = Callable[[int | None, str], bool]


def _replies(text: str, extra: dict[str, Any] | None) -> list[Reply]:
    return [stored_reply(text, extra)]


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
        self.queue = LeaseQueue(
            database, Delivery, state="state", order_by=(Delivery.due_at, Delivery.id),
            waits_for=waits_for_earlier,
        )

    def deliver_now(self, ids: Iterable[int]) -> int:
        """Try the given rows at once (they are claimed like any other, so never twice)."""
        return self._send_all(self._defer_quiet(self._claim(ids=list(ids), limit=None)))

    def run_due(self, *, limit: int = 200) -> int:
        """Send what is due, oldest first; return how many were sent."""
        claimed = self._claim(ids=None, limit=limit)
        ready = self._defer_quiet(claimed)
        sent = self._send_all(ready)
        if len(ready) < len(claimed):
            # A deferred reminder no longer holds the person's other messages: send them now.
            sent += self._send_all(self._defer_quiet(self._claim(ids=None, limit=limit)))
        return sent

    def _defer_quiet(self, claimed: list[Claimed]) -> list[Claimed]:
        """Move rows that may not go out now (quiet hours) to when they may, marked deferred
        (not an attempt); return the others."""
        if self._postpone is None:
            return claimed
        now = self._clock()
        ready = []
        for row in claimed:
            allowed = self._postpone(row.kind, now)
            if allowed <= now:
                ready.append(row)
            elif self.queue.retry_later(
                row.lease, now=now, at=allowed, counts=False, deferred_until=allowed
            ):
                self._defer_held_behind(row, until=allowed)
        return ready

    def _defer_held_behind(self, row: Claimed, *, until: dt.datetime) -> None:
        """The person's later rows of the same kind due before ``until`` wait behind ``row``
        anyway: mark them deferred too, so that they hold no other message back either."""
        with self._database.session() as session:
            session.execute(
                update(Delivery)
                .where(
                    Delivery.contact_id == row.contact_id,
                    Delivery.kind == row.kind,
                    Delivery.state == QueueState.PENDING,
                    Delivery.due_at >= row.due_at,
                    Delivery.due_at < until,
                    Delivery.id != row.id,
                    or_(Delivery.deferred_until.is_(None), Delivery.deferred_until < until),
                )
                .values(deferred_until=until)
            )

    def _send_all(self, claimed: list[Claimed]) -> int:
        """Send claimed rows: people in parallel, each person's rows in order."""
        by_person: dict[tuple[str, str], list[Claimed]] = {}
        for row in claimed:
            by_person.setdefault((row.channel, row.user_id), []).append(row)
        with self.queue.keep_alive([row.lease for row in claimed], self._clock):
            if len(by_person) <= 1:
                return sum(self._send(row) for row in claimed)
            with ThreadPoolExecutor(
                max_workers=min(PARALLEL_PEOPLE, len(by_person)),
                thread_name_prefix="helpbot-send",
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
        leases = self.queue.claim(self._clock(), limit=limit, ids=ids)
        if not leases:
            return []
        return read_claimed(self._database, leases)

    def _send(self, row: Claimed) -> int:
        now = self._clock()
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
        # Sent even if our lease ran out meanwhile: LINE took it (retry keys stop doubles).
        self.queue.finish(row.lease, only_owned=False, sent_at=self._clock(), last_error=None)
        with self._database.session() as session:
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
        self.queue.retry_later(
            row.lease, now=now, backoff=self.policy, cause=error, last_error=str(error)[:255]
        )
        logger.info("delivery %s will be retried (%s)", row.id, error)

    def _fail(self, row: Claimed, reason: str, now: dt.datetime) -> None:
        if not self.queue.fail(row.lease, last_error=reason[:255]):
            return  # another sender holds it now
        with self._database.session() as session:
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
                .where(Delivery.state == QueueState.FAILED, Delivery.staff_told_at.is_(None))
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
