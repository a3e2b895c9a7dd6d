"""The LINE channel: accept a signed webhook body, then process each stored event."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from helpbot.channels.line.events import CHANNEL, to_new_event, translate
from helpbot.channels.line.sender import REPLY_WINDOW, LineSender, ReplyOutcome, ReplyToken
from helpbot.conversation.runner import EventRunner
from helpbot.conversation.service import ConversationService
from helpbot.conversation.turn import SendStatus, Sent, Turn
from helpbot.core.messages import Incoming
from helpbot.core.retry import RetryPolicy
from helpbot.errors import (
    RejectedWebhook,
    StorageUnavailableError,
    UnsafeInputError,
    UnstorableRowError,
)
from helpbot.privacy import Pseudonymizer
from helpbot.storage.inbox import ClaimedEvent, Inbox
from helpbot.storage.safe_json import parse_json

logger = logging.getLogger(__name__)

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
    """Verifies and stores LINE events; later translates them for the core and sends its
    replies (the core's ``EventRunner`` does the rest). Never lets an error reach LINE."""

    channel = CHANNEL
    label = "LINE"

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
        self._clock = clock
        # The core answers the stored events; this adapter translates and sends.
        self._runner = EventRunner(
            inbox=inbox, conversation=conversation, clock=clock, pseudonym=pseudonym,
            retry=retry,
        )

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
        """Claim and answer due events (the worker's job): the core's runner does the work."""
        return self._runner.answer_due(self, limit=limit)

    def process(self, stored: ClaimedEvent) -> None:
        """Answer one claimed event (errors are recorded on the event, never raised)."""
        self._runner.process(self, stored)

    # -- the EventAdapter the runner calls: translation in, transport out -------------

    def incoming(self, event: ClaimedEvent) -> Incoming:
        return translate(event.payload).incoming

    def send(self, event: ClaimedEvent, turn: Turn, *, resend: bool) -> Sent:
        """Send the turn's replies: reply token while it is fresh, push otherwise."""
        line_event = translate(event.payload)
        token = None
        if line_event.reply_token:
            token = ReplyToken(
                line_event.reply_token,
                fresh_until=event.received_at + REPLY_WINDOW,
                maybe_used=resend,  # an earlier try got as far as sending
            )
        delivery = self._sender.deliver(
            user_id=line_event.incoming.user_id,
            reply_token=token,
            replies=turn.replies,
            key=f"line-event/{event.event_id}",
            clock=self._clock,
        )
        if delivery.outcome is ReplyOutcome.UNKNOWN:
            return Sent(SendStatus.UNKNOWN, failure=delivery.failure, error=delivery.error)
        doubt = DOUBT if delivery.in_doubt else None
        if delivery.ok:
            return Sent(SendStatus.SENT, doubt=doubt)
        return Sent(
            SendStatus.REFUSED,
            replied=delivery.replied,
            failure=delivery.failure,
            error=delivery.error,
            doubt=doubt,
        )
