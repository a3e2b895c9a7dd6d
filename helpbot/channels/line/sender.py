"""Send the core's replies to LINE: reply token first, push only when the token cannot be used.

A reply token is single use and good for one minute after the webhook (LINE: "must be used
within one minute"; beyond that, no guarantee). So a reply whose outcome is unknown (a timeout,
a 5xx, a worker killed mid-call) is never followed by a blind push of the same text: it is
tried again with the same token while the token is fresh. LINE then either takes it (the first
try never arrived) or answers "Invalid reply token" (the first try was delivered: nothing more
to send). Only a token that expired after an unknown try leaves a real doubt; then the replies
are pushed and the doubt recorded (``ReplyOutcome.PUSHED_IN_DOUBT``).

The replies become LINE messages, within LINE's limits, in ``replies.py``. They are posted
through the SDK's HTTP client (its connection pool, retries, timeouts and ``ApiException``s),
without its per-call layers: argument validation of the request models, their serialisation
pass and the response's models, which nothing here reads (about 0.3 ms of CPU a call).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from helpbot.channels.line.replies import (
    LineMessage,
    in_batches,
    replies_within,
    to_line_messages,
)
from helpbot.core.messages import Reply
from helpbot.errors import DeliveryError, RateLimitedError, ReplyTokenRefused

if TYPE_CHECKING:
    # The LINE SDK (about 50 MiB of modules) is imported on the first send, not when the web
    # process builds a sender it never uses (it only stores webhooks).
    from linebot.v3.messaging import ApiException, MessagingApi

logger = logging.getLogger(__name__)

RETRY_KEY_NAMESPACE = uuid.UUID("6c7d0b1e-3f7a-4d55-9a59-0d3c8e2f4a10")
# LINE's reply window is one minute from the webhook; we use a token only this long, so that a
# try never races the expiry.
REPLY_WINDOW = dt.timedelta(seconds=50)
# Seconds to wait for LINE's answer to one request: two tries of a reply fit in the window.
REPLY_TIMEOUT = 10.0
REPLY_TRIES = 2
INVALID_REPLY_TOKEN = "Invalid reply token"
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"


class ReplyOutcome(StrEnum):
    REPLIED = "replied"  # LINE took the reply
    ALREADY_REPLIED = "already-replied"  # an earlier try with this token was delivered
    PUSHED = "pushed"  # the token was expired or refused before we ever used it: pushed
    PUSHED_IN_DOUBT = "pushed-in-doubt"  # an earlier try's fate is unknown, the token expired
    UNKNOWN = "unknown"  # LINE did not say, the token is still fresh: try again soon


@dataclass(frozen=True, slots=True)
class ReplyToken:
    """A webhook event's reply token and what we know about it."""

    value: str
    fresh_until: dt.datetime
    # An earlier try (another process, before a crash) may have used it.
    maybe_used: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    """How the replies went out; the error when LINE did not take them."""

    outcome: ReplyOutcome | None = None
    error: str | None = None
    failure: DeliveryError | None = None
    # How many of the replies (from the first) reached the person by the reply token.
    replied: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.outcome is not ReplyOutcome.UNKNOWN

    @property
    def in_doubt(self) -> bool:
        return self.outcome is ReplyOutcome.PUSHED_IN_DOUBT


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

    def __init__(
        self, *, access_token: str, base_url: str, timeout: float = REPLY_TIMEOUT
    ) -> None:
        self._host = base_url
        self._access_token = access_token
        self._timeout = timeout
        self._api: MessagingApi | None = None

    @property
    def api(self) -> MessagingApi:
        if self._api is None:
            from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

            configuration = Configuration(host=self._host, access_token=self._access_token)
            configuration.retries = 1  # connection errors only; 5xx/429 are recorded, not hidden
            self._api = MessagingApi(ApiClient(configuration))
        return self._api

    def deliver(
        self,
        *,
        user_id: str,
        reply_token: ReplyToken | None,
        replies: Sequence[Reply],
        key: str,
        clock: Callable[[], dt.datetime],
    ) -> Delivery:
        """Send replies by reply token, pushing what it cannot carry (or all, when the token
        cannot be used); ``key`` makes the push retry keys stable for retries of the same turn."""
        batches = in_batches(to_line_messages(replies))
        outcome = ReplyOutcome.PUSHED
        if batches and reply_token is not None:
            try:
                outcome, failure = self._reply_once(reply_token, batches[0], clock)
            except DeliveryError as error:  # LINE refused the request itself (a 4xx)
                return Delivery(error=str(error), failure=error)
            if outcome is ReplyOutcome.UNKNOWN:
                reason = str(failure) if failure else "no answer from LINE"
                return Delivery(outcome=outcome, error=reason, failure=failure)
        replied = outcome in (ReplyOutcome.REPLIED, ReplyOutcome.ALREADY_REPLIED)
        carried = replies_within(replies, len(batches[0])) if replied and batches else 0
        try:
            self._push_batches(user_id, batches, key=key, skip_first=replied)
        except DeliveryError as error:
            return Delivery(outcome=outcome, error=str(error), failure=error, replied=carried)
        return Delivery(outcome=outcome, replied=len(replies))

    def _reply_once(
        self, token: ReplyToken, messages: list[LineMessage], clock: Callable[[], dt.datetime]
    ) -> tuple[ReplyOutcome, DeliveryError | None]:
        """Use the token while it is fresh, at most REPLY_TRIES times; say how it went."""
        maybe_used = token.maybe_used
        failure: DeliveryError | None = None
        for _ in range(REPLY_TRIES):
            if clock() >= token.fresh_until:
                break
            try:
                self._reply(token.value, messages)
            except ReplyTokenRefused:
                # Single use: refused while fresh means spent, and only we had it.
                if maybe_used:
                    logger.info("reply token already used by an earlier try: delivered then")
                    return ReplyOutcome.ALREADY_REPLIED, None
                logger.info("reply token refused by LINE before we used it; pushing instead")
                return ReplyOutcome.PUSHED, None
            except RateLimitedError as error:
                return ReplyOutcome.UNKNOWN, error  # not taken; try again after Retry-After
            except DeliveryError as error:
                if error.status is not None and error.status < 500:
                    raise
                # A timeout or a 5xx: LINE may have taken it. Only the token can tell.
                maybe_used, failure = True, error
                continue
            return ReplyOutcome.REPLIED, None
        else:
            return ReplyOutcome.UNKNOWN, failure
        expired = ReplyOutcome.PUSHED_IN_DOUBT if maybe_used else ReplyOutcome.PUSHED
        if maybe_used:
            logger.warning("reply token expired after a try whose outcome is unknown; pushing")
        return expired, None

    def push_replies(self, *, user_id: str, replies: Sequence[Reply], key: str) -> None:
        """Push replies (no reply token); raise DeliveryError when LINE does not take them."""
        batches = in_batches(to_line_messages(replies))
        self._push_batches(user_id, batches, key=key, skip_first=False)

    def _push_batches(
        self, user_id: str, batches: list[list[LineMessage]], *, key: str, skip_first: bool
    ) -> None:
        # Batch n always gets the retry key derived from (key, n), however it is sent.
        for number, batch in enumerate(batches):
            if number > 0 or not skip_first:
                self.push(user_id, batch, retry_key=_retry_key(key, number))

    def _reply(self, reply_token: str, messages: list[LineMessage]) -> None:
        """LINE took the reply, or ReplyTokenRefused (token spent or expired), or DeliveryError."""
        from linebot.v3.messaging import ApiException
        from urllib3.exceptions import HTTPError as TransportError

        try:
            self._post(REPLY_PATH, {"replyToken": reply_token, "messages": messages,
                                    "notificationDisabled": False})
        except ApiException as error:
            if error.status == 400 and INVALID_REPLY_TOKEN in str(error.body or ""):
                raise ReplyTokenRefused from None
            raise _describe(error) from error
        except TransportError as error:
            raise DeliveryError(f"LINE unreachable: {type(error).__name__}") from error

    def push(self, user_id: str, messages: list[LineMessage], *, retry_key: str) -> None:
        from linebot.v3.messaging import ApiException
        from urllib3.exceptions import HTTPError as TransportError

        try:
            self._post(PUSH_PATH, {"to": user_id, "messages": messages,
                                   "notificationDisabled": False},
                       headers={"X-Line-Retry-Key": retry_key})
        except ApiException as error:
            if error.status == 409:
                # Same retry key already accepted: the message was delivered before.
                return
            raise _describe(error) from error
        except TransportError as error:
            raise DeliveryError(f"LINE unreachable: {type(error).__name__}") from error

    def _post(
        self, path: str, body: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> None:
        """POST ``body`` as JSON, as the SDK's ``reply_message``/``push_message`` do (the same
        headers, client and errors: ``ApiException`` for a non-2xx, its body as text)."""
        from linebot.v3.messaging import ApiException

        client = self.api.api_client
        try:
            client.rest_client.request(
                "POST", client.configuration.host + path,
                headers={**client.default_headers, **_JSON, **(headers or {})},
                body=body, _request_timeout=self._timeout,
            )
        except ApiException as error:
            if isinstance(error.body, bytes):
                error.body = error.body.decode("utf-8", "replace")
            raise


_JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def _retry_key(key: str, batch: int) -> str:
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"{key}/{batch}"))
