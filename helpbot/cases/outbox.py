"""Posts for case workers: stored first, then sent; failures are kept and retried.

A post is claimed with a lease (a conditional UPDATE that moves ``next_attempt_at`` ahead), so
two threads or processes never send the same post. Thread lines wait until the case's own
message is in the staff tool, so a thread never starts before its case.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from enum import StrEnum

from sqlalchemy import select, update

from helpbot.cases.ports import StaffNotifier, StaffRef
from helpbot.cases.views import case_view
from helpbot.delivery.policy import RetryPolicy
from helpbot.errors import DeliveryError
from helpbot.storage.database import Database
from helpbot.storage.models import Case, DeliveryStatus, StaffPost

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)
SENDING = "sending"


class PostKind(StrEnum):
    CASE = "case"  # the case's own message, with its buttons
    UPDATE = "update"  # redraw the case's message with the current state
    THREAD = "thread"  # a line in the case's thread
    URGENT = "urgent"  # a line in the thread that mentions the whole channel
    NOTICE = "notice"  # a message to the whole channel, about no case (a broken faq/ edit)


def add_post(
    session, *, case_id: int | None, kind: PostKind, text: str, now: dt.datetime
) -> StaffPost:
    post = StaffPost(
        case_id=case_id,
        kind=kind,
        text=text,
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    session.add(post)
    session.flush()
    return post


class StaffOutbox:
    """Sends stored staff posts through the notifier and records how it went."""

    def __init__(
        self,
        *,
        database: Database,
        notifier: StaffNotifier,
        clock: Callable[[], dt.datetime],
        timezone: Callable[[], dt.tzinfo] = lambda: dt.UTC,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._database = database
        self._notifier = notifier
        self._clock = clock
        self._timezone = timezone
        self._policy = policy or RetryPolicy()

    def deliver(self, post_ids: Iterable[int]) -> None:
        for post_id in sorted(post_ids):
            self._send(post_id)

    def retry_due(self, *, limit: int = 100) -> int:
        """Send every post that is due (new, failed or with an expired lease); count them."""
        now = self._clock()
        with self._database.session() as session:
            due = list(
                session.scalars(
                    select(StaffPost.id)
                    .where(
                        StaffPost.status != DeliveryStatus.SENT, StaffPost.next_attempt_at <= now
                    )
                    .order_by(StaffPost.id)
                    .limit(limit)
                )
            )
        sent = 0
        for post_id in due:
            sent += self._send(post_id)
        return sent

    def refresh_case(self, case_id: int) -> None:
        """Redraw the case's message (its state or follow-ups changed)."""
        with self._database.session() as session:
            post = add_post(session, case_id=case_id, kind=PostKind.UPDATE, text="",
                            now=self._clock())
        self.deliver([post.id])

    def alert(self, case_id: int | None, text: str) -> bool:
        """Tell case workers something went wrong: in the case's thread, or in the channel."""
        if case_id is not None:
            with self._database.session() as session:
                post = add_post(
                    session, case_id=case_id, kind=PostKind.THREAD, text=f"⚠️ {text}",
                    now=self._clock(),
                )
            self.deliver([post.id])
            return True  # stored: sent now or retried with the other staff posts
        try:
            self._notifier.post_notice(f"⚠️ {text}")
        except DeliveryError as error:
            logger.warning("could not alert staff: %s", error)
            return False
        return True

    def notice(self, text: str) -> int:
        """Tell the whole staff channel something: stored first, sent now or retried later."""
        with self._database.session() as session:
            post = add_post(session, case_id=None, kind=PostKind.NOTICE, text=f"⚠️ {text}",
                            now=self._clock())
        self.deliver([post.id])
        return post.id

    def undelivered(self) -> list[StaffPost]:
        with self._database.session() as session:
            return list(
                session.scalars(
                    select(StaffPost)
                    .where(StaffPost.status != DeliveryStatus.SENT)
                    .order_by(StaffPost.id)
                )
            )

    def _claim(self, post_id: int, now: dt.datetime) -> bool:
        with self._database.session() as session:
            post = session.get(StaffPost, post_id)
            if post is None or post.status == DeliveryStatus.SENT:
                return False
            case = session.get(Case, post.case_id) if post.case_id is not None else None
            if post.kind not in (PostKind.CASE, PostKind.NOTICE) and (
                case is None or case.slack_ts is None
            ):
                return False  # waits for the case's own message
            result = session.execute(
                update(StaffPost)
                .where(
                    StaffPost.id == post_id,
                    StaffPost.status != DeliveryStatus.SENT,
                    StaffPost.next_attempt_at <= now,
                )
                .values(
                    status=SENDING, attempts=StaffPost.attempts + 1, next_attempt_at=now + LEASE
                )
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    def _send(self, post_id: int) -> int:
        now = self._clock()
        if not self._claim(post_id, now):
            return 0
        if self._is_notice(post_id):
            return self._send_notice(post_id)
        with self._database.session() as session:
            post = session.get(StaffPost, post_id)
            case = session.get(Case, post.case_id) if post else None
            assert post is not None and case is not None
            kind, text = PostKind(post.kind), post.text
            view = case_view(session, case, now=now, tz=self._timezone())
            ref = StaffRef(case.slack_channel, case.slack_ts) if case.slack_ts else None
        try:
            if kind is PostKind.CASE:
                if ref is None:
                    ref = self._notifier.post_case(view)
                    self._store_ref(case.id, ref)
            elif kind is PostKind.UPDATE:
                assert ref is not None
                self._notifier.update_case(ref, view)
            else:
                assert ref is not None
                self._notifier.post_in_thread(ref, text, mention_channel=kind is PostKind.URGENT)
        except DeliveryError as error:
            self._finish(post_id, failure=error)
            logger.warning("staff post %s for case %s not delivered: %s", post_id, case.id, error)
            return 0
        self._finish(post_id, failure=None)
        if kind is PostKind.CASE:
            self._deliver_waiting(case.id)
        return 1

    def _is_notice(self, post_id: int) -> bool:
        with self._database.session() as session:
            post = session.get(StaffPost, post_id)
            return post is not None and post.kind == PostKind.NOTICE

    def _send_notice(self, post_id: int) -> int:
        with self._database.session() as session:
            post = session.get(StaffPost, post_id)
            text = post.text if post is not None else ""
        try:
            self._notifier.post_notice(text)
        except DeliveryError as error:
            self._finish(post_id, failure=error)
            logger.warning("staff notice %s not delivered: %s", post_id, error)
            return 0
        self._finish(post_id, failure=None)
        return 1

    def _store_ref(self, case_id: int, ref: StaffRef) -> None:
        with self._database.session() as session:
            session.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(slack_channel=ref.channel, slack_ts=ref.ts)
            )

    def _deliver_waiting(self, case_id: int) -> None:
        with self._database.session() as session:
            waiting = list(
                session.scalars(
                    select(StaffPost.id)
                    .where(
                        StaffPost.case_id == case_id,
                        StaffPost.status != DeliveryStatus.SENT,
                        StaffPost.kind != PostKind.CASE,
                    )
                    .order_by(StaffPost.id)
                )
            )
        self.deliver(waiting)

    def _finish(self, post_id: int, *, failure: DeliveryError | None) -> None:
        """Sent, or failed and due again after the same backoff as messages to people.

        Posts for staff are never given up: a Slack that is down or misconfigured gets them
        all, in order, once it answers again.
        """
        now = self._clock()
        with self._database.session() as session:
            post = session.get(StaffPost, post_id)
            assert post is not None
            if failure is None:
                post.status, post.sent_at, post.last_error = DeliveryStatus.SENT, now, None
            else:
                post.status = DeliveryStatus.FAILED
                post.last_error = str(failure)[:255]
                post.next_attempt_at = self._policy.next_attempt(
                    attempts=post.attempts, error=failure, now=now
                )
