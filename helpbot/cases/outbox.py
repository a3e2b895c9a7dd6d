"""Posts for case workers: stored first, then sent; failures are kept and retried.

A post is claimed through the shared lease queue (``storage/leases.py``), so two threads or
processes never send the same post, and it is retried with the same backoff as messages to
people. Thread lines wait until the case's own message is in the staff tool, so a thread never
starts before its case. A notice (no case) goes to the staff channel itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from enum import StrEnum

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from helpbot.cases.masking import NO_PUBLIC_NUMBERS, Mask
from helpbot.cases.ports import ERASED_NOTICE, CaseView, StaffNotifier, StaffRef, ThreadErasure
from helpbot.cases.views import case_view
from helpbot.core.retry import RetryPolicy
from helpbot.errors import DeliveryError
from helpbot.storage.database import Database
from helpbot.storage.leases import UNFINISHED, Lease, LeaseQueue
from helpbot.storage.models import Case, QueueState, StaffPost

logger = logging.getLogger(__name__)

# What sending a post did: the case's new place in the staff tool (its own message, posted
# now), what an erasure changed in the thread, or nothing to tell.
Posted = StaffRef | ThreadErasure | None


class PostKind(StrEnum):
    CASE = "case"  # the case's own message, with its buttons
    UPDATE = "update"  # redraw the case's message with the current state
    THREAD = "thread"  # a line in the case's thread
    URGENT = "urgent"  # a line in the thread that mentions the whole channel
    NOTICE = "notice"  # a line in the staff channel, about no case
    DIGEST = "digest"  # the weekly list of records to review, in the staff channel
    MEDIA = "media"  # a file the person sent, fetched and uploaded to the thread (media.py)
    # An erasure: the app's messages in the thread replaced and its files deleted. Stored, so
    # a Slack that was down when the person was erased is reached when it answers again.
    ERASE = "erase"


# What an unsent post says once the retention purge removed its text (personal_data/
# redaction.py): it keeps its place, so a Slack that answers again after the window gets a
# coherent thread, without the person's words (and an empty line is not a Slack message).
EXPIRED_TEXT = ("（保存期間を過ぎたため本文を削除しました / "
                "text removed after the retention period）")


def add_post(
    session: Session, *, case_id: int | None, kind: PostKind, text: str, now: dt.datetime
) -> StaffPost:
    post = StaffPost(
        case_id=case_id,
        kind=kind,
        text=text,
        status=QueueState.PENDING,
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
        mask: Mask = NO_PUBLIC_NUMBERS,
        media: Callable[[StaffNotifier, StaffRef, str], None] | None = None,
    ) -> None:
        self._database = database
        self._notifier = notifier
        # Posts a MEDIA post (cases/media.py's MediaRelay.post); without it, a note.
        self._media = media
        self._clock = clock
        self._timezone = timezone
        self._policy = policy or RetryPolicy()
        self.mask = mask  # personal data out, the NPO's public numbers kept
        self.queue = LeaseQueue(database, StaffPost, order_by=(StaffPost.id,))

    def shows(self, person_channel: str) -> bool:
        """Whether case workers would see a case of a person on ``person_channel``."""
        return self._notifier.shows(person_channel)

    def erase_thread(self, post_id: int) -> ThreadErasure | None:
        """Send a stored ``ERASE`` post now and say what it did; None when another sender
        holds it. DeliveryError when the staff tool failed: the post stays, retried later."""
        claimed, done = self._send_one(post_id, raise_failure=True)
        return done if claimed and isinstance(done, ThreadErasure) else None

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
                    .where(self.queue.due(now))
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
        self.notice(text)  # about no case: a notice, stored and retried the same way
        return True

    def add_notice(self, session: Session, text: str) -> int:
        """Store a notice for the staff channel (sent with :meth:`deliver`, retried)."""
        return add_post(
            session, case_id=None, kind=PostKind.NOTICE, text=f"⚠️ {text}", now=self._clock()
        ).id

    def notice(self, text: str) -> int:
        """Tell the whole staff channel something: stored first, sent now or retried later."""
        with self._database.session() as session:
            post_id = self.add_notice(session, text)
        self.deliver([post_id])
        return post_id

    def undelivered(self) -> list[StaffPost]:
        with self._database.session() as session:
            return list(
                session.scalars(
                    select(StaffPost)
                    .where(StaffPost.status.in_(UNFINISHED))
                    .order_by(StaffPost.id)
                )
            )

    def _claim(self, session: Session, post_id: int, now: dt.datetime) -> Lease | None:
        # A thread line or an update waits for the case's own message in the staff tool.
        case_is_posted = (
            select(Case.slack_ts).where(Case.id == StaffPost.case_id).scalar_subquery()
        ).is_not(None)
        ready: ColumnElement[bool] = or_(
            StaffPost.kind.in_((PostKind.CASE, PostKind.NOTICE, PostKind.DIGEST)), case_is_posted
        )
        leases = self.queue.claim(
            now, ids=[post_id], where=[ready], session=session,
            returning=(StaffPost.kind, StaffPost.text, StaffPost.case_id),
        )
        return leases[0] if leases else None

    def _send(self, post_id: int) -> int:
        claimed, _ = self._send_one(post_id)
        return int(claimed)

    def _send_one(self, post_id: int, *, raise_failure: bool = False) -> tuple[bool, Posted]:
        """Claim, send and finish one post: whether it was sent, and what :meth:`_post` did.

        A failure is kept for a retry and logged, or (``raise_failure``) raised to the caller.
        """
        now = self._clock()
        with self._database.session() as session:  # claimed and read in one transaction
            lease = self._claim(session, post_id, now)
            if lease is None:
                return False, None
            raw_kind, text, case_id = lease.values
            kind = PostKind(raw_kind)
            case = session.get(Case, case_id) if case_id is not None else None
            view = (  # an erasure redraws nothing
                case_view(session, case, now=now, tz=self._timezone(), mask=self.mask)
                if case and kind is not PostKind.ERASE
                else None
            )
            ref = StaffRef(case.slack_channel, case.slack_ts) if case and case.slack_ts else None
        try:
            posted = self._post(kind, text, case, view, ref)
        except DeliveryError as error:
            self._finish(lease, failure=error)
            if raise_failure:
                raise
            logger.warning("staff post %s (%s) not delivered: %s", post_id, kind, error)
            return False, None
        waiting: list[int] = []
        with self._database.session() as session:  # its ref, done, and what waited for it
            if isinstance(posted, StaffRef) and case is not None:
                self._store_ref(session, case.id, posted)
            self.queue.finish(lease, only_owned=False, sent_at=self._clock(), last_error=None,
                              session=session)
            if kind is PostKind.CASE and case is not None:
                waiting = self._waiting(session, case.id)
        self.deliver(waiting)
        return True, posted

    def _post(
        self,
        kind: PostKind,
        text: str,
        case: Case | None,
        view: CaseView | None,
        ref: StaffRef | None,
    ) -> Posted:
        """Send one post; the case's new place in the staff tool when it was posted now, or
        what an erasure did to the thread."""
        if kind in (PostKind.NOTICE, PostKind.DIGEST):
            self._notifier.post_notice(text)
            return None
        if kind is PostKind.ERASE:  # needs the thread, not the case's view
            if ref is None:
                raise DeliveryError("the case is not in the staff tool", status=503)
            return self._notifier.redact_thread(ref, ERASED_NOTICE)
        if case is None or view is None:
            raise DeliveryError(f"a {kind} post needs its case", status=400)
        if kind is PostKind.CASE:
            return self._notifier.post_case(view) if ref is None else None
        if ref is None:
            raise DeliveryError("the case is not in the staff tool yet", status=503)
        if kind is PostKind.UPDATE:
            self._notifier.update_case(ref, view)
        elif kind is PostKind.MEDIA and self._media is not None:
            self._media(self._notifier, ref, text)
        elif kind is PostKind.MEDIA:
            self._notifier.post_in_thread(ref, "👤 (a file that cannot be shown here)",
                                          mention_channel=False)
        else:
            self._notifier.post_in_thread(ref, text, mention_channel=kind is PostKind.URGENT)
        return None

    @staticmethod
    def _store_ref(session: Session, case_id: int, ref: StaffRef) -> None:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(slack_channel=ref.channel, slack_ts=ref.ts)
        )

    @staticmethod
    def _waiting(session: Session, case_id: int) -> list[int]:
        """The case's posts that waited for its own message in the staff tool."""
        return list(
            session.scalars(
                select(StaffPost.id)
                .where(
                    StaffPost.case_id == case_id,
                    StaffPost.status.in_(UNFINISHED),
                    StaffPost.kind != PostKind.CASE,
                )
                .order_by(StaffPost.id)
            )
        )

    def _finish(self, lease: Lease, *, failure: DeliveryError | None) -> None:
        """Sent, or failed and due again after the same backoff as messages to people.

        Posts for staff are never given up: a Slack that is down or misconfigured gets them
        all, in order, once it answers again.
        """
        now = self._clock()
        if failure is None:
            self.queue.finish(lease, only_owned=False, sent_at=now, last_error=None)
            return
        self.queue.retry_later(
            lease, now=now, backoff=self._policy, cause=failure, last_error=str(failure)[:255]
        )
