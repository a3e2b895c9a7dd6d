"""The LINE channel: accept a signed webhook body, then process each stored event."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from helpbot.channels.line.events import CHANNEL, UnsupportedEvent, to_new_event, translate
from helpbot.channels.line.sender import LineSender
from helpbot.conversation.service import ConversationService
from helpbot.errors import StorageUnavailableError, UnsafeInputError, UnstorableRowError
from helpbot.privacy import Pseudonymizer
from helpbot.storage.inbox import ClaimedEvent, Inbox
from helpbot.storage.models import DeliveryStatus, EventStatus
from helpbot.storage.safe_json import parse_json

logger = logging.getLogger(__name__)


class RejectedWebhook(Exception):  # noqa: N818 - carries the HTTP status to answer
    """A webhook body we will not store: bad signature or not LINE's JSON."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


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
    ) -> None:
        self._secret = channel_secret.encode()
        self._sender = sender
        self._inbox = inbox
        self._conversation = conversation
        self._pseudonym = pseudonym
        self._clock = clock

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
        """Claim and answer due events (the worker's job); return how many were handled."""
        claimed = self._inbox.claim_due(channel=CHANNEL, now=self._clock(), limit=limit)
        for event in claimed:
            self.process(event)
        return len(claimed)

    def process(self, stored: ClaimedEvent) -> None:
        """Answer one claimed event. Errors are recorded on the event, never raised."""
        try:
            self._process(stored)
        except Exception:
            logger.exception("could not answer LINE event %s", stored.event_id)
            status = self._inbox.retry_later(
                stored.id, attempts=stored.attempts, now=self._clock(), error="answer failed"
            )
            logger.warning("LINE event %s is now %s", stored.event_id, status)

    def _process(self, stored: ClaimedEvent) -> None:
        try:
            event = translate(stored.payload)
        except UnsupportedEvent as why:
            logger.info("ignoring LINE event %s: %s", stored.event_id, why)
            self._inbox.finish(stored.id, status=EventStatus.DONE, now=self._clock())
            return
        turn = self._conversation.handle(event.incoming)
        if turn.replies:
            delivery = self._sender.deliver(
                user_id=event.incoming.user_id,
                reply_token=event.reply_token,
                replies=turn.replies,
                key=f"line-event/{stored.event_id}",
            )
            if delivery.ok:
                self._conversation.record_delivery(turn.outbound_ids, status=DeliveryStatus.SENT)
            else:
                # Stored for the worker to push again with backoff; the person gets it later.
                self._conversation.retry_replies(turn, failure=delivery.failure)
                logger.warning(
                    "reply to %s not delivered (%s); queued for retry",
                    self._pseudonym(event.incoming.user_id),
                    delivery.error,
                )
        self._inbox.finish(stored.id, status=EventStatus.DONE, now=self._clock())
        self._conversation.deliver_staff_posts(turn)
        logger.info(
            "answered LINE %s from %s: decision=%s entry=%s",
            event.incoming.kind,
            self._pseudonym(event.incoming.user_id),
            turn.decision,
            turn.entry_id,
        )
