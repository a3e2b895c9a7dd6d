"""The LINE channel: accept a signed webhook body, then process each stored event."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from helpbot.channels.line.events import (
    CHANNEL,
    LineEvent,
    to_new_event,
    translate,
)
from helpbot.channels.line.sender import REPLY_WINDOW, LineSender, ReplyOutcome, ReplyToken
from helpbot.conversation.recovery import turn_record
from helpbot.conversation.service import ConversationService
from helpbot.conversation.turn import Turn
from helpbot.core.retry import RetryPolicy
from helpbot.errors import (
    LeaseLostError,
    RejectedWebhook,
    StorageUnavailableError,
    UnsafeInputError,
    UnstorableRowError,
    UnsupportedEvent,
)
from helpbot.privacy import Pseudonymizer
from helpbot.storage.inbox import ClaimedEvent, Inbox, record_turn
from helpbot.storage.models import DeliveryStatus, QueueState
from helpbot.storage.safe_json import parse_json

logger = logging.getLogger(__name__)

# People answered at once by one worker: while LINE is slow, replies wait in parallel.
PARALLEL_PEOPLE = 8
DOUBT = "reply outcome unknown and its token expired: pushed; it may have arrived twice"


# LINE's webhook bodies are a few KB; 100 events keep a group-committed batch of 64 requests
# inside PostgreSQL's 65,535 parameters per statement (9 per row).
MAX_EVENTS = 100


def valid_signature(secret: bytes, body: bytes, signature: str | bytes) -> bool:
    """LINE signs the raw body: base64(HMAC-SHA256(channel secret, body)); compared as bytes."""
    if isinstance(signature, str):
        try:
            signature = signature.encode("ascii")
        except UnicodeEncodeError:  # not base64, so not a signature (and no secret needed)
            return False
    if not signature:
        return False
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature)


@dataclass(frozen=True, slots=True)
class Accepted:
    received: int
    new_row_ids: list[int]


class LineChannel:
    """Verifies, stores and later answers LINE events; never lets an error reach LINE."""

    def __init__(
        self,
        *,
        channel_secret: str,
        sender: LineSender,
        inbox: Inbox,
        conversation: ConversationService,
        pseudonym: Pseudonymizer,
        clock: Callable[[], dt.datetime],
        retry: RetryPolicy | None = None,
    ) -> None:
        self._secret = channel_secret.encode()
        self._sender = sender
        self._inbox = inbox
        self._conversation = conversation
        self._pseudonym = pseudonym
        self._clock = clock
        # When a failed event is tried again (the same policy as every queue).
        self._retry = retry or RetryPolicy()

    def accept(self, body: bytes, signature: str) -> Accepted:
        """Check the signature on the raw bytes and store the events; nothing else."""
        if not valid_signature(self._secret, body, signature):
            raise RejectedWebhook("X-Line-Signature does not match the body")
        try:
            # Strict: UTF-8, no NaN, bounded depth; NUL and lone surrogates become U+FFFD.
            payload = parse_json(body)
        except UnsafeInputError as why:
            raise RejectedWebhook(str(why)) from None
        events = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise RejectedWebhook('body has no "events" list of objects')
        if len(events) > MAX_EVENTS:
            raise RejectedWebhook(f"body has more than {MAX_EVENTS} events", status=413)
        try:
            row_ids = self._inbox.store(
                channel=CHANNEL, events=[to_new_event(e) for e in events], now=self._clock()
            )
        except UnstorableRowError as why:
            # Only this request's rows; the requests stored with it in its batch are safe.
            raise RejectedWebhook(f"could not store the events ({why})") from None
        except StorageUnavailableError as why:
            raise RejectedWebhook(f"{why}; LINE will redeliver", status=503) from None
        return Accepted(received=len(events), new_row_ids=row_ids)

    def answer_due(self, *, limit: int = 20) -> int:
        """Claim and answer due events (the worker's job); return how many were handled.

        People are answered in parallel (a slow LINE delays one reply, not the batch), each
        person's events in order. The batch's leases are renewed while it is answered, so they
        can be short: a killed worker's events come back while their reply tokens are good."""
        claimed = self._inbox.claim_due(channel=CHANNEL, now=self._clock(), limit=limit)
        by_person: dict[str | None, list[ClaimedEvent]] = {}
        for event in claimed:
            by_person.setdefault(event.source or event.event_id, []).append(event)
        with self._inbox.keep_alive(claimed, self._clock):
            if len(by_person) <= 1:
                self._process_in_order(claimed)
            else:
                with ThreadPoolExecutor(
                    max_workers=min(PARALLEL_PEOPLE, len(by_person)),
                    thread_name_prefix="helpbot-answer",
                ) as pool:
                    list(pool.map(self._process_in_order, by_person.values()))
        return len(claimed)

    def _process_in_order(self, events: list[ClaimedEvent]) -> None:
        for event in events:
            self.process(event)

    def process(self, stored: ClaimedEvent) -> None:
        """Answer one claimed event. Errors are recorded on the event, never raised."""
        try:
            self._process(stored)
        except LeaseLostError:
            # Our lease ran out and another worker has the event: it answers, we do nothing.
            logger.warning("LINE event %s: lease lost to another worker", stored.event_id)
            return
        except Exception:
            logger.exception("could not answer LINE event %s", stored.event_id)
            status = self._inbox.retry_later(
                stored, now=self._clock(), error="answer failed", backoff=self._retry
            )
            logger.warning("LINE event %s is now %s", stored.event_id, status)
            if status is QueueState.FAILED:
                self._apologize(stored)

    def _apologize(self, stored: ClaimedEvent) -> None:
        """Nobody is left in silence: the person gets an apology, staff are told."""
        what = (
            f"A LINE message could not be answered after {stored.attempts} tries "
            f"(event {stored.event_id})."
        )
        try:
            self._conversation.recovery.apologize(channel=CHANNEL, user_id=stored.source,
                                                  what=what)
        except Exception:
            logger.exception("could not apologise for LINE event %s", stored.event_id)

    def _process(self, stored: ClaimedEvent) -> None:
        try:
            event = translate(stored.payload)
        except UnsupportedEvent as why:
            logger.info("ignoring LINE event %s: %s", stored.event_id, why)
            self._inbox.finish(stored, now=self._clock())
            return
        if stored.turn is None:
            turn = self._conversation.handle(
                event.incoming,
                on_recorded=lambda session, t: record_turn(session, stored, turn_record(t)),
            )
        else:  # an earlier try decided: resend that turn, never a second answer
            turn = self._conversation.recovery.recorded_turn(stored.turn)
        doubt = None
        if turn.replies:
            settled, doubt = self._send(stored, event, turn)
            if not settled:
                return  # the reply's fate is open: the event comes back while the token is good
        self._inbox.finish(stored, now=self._clock(), error=doubt)
        self._conversation.deliver_staff_posts(turn)
        logger.info(
            "answered LINE %s from %s: decision=%s entry=%s",
            event.incoming.kind,
            self._pseudonym(event.incoming.user_id),
            turn.decision,
            turn.entry_id,
        )

    def _send(self, stored: ClaimedEvent, event: LineEvent, turn: Turn) -> tuple[bool, str | None]:
        """Send the turn's replies; (False, None) when LINE left their fate open."""
        token = None
        if event.reply_token:
            token = ReplyToken(
                event.reply_token,
                fresh_until=stored.received_at + REPLY_WINDOW,
                maybe_used=stored.turn is not None,  # an earlier try got as far as sending
            )
        delivery = self._sender.deliver(
            user_id=event.incoming.user_id,
            reply_token=token,
            replies=turn.replies,
            key=f"line-event/{stored.event_id}",
            clock=self._clock,
        )
        person = self._pseudonym(event.incoming.user_id)
        if delivery.outcome is ReplyOutcome.UNKNOWN:
            now = self._clock()
            at = self._retry.next_attempt(attempts=1, now=now, error=delivery.failure)
            self._conversation.record_delivery(
                turn.outbound_ids, status=DeliveryStatus.PENDING, error=delivery.error
            )
            self._inbox.retry_reply(stored, at=at, error=(delivery.error or "")[:255])
            logger.warning("reply to %s: no answer from LINE (%s); trying the same token again",
                           person, delivery.error)
            return False, None
        doubt = DOUBT if delivery.in_doubt else None
        if delivery.ok:
            self._conversation.record_delivery(
                turn.outbound_ids, status=DeliveryStatus.SENT, error=doubt
            )
        else:
            # Stored for the worker to push again with backoff; the person gets it later.
            self._conversation.recovery.retry_replies(
                turn, failure=delivery.failure, already_sent=delivery.replied, doubt=doubt
            )
            logger.warning("reply to %s not delivered (%s); queued for retry", person,
                           delivery.error)
        if doubt:
            logger.warning("reply to %s: %s", person, doubt)
        return True, doubt
