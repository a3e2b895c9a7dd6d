"""Send the core's replies to LINE: reply token first, push when the token is spent.

LINE's limits are kept here: at most 5 messages per request, 5,000 characters per text,
13 quick reply buttons, 20 characters per button label.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging import QuickReply as LineQuickReply
from urllib3.exceptions import HTTPError as TransportError

from helpbot.conversation.messages import Reply
from helpbot.errors import DeliveryError, RateLimitedError

logger = logging.getLogger(__name__)

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
RETRY_KEY_NAMESPACE = uuid.UUID("6c7d0b1e-3f7a-4d55-9a59-0d3c8e2f4a10")


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a long text into pieces of at most ``limit`` characters, at line breaks if possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip("\n"))
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return [piece for piece in pieces if piece] or [""]


def to_line_messages(replies: Sequence[Reply]) -> list[TextMessage]:
    """LINE text messages for the replies; quick replies go on the last message."""
    messages: list[TextMessage] = []
    for reply in replies:
        pieces = split_text(reply.text)
        for index, piece in enumerate(pieces):
            quick = None
            if reply.quick_replies and index == len(pieces) - 1:
                quick = LineQuickReply(
                    items=[
                        QuickReplyItem(
                            action=PostbackAction(
                                label=q.label[:MAX_LABEL],
                                data=q.postback[:300],
                                displayText=(q.display_text or q.label)[:300],
                            )
                        )
                        for q in reply.quick_replies[:MAX_QUICK_REPLIES]
                    ]
                )
            messages.append(TextMessage(text=piece, quickReply=quick))
    return messages


@dataclass(frozen=True, slots=True)
class Delivery:
    """Whether LINE took the replies; the error when it did not."""

    error: str | None = None
    failure: DeliveryError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _describe(error: ApiException) -> DeliveryError:
    status = error.status or 0
    if status == 429:
        retry_after = (error.headers or {}).get("Retry-After")
        try:
            seconds = float(retry_after) if retry_after is not None else None
        except ValueError:
            seconds = None
        return RateLimitedError("LINE answered 429 (rate limited)", retry_after=seconds)
    return DeliveryError(f"LINE answered {status}", status=status)


class LineSender:
    """The only place that talks to LINE's Messaging API."""

    def __init__(self, *, access_token: str, base_url: str, timeout: float = 5.0) -> None:
        configuration = Configuration(host=base_url, access_token=access_token)
        configuration.retries = 1  # connection errors only; 5xx/429 are recorded, not hidden
        self._configuration = configuration
        self._timeout = timeout
        self._api: MessagingApi | None = None

    @property
    def api(self) -> MessagingApi:
        if self._api is None:
            self._api = MessagingApi(ApiClient(self._configuration))
        return self._api

    def deliver(
        self, *, user_id: str, reply_token: str | None, replies: Sequence[Reply], key: str
    ) -> Delivery:
        """Send replies by reply token, pushing what it cannot carry (or all, if LINE refuses
        the token); ``key`` makes the push retry keys stable for retries of the same turn."""
        batches = _batches(to_line_messages(replies))
        try:
            replied = bool(batches and reply_token) and self._reply(str(reply_token), batches[0])
            self._push_batches(user_id, batches, key=key, skip_first=replied)
        except DeliveryError as error:
            return Delivery(error=str(error), failure=error)
        return Delivery()

    def push_replies(self, *, user_id: str, replies: Sequence[Reply], key: str) -> None:
        """Push replies (no reply token); raise DeliveryError when LINE does not take them."""
        self._push_batches(user_id, _batches(to_line_messages(replies)), key=key, skip_first=False)

    def _push_batches(
        self, user_id: str, batches: list[list[TextMessage]], *, key: str, skip_first: bool
    ) -> None:
        # Batch n always gets the retry key derived from (key, n), however it is sent.
        for number, batch in enumerate(batches):
            if number > 0 or not skip_first:
                self.push(user_id, batch, retry_key=_retry_key(key, number))

    def _reply(self, reply_token: str, messages: list[TextMessage]) -> bool:
        """True if LINE took the reply; False if the token is spent and we should push."""
        try:
            self.api.reply_message(
                ReplyMessageRequest(replyToken=reply_token, messages=messages),
                _request_timeout=self._timeout,
            )
        except ApiException as error:
            if error.status == 400:
                # Expired or already used token: LINE says "Invalid reply token".
                logger.info("reply token refused by LINE; pushing instead")
                return False
            raise _describe(error) from error
        except TransportError as error:
            raise DeliveryError(f"LINE unreachable: {type(error).__name__}") from error
        return True

    def push(self, user_id: str, messages: list[TextMessage], *, retry_key: str) -> None:
        try:
            self.api.push_message(
                PushMessageRequest(to=user_id, messages=messages),
                x_line_retry_key=retry_key,
                _request_timeout=self._timeout,
            )
        except ApiException as error:
            if error.status == 409:
                # Same retry key already accepted: the message was delivered before.
                return
            raise _describe(error) from error
        except TransportError as error:
            raise DeliveryError(f"LINE unreachable: {type(error).__name__}") from error


def _batches(messages: list[TextMessage]) -> list[list[TextMessage]]:
    """LINE takes at most five messages per request."""
    return [messages[i : i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]


def _retry_key(key: str, batch: int) -> str:
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"{key}/{batch}"))
