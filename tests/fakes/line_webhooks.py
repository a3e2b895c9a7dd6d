"""Builders for webhook requests shaped exactly like the ones LINE sends.

Shapes follow LINE's ``webhook.yml`` (``CallbackRequest``): every event has ``type``,
``mode``, ``timestamp`` (ms), ``source``, ``webhookEventId`` (a ULID) and
``deliveryContext.isRedelivery``; message events carry ``replyToken`` and ``message`` with
``id`` and (for text, sticker, image, ...) ``quoteToken``. ``unfollow`` has no replyToken.

Typical use::

    token = fake_line.issue_reply_token(user_id=user)
    body = callback_body(text_event("こんにちは", user_id=user, reply_token=token))
    client.post("/callback", data=body, headers=webhook_headers(body, CHANNEL_SECRET))
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

DEFAULT_DESTINATION = "U" + "b0" * 16  # the bot's own user ID (same default as FakeLineApi)

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# -- identifiers --------------------------------------------------------------------------------
def new_user_id() -> str:
    """A LINE user ID: ``U`` + 32 lower-case hex digits."""
    return "U" + secrets.token_hex(16)


def new_group_id() -> str:
    return "C" + secrets.token_hex(16)


def new_reply_token() -> str:
    """A token shaped like LINE's (32 hex). Not known to any FakeLineApi: replying with it
    answers "Invalid reply token"; use ``FakeLineApi.issue_reply_token`` for a valid one."""
    return secrets.token_hex(16)


def new_event_id(timestamp_ms: int | None = None) -> str:
    """A ULID (26 Crockford base32 chars: 48-bit ms timestamp + 80 random bits)."""
    ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    value = (ms << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def new_message_id() -> str:
    """A message ID: a decimal string of 18 digits, like LINE's."""
    return str(secrets.randbelow(9 * 10**17) + 10**17)


def new_quote_token() -> str:
    return secrets.token_urlsafe(48)


# -- events -------------------------------------------------------------------------------------
def _source(user_id: str | None, group_id: str | None) -> dict[str, Any]:
    user_id = user_id or new_user_id()
    if group_id is not None:
        return {"type": "group", "groupId": group_id, "userId": user_id}
    return {"type": "user", "userId": user_id}


def _event(
    type_: str,
    *,
    user_id: str | None,
    group_id: str | None = None,
    event_id: str | None,
    redelivery: bool,
    timestamp: int | None,
    mode: str = "active",
    reply_token: str | None = None,
    with_reply_token: bool = True,
) -> dict[str, Any]:
    ts = int(time.time() * 1000) if timestamp is None else timestamp
    event: dict[str, Any] = {"type": type_, "mode": mode, "timestamp": ts}
    event["source"] = _source(user_id, group_id)
    event["webhookEventId"] = event_id or new_event_id(ts)
    event["deliveryContext"] = {"isRedelivery": redelivery}
    if with_reply_token:
        event["replyToken"] = reply_token or new_reply_token()
    return event


def text_event(
    text: str,
    *,
    user_id: str | None = None,
    reply_token: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
    message_id: str | None = None,
    quote_token: str | None = None,
    group_id: str | None = None,
    mode: str = "active",
) -> dict[str, Any]:
    """A ``message`` event with a text message. ``user_id``/``reply_token`` default to new ones."""
    event = _event(
        "message",
        user_id=user_id,
        group_id=group_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        mode=mode,
        reply_token=reply_token,
    )
    event["message"] = {
        "type": "text",
        "id": message_id or new_message_id(),
        "quoteToken": quote_token or new_quote_token(),
        "text": text,
    }
    return event


def sticker_event(
    package_id: str = "446",
    sticker_id: str = "1988",
    *,
    user_id: str | None = None,
    reply_token: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
    keywords: list[str] | None = None,
    sticker_resource_type: str = "STATIC",
) -> dict[str, Any]:
    event = _event(
        "message",
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        reply_token=reply_token,
    )
    event["message"] = {
        "type": "sticker",
        "id": new_message_id(),
        "quoteToken": new_quote_token(),
        "stickerId": sticker_id,
        "packageId": package_id,
        "stickerResourceType": sticker_resource_type,
        "keywords": keywords if keywords is not None else ["Happy", "Hello"],
    }
    return event


def image_event(
    *,
    user_id: str | None = None,
    reply_token: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """An image sent from the LINE app (content lives at LINE: ``contentProvider.type: line``)."""
    event = _event(
        "message",
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        reply_token=reply_token,
    )
    event["message"] = {
        "type": "image",
        "id": new_message_id(),
        "quoteToken": new_quote_token(),
        "contentProvider": {"type": "line"},
    }
    return event


def location_event(
    latitude: float = 35.681236,
    longitude: float = 139.767125,
    *,
    title: str | None = "東京駅",
    address: str | None = "日本、〒100-0005 東京都千代田区丸の内１丁目",
    user_id: str | None = None,
    reply_token: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    event = _event(
        "message",
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        reply_token=reply_token,
    )
    message: dict[str, Any] = {"type": "location", "id": new_message_id()}
    if title is not None:
        message["title"] = title
    if address is not None:
        message["address"] = address
    message["latitude"] = latitude
    message["longitude"] = longitude
    event["message"] = message
    return event


def follow_event(
    *,
    user_id: str | None = None,
    reply_token: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
    is_unblocked: bool = False,
) -> dict[str, Any]:
    """User added the bot as a friend (``is_unblocked=True``: unblocked it)."""
    event = _event(
        "follow",
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        reply_token=reply_token,
    )
    event["follow"] = {"isUnblocked": is_unblocked}
    return event


def unfollow_event(
    *,
    user_id: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """User blocked the bot. No replyToken (LINE sends none: you cannot reply)."""
    return _event(
        "unfollow",
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        with_reply_token=False,
    )


def postback_event(
    data: str,
    *,
    params: dict[str, str] | None = None,
    user_id: str | None = None,
    reply_token: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    event = _event(
        "postback",
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        reply_token=reply_token,
    )
    postback: dict[str, Any] = {"data": data}
    if params is not None:
        postback["params"] = params
    event["postback"] = postback
    return event


def unknown_event(
    type_: str = "somethingnew",
    *,
    user_id: str | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
    timestamp: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An event type the SDK does not know (LINE adds types over time; bots must ignore them).

    ``WebhookParser`` turns it into ``linebot.v3.models.events.UnknownEvent`` (a subclass of
    ``linebot.v3.webhooks.Event``) whose ``type`` keeps the original string.
    """
    event = _event(
        type_,
        user_id=user_id,
        event_id=event_id,
        redelivery=redelivery,
        timestamp=timestamp,
        with_reply_token=False,
    )
    event.update(extra)
    return event


# -- request body and signature -----------------------------------------------------------------
def callback_body(*events: dict[str, Any], destination: str = DEFAULT_DESTINATION) -> bytes:
    """The webhook request body (UTF-8 JSON, non-ASCII kept as is, like LINE).

    No events gives LINE's "Verify" request body (``"events": []``).
    """
    payload = {"destination": destination, "events": list(events)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(body: bytes, channel_secret: str) -> str:
    """The ``X-Line-Signature`` value: base64(HMAC-SHA256(channel secret, raw body))."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def webhook_headers(body: bytes, channel_secret: str) -> dict[str, str]:
    """Headers LINE sends with a webhook (signature included)."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "LineBotWebhook/2.0",
        "X-Line-Signature": sign(body, channel_secret),
    }
