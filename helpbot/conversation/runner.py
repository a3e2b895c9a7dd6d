"""The core finishes every turn of a stored event; the channel adapter only translates.

Like bolt's listener runner and errbot's backend base class: an adapter gives the core two
things, the translation of a stored platform event into an ``Incoming`` and a transport for the
turn's replies (``EventAdapter``). The runner owns everything between and after:

    claim due events (a person's in order, people in parallel, leases renewed)
      ─▶ adapter.incoming(event)            nothing to answer: the event is finished
      ─▶ decide once: ConversationService.handle, the turn recorded with the event in the
         same transaction; an event decided before resends its recorded turn instead
      ─▶ adapter.send(event, turn)          platform calls only
      ─▶ record how it went: sent / refused (deliveries the worker retries) / unknown
         (the event comes back soon, the same turn is sent again)
      ─▶ finish the event, then the turn's posts for case workers
    a failure: tried again later; after the last try the person gets an apology (with the
    crisis lines if the message was a crisis, or cannot be read), staff a notice
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from helpbot.conversation.recovery import turn_record
from helpbot.conversation.service import ConversationService
from helpbot.conversation.turn import Clock, SendStatus, Sent, Turn
from helpbot.core.messages import Incoming
from helpbot.core.retry import RetryPolicy
from helpbot.errors import LeaseLostError, MalformedEvent, UnsupportedEvent
from helpbot.privacy import Pseudonymizer
from helpbot.storage.inbox import ClaimedEvent, Inbox, record_turn
from helpbot.storage.models import QueueState

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

# People answered at once by one worker: while a platform is slow, replies wait in parallel.
PARALLEL_PEOPLE = 8


class EventAdapter(Protocol):
    """What a channel whose events are stored first gives the core (errbot's backend)."""

    @property
    def channel(self) -> str:
        """The channel's name in the inbox and on contacts (``line``)."""

    @property
    def label(self) -> str:
        """The channel's name for people (``LINE``)."""

    def incoming(self, event: ClaimedEvent) -> Incoming:
        """The neutral message of a stored event; UnsupportedEvent when there is none."""

    def send(self, event: ClaimedEvent, turn: Turn, *, resend: bool) -> Sent:
        """Put the turn's replies on the wire; ``resend``: an earlier try got that far."""


class EventRunner:
    """Claims a channel's stored events and answers each exactly once."""

    def __init__(
        self,
        *,
        inbox: Inbox,
        conversation: ConversationService,
        clock: Clock,
        pseudonym: Pseudonymizer,
        retry: RetryPolicy | None = None,
        parallel: int = PARALLEL_PEOPLE,
    ) -> None:
        self._inbox = inbox
        self._conversation = conversation
        self._clock = clock
        self._pseudonym = pseudonym
        # When a failed event is tried again (the same policy as every queue).
        self._retry = retry or RetryPolicy()
        self._parallel = parallel
        # One pool for the runner's life: a pool (and its threads) per batch cost CPU per event.
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _answering_pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self._parallel, thread_name_prefix="helpbot-answer"
                )
            return self._pool

    def answer_due(self, adapter: EventAdapter, *, limit: int = 20) -> int:
        """Claim and answer due events (the worker's job); return how many were handled.

        People are answered in parallel (a slow platform delays one reply, not the batch),
        each person's events in order. The batch's leases are renewed while it is answered, so
        they can be short: a killed worker's events come back while reply tokens are good."""
        claimed = self._inbox.claim_due(channel=adapter.channel, now=self._clock(), limit=limit)
        by_person: dict[str | None, list[ClaimedEvent]] = {}
        for event in claimed:
            by_person.setdefault(event.source or event.event_id, []).append(event)

        def in_order(events: Sequence[ClaimedEvent]) -> None:
            for event in events:
                self.process(adapter, event)

        with self._inbox.keep_alive(claimed, self._clock):
            self._prepare(adapter, claimed)
            if len(by_person) <= 1:
                in_order(claimed)
            else:
                list(self._answering_pool().map(in_order, by_person.values()))
        return len(claimed)

    def _prepare(self, adapter: EventAdapter, claimed: Sequence[ClaimedEvent]) -> None:
        """A batch's new messages prepared together (``ConversationService.prepare``); an
        event that cannot be read is left to ``_process``, a failure here to the turns."""
        incomings = []
        for event in claimed if len(claimed) > 1 else ():
            if event.turn is None:  # an event decided before is resent, not ranked
                # any error, not only the expected ones: this pass must never stop the batch
                with contextlib.suppress(Exception):
                    incomings.append(adapter.incoming(event))
        if len(incomings) < 2:
            return
        try:
            self._conversation.prepare(incomings)
        except Exception:
            logger.exception("could not prepare %d %s messages together; answering each "
                             "alone", len(incomings), adapter.label)

    def process(self, adapter: EventAdapter, stored: ClaimedEvent) -> None:
        """Answer one claimed event. Errors are recorded on the event, never raised."""
        try:
            self._process(adapter, stored)
        except LeaseLostError:
            # Our lease ran out and another worker has the event: it answers, we do nothing.
            logger.warning("%s event %s: lease lost to another worker", adapter.label,
                           stored.event_id)
            return
        except Exception:
            logger.exception("could not answer %s event %s", adapter.label, stored.event_id)
            status = self._inbox.retry_later(
                stored, now=self._clock(), error="answer failed", backoff=self._retry
            )
            logger.warning("%s event %s is now %s", adapter.label, stored.event_id, status)
            if status is QueueState.FAILED:
                self._apologize(adapter, stored)

    def _process(self, adapter: EventAdapter, stored: ClaimedEvent) -> None:
        try:
            incoming = adapter.incoming(stored)
        except MalformedEvent as why:  # no person to answer: nothing is sent, no retries
            logger.warning("malformed %s event %s: %s; not answered", adapter.label,
                           stored.event_id, why)
            self._inbox.give_up(stored, now=self._clock(), error=f"malformed: {why}")
            return
        except UnsupportedEvent as why:
            logger.info("ignoring %s event %s: %s", adapter.label, stored.event_id, why)
            self._inbox.finish(stored, now=self._clock())
            return
        resend = stored.turn is not None
        if stored.turn is None:
            turn = self._conversation.handle(
                incoming,
                on_recorded=lambda session, t: record_turn(session, stored, turn_record(t)),
            )
        else:  # an earlier try decided: resend that turn, never a second answer
            turn = self._conversation.recovery.recorded_turn(stored.turn)
        if turn.replies:
            sent = adapter.send(stored, turn, resend=resend)
            person = self._pseudonym(incoming.user_id)

            def finish(session: Session) -> None:  # with the replies' fate: one commit
                self._inbox.finish(stored, now=self._clock(), error=sent.doubt, session=session)

            if not self._conversation.recovery.record_sending(turn, sent, also=finish):
                # The reply's fate is open: the event comes back, with the same turn, soon.
                at = self._retry.next_attempt(attempts=1, now=self._clock(), error=sent.failure)
                self._inbox.retry_reply(stored, at=at, error=(sent.error or "")[:255])
                logger.warning("reply to %s: no answer from %s (%s); sending again soon",
                               person, adapter.label, sent.error)
                return
            if sent.status is SendStatus.REFUSED:
                logger.warning("reply to %s not delivered (%s); queued for retry", person,
                               sent.error)
            if sent.doubt:
                logger.warning("reply to %s: %s", person, sent.doubt)
        else:
            self._inbox.finish(stored, now=self._clock())
        self._conversation.deliver_staff_posts(turn)
        logger.info(
            "answered %s %s from %s: decision=%s entry=%s",
            adapter.label,
            incoming.kind,
            self._pseudonym(incoming.user_id),
            turn.decision,
            turn.entry_id,
        )

    def _apologize(self, adapter: EventAdapter, stored: ClaimedEvent) -> None:
        """Nobody is left in silence: the person gets an apology, staff are told; the message
        is read once more so that a person in danger also gets the lines to call."""
        what = (
            f"A {adapter.label} message could not be answered after {stored.attempts} tries "
            f"(event {stored.event_id})."
        )
        try:
            message = adapter.incoming(stored)
        except Exception:  # unreadable: the apology carries every crisis line
            message = None
        try:
            self._conversation.recovery.apologize(
                channel=adapter.channel, user_id=stored.source, what=what, message=message
            )
        except Exception:
            logger.exception("could not apologise for %s event %s", adapter.label,
                             stored.event_id)
