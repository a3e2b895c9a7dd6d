"""Builders for the requests Slack sends TO the app (``POST /webhooks/slack``), signed like Slack.

Signing (https://docs.slack.dev/authentication/verifying-requests-from-slack/):
``X-Slack-Request-Timestamp: <unix seconds>`` and
``X-Slack-Signature: v0=<hex HMAC-SHA256(signing_secret, "v0:{timestamp}:{raw body}")>``;
receivers reject timestamps more than 5 minutes away from now. Verified against
``slack_sdk.signature.SignatureVerifier`` and ``slack_bolt`` in
``tests/test_fake_slack_requests.py``.

Body shapes:

* Events API (``url_verification``, ``event_callback``): JSON, ``Content-Type:
  application/json``.
* Interactivity (``block_actions``, ``view_submission``): form-encoded, a single field
  ``payload=<JSON>``.
* Slash commands: form-encoded fields (``command``, ``text``, ``user_id``, ...).

Typical use with Flask's test client::

    req = event_callback(message_event("help", channel="C1", user="U1", ts="1732700000.000100"),
                         signing_secret=SECRET)
    client.post(req.path, data=req.body, headers=req.headers)
    client.post(req.path, **req.post_kwargs())           # the same
    client.post(req.path, **req.stale().post_kwargs())   # timestamp 10 minutes old -> reject
    client.post(req.path, **req.forged().post_kwargs())  # wrong signature -> reject
    client.post(req.path, **req.with_retry(1).post_kwargs())  # Slack's retry of the same event

``message_event`` returns an *event* dict (wrap it with :func:`event_callback`); every other
builder returns a signed :class:`SlackRequest`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

WEBHOOK_PATH = "/webhooks/slack"
DEFAULT_SIGNING_SECRET = "test-slack-signing-secret"
DEFAULT_TEAM_ID = "T0000TEST"  # same defaults as FakeSlackApi
DEFAULT_TEAM_DOMAIN = "helpbot-test"
DEFAULT_APP_ID = "A0000TEST"
DEFAULT_BOT_USER_ID = "UBOT00001"
DEFAULT_BOT_ID = "B0000BOT1"
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated field Slack still sends
STALE_AGE_SECONDS = 600  # receivers must reject anything older than 300

JSON_CONTENT_TYPE = "application/json"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# -- identifiers --------------------------------------------------------------------------------
def new_ts(now: float | None = None) -> str:
    """A message timestamp like Slack's: ``"<unix seconds>.<6 digits>"``."""
    now = time.time() if now is None else now
    return f"{int(now)}.{secrets.randbelow(10**6):06d}"


def new_event_id() -> str:
    """``Ev`` + 9 upper-case alphanumerics, like ``Ev08MFMKH6A``."""
    return "Ev" + "".join(secrets.choice(_ALNUM) for _ in range(9))


def new_trigger_id() -> str:
    """``<digits>.<digits>.<hex>`` like Slack's (accepted once by ``FakeSlackApi.views.open``)."""
    return f"{secrets.randbelow(10**13)}.{secrets.randbelow(10**13)}.{secrets.token_hex(16)}"


def new_response_url(team_id: str = DEFAULT_TEAM_ID) -> str:
    return (
        f"https://hooks.slack.com/actions/{team_id}/{secrets.randbelow(10**13)}/"
        f"{secrets.token_urlsafe(18)}"
    )


# -- signing ------------------------------------------------------------------------------------
def slack_signature(body: bytes | str, signing_secret: str, timestamp: int | str) -> str:
    """``v0=`` + hex HMAC-SHA256(secret, ``f"v0:{timestamp}:{body}"``)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode("ascii") + b":" + raw
    return "v0=" + hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def sign_slack(
    body: bytes | str, signing_secret: str, timestamp: int | float | None = None
) -> dict[str, str]:
    """The two signature headers for ``body`` (timestamp defaults to now)."""
    ts = int(time.time() if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": slack_signature(body, signing_secret, ts),
    }


def retry_headers(num: int, reason: str = "http_timeout") -> dict[str, str]:
    """Headers of Slack's n-th redelivery of an event (reasons: ``http_timeout``,
    ``too_many_requests``, ``http_error``, ``unknown_error``, ``ssl_error``)."""
    return {"X-Slack-Retry-Num": str(num), "X-Slack-Retry-Reason": reason}


@dataclass(frozen=True)
class SlackRequest:
    """A signed request as Slack would send it. ``headers`` include ``Content-Type``."""

    body: bytes
    headers: dict[str, str]
    content_type: str
    path: str = WEBHOOK_PATH
    signing_secret: str = field(default=DEFAULT_SIGNING_SECRET, repr=False)

    @classmethod
    def build(
        cls,
        body: bytes | str,
        content_type: str,
        *,
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        timestamp: int | float | None = None,
        path: str = WEBHOOK_PATH,
    ) -> SlackRequest:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": content_type, **sign_slack(raw, signing_secret, timestamp)}
        return cls(raw, headers, content_type, path, signing_secret)

    # -- views of the body -------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def timestamp(self) -> str:
        return self.headers["X-Slack-Request-Timestamp"]

    @property
    def signature(self) -> str:
        return self.headers["X-Slack-Signature"]

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.text, keep_blank_values=True))

    def data(self) -> dict[str, Any]:
        """The parsed body: JSON, the decoded ``payload`` of interactivity, or the form."""
        if self.content_type == JSON_CONTENT_TYPE:
            return json.loads(self.body)
        form = self.form()
        if set(form) == {"payload"}:
            return json.loads(form["payload"])
        return form

    def post_kwargs(self) -> dict[str, Any]:
        """``client.post(req.path, **req.post_kwargs())`` for Flask/werkzeug test clients."""
        return {"data": self.body, "headers": dict(self.headers)}

    # -- variants ------------------------------------------------------------------------------
    def signed(
        self, signing_secret: str | None = None, timestamp: int | float | None = None
    ) -> SlackRequest:
        """Re-signed (same body) with another secret and/or timestamp; other headers kept."""
        secret = self.signing_secret if signing_secret is None else signing_secret
        headers = {**self.headers, **sign_slack(self.body, secret, timestamp)}
        return replace(self, headers=headers, signing_secret=secret)

    def stale(self, age_seconds: float = STALE_AGE_SECONDS) -> SlackRequest:
        """Correctly signed, but with a timestamp ``age_seconds`` in the past (replay)."""
        return self.signed(timestamp=time.time() - age_seconds)

    def forged(self) -> SlackRequest:
        """Current timestamp, signature made with a secret the app does not know."""
        headers = {
            **self.headers,
            "X-Slack-Signature": slack_signature(
                self.body, "forged-" + self.signing_secret, self.timestamp
            ),
        }
        return replace(self, headers=headers)

    def tampered(self, body: bytes | str) -> SlackRequest:
        """Another body under the original (now wrong) signature."""
        raw = body.encode("utf-8") if isinstance(body, str) else body
        return replace(self, body=raw)

    def without_signature(self) -> SlackRequest:
        headers = {
            k: v
            for k, v in self.headers.items()
            if k not in ("X-Slack-Signature", "X-Slack-Request-Timestamp")
        }
        return replace(self, headers=headers)

    def with_retry(self, num: int = 1, reason: str = "http_timeout") -> SlackRequest:
        """Slack's redelivery: same body, fresh signature, ``X-Slack-Retry-*`` headers."""
        again = self.signed()
        return replace(again, headers={**again.headers, **retry_headers(num, reason)})

    def with_headers(self, **headers: str) -> SlackRequest:
        return replace(self, headers={**self.headers, **headers})


def _json_request(
    body: dict[str, Any], signing_secret: str, timestamp: int | float | None
) -> SlackRequest:
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return SlackRequest.build(
        raw, JSON_CONTENT_TYPE, signing_secret=signing_secret, timestamp=timestamp
    )


def _form_request(
    fields: dict[str, str], signing_secret: str, timestamp: int | float | None
) -> SlackRequest:
    return SlackRequest.build(
        urlencode(fields), FORM_CONTENT_TYPE, signing_secret=signing_secret, timestamp=timestamp
    )


def _payload_request(
    payload: dict[str, Any], signing_secret: str, timestamp: int | float | None
) -> SlackRequest:
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return _form_request({"payload": raw}, signing_secret, timestamp)


# -- Events API ---------------------------------------------------------------------------------
def url_verification(
    challenge: str | None = None,
    *,
    signing_secret: str = DEFAULT_SIGNING_SECRET,
    timestamp: int | float | None = None,
) -> SlackRequest:
    """Slack's handshake when the Request URL is saved; the app must echo ``challenge``."""
    body = {
        "token": VERIFICATION_TOKEN,
        "challenge": challenge or secrets.token_urlsafe(36),
        "type": "url_verification",
    }
    return _json_request(body, signing_secret, timestamp)


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    event_time: int | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
    signing_secret: str = DEFAULT_SIGNING_SECRET,
    timestamp: int | float | None = None,
) -> SlackRequest:
    """An Events API delivery of one ``event`` (JSON)."""
    now = time.time() if timestamp is None else timestamp
    body = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(now) if event_time is None else event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_urlsafe(48),
    }
    return _json_request(body, signing_secret, timestamp)


def message_event(
    text: str,
    *,
    channel: str,
    user: str,
    ts: str | None = None,
    thread_ts: str | None = None,
    bot_id: str | None = None,
    subtype: str | None = None,
    channel_type: str = "channel",
    team_id: str = DEFAULT_TEAM_ID,
    parent_user_id: str | None = None,
) -> dict[str, Any]:
    """A ``message`` event dict (wrap with :func:`event_callback`).

    A human's message carries ``client_msg_id`` and rich_text ``blocks``; a bot's (``bot_id``
    given) carries ``bot_id``/``app_id`` instead — apps must ignore those to avoid loops. Thread
    replies carry ``thread_ts`` (and ``parent_user_id``).
    """
    ts = ts or new_ts()
    event: dict[str, Any] = {"type": "message"}
    if subtype is not None:
        event["subtype"] = subtype
    event.update(
        {
            "text": text,
            "user": user,
            "ts": ts,
            "team": team_id,
            "channel": channel,
            "event_ts": ts,
            "channel_type": channel_type,
        }
    )
    if bot_id is not None:
        event["bot_id"] = bot_id
        event["app_id"] = DEFAULT_APP_ID
        event["bot_profile"] = {"id": bot_id, "app_id": DEFAULT_APP_ID, "team_id": team_id}
    else:
        event["client_msg_id"] = str(uuid.uuid4())
        event["blocks"] = [
            {
                "type": "rich_text",
                "block_id": secrets.token_urlsafe(4)[:5],
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
                ],
            }
        ]
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = parent_user_id or DEFAULT_BOT_USER_ID
    return event


# -- interactivity ------------------------------------------------------------------------------
def _user(user_id: str, user_name: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def block_action(
    action_id: str,
    value: str,
    *,
    user_id: str,
    user_name: str = "caseworker",
    channel_id: str,
    message_ts: str,
    trigger_id: str | None = None,
    block_id: str = "actions",
    button_text: str | None = None,
    message_text: str = "",
    message_blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    response_url: str | None = None,
    channel_name: str = "helpbot-cases",
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    signing_secret: str = DEFAULT_SIGNING_SECRET,
    timestamp: int | float | None = None,
) -> SlackRequest:
    """A button click on a message the bot posted (``payload=`` form, type ``block_actions``).

    Pass ``response_url=fake_slack.new_response_url()`` to have posts to it recorded by the
    fake API.
    """
    now = time.time() if timestamp is None else timestamp
    message: dict[str, Any] = {
        "type": "message",  # an app bot's own message: bot_id + user, no subtype
        "text": message_text,
        "ts": message_ts,
        "bot_id": DEFAULT_BOT_ID,
        "app_id": api_app_id,
        "user": DEFAULT_BOT_USER_ID,
        "team": team_id,
        "blocks": message_blocks if message_blocks is not None else [],
    }
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
            **({"thread_ts": thread_ts} if thread_ts is not None else {}),
        },
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": DEFAULT_TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url or new_response_url(team_id),
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": button_text or action_id, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{now:.6f}",
            }
        ],
    }
    return _payload_request(payload, signing_secret, timestamp)


def message_shortcut(
    callback_id: str,
    *,
    user_id: str,
    user_name: str = "caseworker",
    channel_id: str,
    message_text: str,
    message_ts: str,
    thread_ts: str | None = None,
    message_user: str | None = None,
    from_bot: bool = False,
    trigger_id: str | None = None,
    channel_name: str = "helpbot-cases",
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    signing_secret: str = DEFAULT_SIGNING_SECRET,
    timestamp: int | float | None = None,
) -> SlackRequest:
    """A message shortcut (the message's ⋯ menu; ``payload=`` form, type ``message_action``)."""
    message: dict[str, Any] = {
        "type": "message",
        "text": message_text,
        "ts": message_ts,
        "user": message_user or (DEFAULT_BOT_USER_ID if from_bot else user_id),
        "team": team_id,
    }
    if from_bot:
        message["bot_id"] = DEFAULT_BOT_ID
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{(time.time() if timestamp is None else timestamp):.6f}",
        "team": {"id": team_id, "domain": DEFAULT_TEAM_DOMAIN},
        "user": _user(user_id, user_name, team_id),
        "channel": {"id": channel_id, "name": channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(),
        "response_url": new_response_url(team_id),
        "message_ts": message_ts,
        "message": message,
        "api_app_id": api_app_id,
    }
    return _payload_request(payload, signing_secret, timestamp)


def _state_values(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for block_id, actions in values.items():
        out[block_id] = {
            action_id: (
                {"type": "plain_text_input", "value": value}
                if value is None or isinstance(value, str)
                else value
            )
            for action_id, value in actions.items()
        }
    return out


def view_submission(
    callback_id: str,
    values: dict[str, dict[str, Any]],
    *,
    user_id: str,
    user_name: str = "caseworker",
    private_metadata: str = "",
    view_id: str | None = None,
    title: str = "helpbot",
    blocks: list[dict[str, Any]] | None = None,
    trigger_id: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    signing_secret: str = DEFAULT_SIGNING_SECRET,
    timestamp: int | float | None = None,
) -> SlackRequest:
    """A modal's Submit (``payload=`` form, type ``view_submission``).

    ``values`` is ``view.state.values``: ``{block_id: {action_id: state}}``; a plain string (or
    ``None``) state is shorthand for ``{"type": "plain_text_input", "value": ...}``.
    """
    view_id = view_id or "V" + secrets.token_hex(5).upper()
    now = time.time() if timestamp is None else timestamp
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": DEFAULT_TEAM_DOMAIN},
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": blocks if blocks is not None else [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": _state_values(values)},
            "hash": f"{int(now)}.{secrets.token_hex(4)}",
            "title": {"type": "plain_text", "text": title, "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
            "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": api_app_id,
            "external_id": "",
            "app_installed_team_id": team_id,
            "bot_id": DEFAULT_BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_request(payload, signing_secret, timestamp)


def slash_command(
    command: str,
    text: str = "",
    *,
    user_id: str,
    user_name: str = "caseworker",
    channel_id: str,
    channel_name: str = "helpbot-cases",
    trigger_id: str | None = None,
    response_url: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    signing_secret: str = DEFAULT_SIGNING_SECRET,
    timestamp: int | float | None = None,
) -> SlackRequest:
    """A slash command invocation (form fields, as Slack sends them)."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": DEFAULT_TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url or new_response_url(team_id),
        "trigger_id": trigger_id or new_trigger_id(),
    }
    return _form_request(fields, signing_secret, timestamp)
