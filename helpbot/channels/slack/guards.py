"""What bolt does not check on ``POST /webhooks/slack``: header shape, replays, workspace.

* **Header shape.** ``X-Slack-Request-Timestamp`` must be decimal seconds and
  ``X-Slack-Signature`` ``v0=`` and 64 hex digits; anything else is 401 before bolt (whose
  ``int(timestamp)`` and string compare would fail with a 500 on ``abc`` or a non-ASCII byte).
* **Replays.** Slack signs ``v0:{timestamp}:{body}`` and bolt accepts a timestamp within 5
  minutes, so a captured request could be sent again inside that window. Each verified
  (signature, timestamp) pair is stored in ``webhook_events`` (channel ``slack-request``; the
  signature's hex is the key and already covers the timestamp), so a replay does nothing on
  any web process; the rows are deleted once they are two windows old.
* **Workspace and channel.** Requests whose team is not helpbot's workspace
  (``SLACK_TEAM_ID``, or else the bot token's own team: bolt asks ``auth.test`` once and
  keeps the answer in ``context.authorize_result``) are
  refused, and so are button clicks outside ``SLACK_ESCALATION_CHANNEL``: a Slack Connect
  guest or another workspace the app is installed in cannot claim, resolve or schedule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.request import payload_utils

from helpbot.errors import StorageError
from helpbot.storage.inbox import Inbox, NewEvent

logger = logging.getLogger(__name__)

REPLAY_CHANNEL = "slack-request"
WINDOW = dt.timedelta(minutes=5)
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def malformed_auth_headers(headers: Mapping[str, str]) -> str | None:
    """Why the signature headers cannot be right (for a 401), or None when they may be."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if _TIMESTAMP.fullmatch(timestamp) is None:
        return "X-Slack-Request-Timestamp must be Unix seconds"
    if _SIGNATURE.fullmatch(signature) is None:
        return "X-Slack-Signature must be v0= and 64 hex digits"
    return None


# auth.test errors a retry cannot mend: the token is wrong, revoked or its app uninstalled.
TOKEN_REFUSED = frozenset({
    "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
    "no_permission", "team_access_not_granted", "org_login_required", "ekm_access_denied",
})


def refused_token(client: Any) -> str | None:
    """After bolt's ``auth.test`` failed: Slack's error when it refuses the bot token for good
    (a retry would fail the same way), or None when the failure may pass (Slack down, slow,
    429): then Slack should send the request again."""
    from slack_sdk.errors import SlackApiError

    try:
        client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error", "")) if error.response is not None else ""
        return code if code in TOKEN_REFUSED else None
    except Exception:  # the network: a failure that may pass
        return None
    return None


def valid_signature(
    secret: str, body: bytes, *, timestamp: str, signature: str, now: float
) -> bool:
    """Slack's v0 signature over the raw bytes, within 5 minutes; headers already well formed.

    (slack_sdk's SignatureVerifier decodes the body as UTF-8 first, and raises on bytes that
    are not.)
    """
    if abs(now - int(timestamp)) > WINDOW.total_seconds():
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = b"v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(expected, signature.encode("ascii"))


# What bolt's middleware and our listeners raise on a signed body of an unexpected shape
# ({"event": "text"}, a view without "type", ...).
SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError)
_BOLT_EXTRACTORS = (
    payload_utils.to_options, payload_utils.to_shortcut, payload_utils.to_action,
    payload_utils.to_view, payload_utils.to_command, payload_utils.to_event,
    payload_utils.to_message, payload_utils.to_step,
)


def unreadable_by_bolt(body: Any) -> bool:
    """True for a (signed) body that bolt's own helpers raise on while building a listener's
    arguments, even in its error handler: answered 400 before bolt runs."""
    if not isinstance(body, dict):
        return True
    try:
        for extract in _BOLT_EXTRACTORS:
            extract(body)
    except SHAPE_ERRORS:
        return True
    return False


def answer_error(error: Exception) -> BoltResponse | None:
    """Bolt's error handler: a body of the wrong shape is 400, a database fault 503.

    Only the error's class is logged: its message may quote the body (``int('...')``).
    Anything else keeps bolt's own answer (500: a defect to fix).
    """
    if isinstance(error, StorageError):
        logger.warning("Slack request not handled: %s", error)
        return BoltResponse(status=503, body="helpbot could not reach its database")
    if isinstance(error, SHAPE_ERRORS):
        logger.warning("Slack request of an unexpected shape: %s", type(error).__name__)
        return BoltResponse(status=400, body="request body is not shaped as Slack sends it")
    logger.error("Slack request failed: %s", type(error).__name__)
    return None


def _header(req: BoltRequest, name: str) -> str:
    values = req.headers.get(name) or [""]
    return str(values[0])


def _teams(body: dict[str, Any]) -> set[str]:
    """Every team id a request names: the workspace, the acting user's, the event author's."""
    found = [
        body.get("team_id"),
        (body.get("team") or {}).get("id") if isinstance(body.get("team"), dict) else None,
        (body.get("user") or {}).get("team_id") if isinstance(body.get("user"), dict) else None,
    ]
    event = body.get("event")
    if isinstance(event, dict):
        found += [event.get("team"), event.get("user_team")]
    return {team for team in found if isinstance(team, str) and team}


class RequestGuards:
    """Bolt middleware, run after bolt has verified the signature and the timestamp."""

    def __init__(
        self,
        *,
        inbox: Inbox,
        clock: Callable[[], dt.datetime],
        escalation_channel: str,
        team_id: str | None = None,
    ) -> None:
        self._inbox = inbox
        self._clock = clock
        self._channel = escalation_channel
        self._team_id = team_id
        self._pruned_at: dt.datetime | None = None

    def refuse_other_workspaces(
        self, body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        kind = body.get("type") or ("command" if "command" in body else None)
        teams = _teams(body)
        if not teams or teams != {self._own_team(context)}:
            logger.warning("refused a Slack %s from another workspace", kind or "request")
            return self._refusal(kind, "helpbot only takes requests from its own workspace.")
        if kind == "block_actions":
            channel = body.get("channel") if isinstance(body.get("channel"), dict) else {}
            if channel.get("id") != self._channel:
                logger.warning("refused a Slack button outside the escalation channel")
                return self._refusal(kind, "helpbot's buttons only work in its case channel.")
        return next()

    def run_once(self, req: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:
        """A verified request whose (signature, timestamp) was seen before does nothing."""
        signature = _header(req, "x-slack-signature").removeprefix("v0=")
        timestamp = _header(req, "x-slack-request-timestamp")
        now = self._clock()
        try:
            new = self._inbox.store(
                channel=REPLAY_CHANNEL,
                events=[NewEvent(event_id=signature, event_type="request",
                                 payload={"timestamp": timestamp})],
                now=now,
            )
            self._prune(now)
        except StorageError as why:
            logger.warning("could not record a Slack request: %s", why)
            return BoltResponse(status=503, body="helpbot could not store the request")
        if not new:
            logger.warning("ignored a replayed Slack request (timestamp %s)", timestamp)
            return BoltResponse(status=200, body="")
        return next()

    def _prune(self, now: dt.datetime) -> None:
        if self._pruned_at is not None and now - self._pruned_at < WINDOW:
            return
        self._pruned_at = now
        self._inbox.forget(channel=REPLAY_CHANNEL, received_before=now - 2 * WINDOW)

    def _own_team(self, context: BoltContext) -> str | None:
        if self._team_id is not None:
            return self._team_id
        result = context.authorize_result
        # From auth.test only when it names the bot; for the few events bolt authorises
        # without auth.test (app_uninstalled, ...) it merely repeats the request's own team.
        if result is not None and result.bot_user_id:
            return result.team_id
        return None

    @staticmethod
    def _refusal(kind: str | None, sentence: str) -> BoltResponse:
        if kind == "event_callback":
            return BoltResponse(status=200, body="")  # a non-200 only makes Slack retry it
        if kind == "command":
            return BoltResponse(status=200, body=sentence)  # shown to the person who typed it
        return BoltResponse(status=403, body=sentence)
