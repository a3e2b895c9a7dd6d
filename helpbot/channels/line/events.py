"""Translate LINE webhook events (as JSON dicts) into channel-neutral messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from helpbot.core.messages import Attachment, Incoming, MessageKind
from helpbot.errors import MalformedEvent, UnsupportedEvent
from helpbot.storage.inbox import NewEvent, fallback_event_id

CHANNEL = "line"

_MESSAGE_KINDS = {
    "text": MessageKind.TEXT,
    "sticker": MessageKind.STICKER,
    "image": MessageKind.IMAGE,
    "video": MessageKind.VIDEO,
    "audio": MessageKind.AUDIO,
    "file": MessageKind.FILE,
    "location": MessageKind.LOCATION,
}
# The times an event may carry, in milliseconds since 1970 (2000-01-01 to 2100-01-01).
FIRST_MS = 946_684_800_000
LAST_MS = 4_102_444_800_000
_EVENT_KINDS = {
    "follow": MessageKind.FOLLOW,
    "unfollow": MessageKind.UNFOLLOW,
    "postback": MessageKind.POSTBACK,
}


@dataclass(frozen=True, slots=True)
class LineEvent:
    incoming: Incoming
    reply_token: str | None


def to_new_event(event: dict[str, Any]) -> NewEvent:
    """What the inbox stores for one (already cleaned, see safe_json) event of a body.

    The inbox fits the columns: an id longer than 64 characters is stored as its hash, so a
    redelivery of the same odd id is still recognised.
    """
    event_id = event.get("webhookEventId")
    if not isinstance(event_id, str) or not event_id:
        event_id = fallback_event_id(event)
    event_type = event.get("type")
    source = event.get("source")
    user_id = source.get("userId") if isinstance(source, dict) else None
    return NewEvent(
        event_id=event_id,
        event_type=event_type if isinstance(event_type, str) else "?",
        payload=event,
        source=user_id if isinstance(user_id, str) and user_id else None,
    )


def _kind(event: dict[str, Any]) -> MessageKind:
    event_type = event.get("type")
    if event_type == "message":
        message = event.get("message")
        if not isinstance(message, dict):
            raise MalformedEvent("its message is not an object")
        message_type = message.get("type")
        # A type LINE adds later is still a person writing: never left in silence.
        return _MESSAGE_KINDS.get(message_type, MessageKind.OTHER)
    if event_type in _EVENT_KINDS:
        return _EVENT_KINDS[event_type]
    raise UnsupportedEvent(f"event type {event_type!r}")


def translate(event: dict[str, Any]) -> LineEvent:
    """The neutral message for a LINE event; UnsupportedEvent for what we ignore."""
    kind = _kind(event)
    source = event.get("source")
    if not isinstance(source, dict):
        raise MalformedEvent("its source is not an object")
    if source.get("type") != "user":
        # Group and room chats are not a place for personal support.
        raise UnsupportedEvent(f"source type {str(source.get('type'))[:32]!r}")
    user_id = source.get("userId")
    if not isinstance(user_id, str) or not user_id:
        raise MalformedEvent("its source.userId is not a user id (text)")
    reply_token = event.get("replyToken")
    if reply_token is not None and not isinstance(reply_token, str):
        raise MalformedEvent("its replyToken is not text")
    postback = event.get("postback")
    if kind is MessageKind.POSTBACK and not isinstance(postback, dict):
        raise MalformedEvent("its postback is not an object")
    message = event.get("message") or {}
    return LineEvent(
        incoming=Incoming(
            channel=CHANNEL,
            user_id=user_id,
            kind=kind,
            received_at=_received_at(event.get("timestamp")),
            text=str(message.get("text", "")) if kind is MessageKind.TEXT else "",
            # a stray non-object "postback" on another kind of event is ignored, not fatal
            postback=str(postback.get("data", "")) if isinstance(postback, dict) else "",
            attachment=_attachment(kind, message),
        ),
        reply_token=reply_token,
    )


def _received_at(timestamp_ms: Any) -> dt.datetime:
    """When LINE says the event happened (now when it does not say); MalformedEvent when the
    number is not a time LINE could have sent (1e30 would overflow the calendar)."""
    if timestamp_ms is None:
        return dt.datetime.now(dt.UTC)
    if (not isinstance(timestamp_ms, int | float) or isinstance(timestamp_ms, bool)
            or not FIRST_MS <= timestamp_ms < LAST_MS):
        raise MalformedEvent("its timestamp is not a time in milliseconds (2000 to 2100)")
    return dt.datetime.fromtimestamp(timestamp_ms / 1000, dt.UTC)


_MEDIA = frozenset({MessageKind.IMAGE, MessageKind.VIDEO, MessageKind.AUDIO, MessageKind.FILE})


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _attachment(kind: MessageKind, message: dict[str, Any]) -> Attachment | None:
    """The message id and description of media, or the place of a location."""
    if kind is MessageKind.LOCATION:
        return Attachment(
            title=str(message.get("title") or "")[:200],
            address=str(message.get("address") or "")[:500],
            latitude=_number(message.get("latitude")),
            longitude=_number(message.get("longitude")),
        )
    if kind not in _MEDIA:
        return None
    provider = message.get("contentProvider") or {}
    external = str(provider.get("originalContentUrl") or "") if isinstance(provider, dict) else ""
    size = message.get("fileSize")
    return Attachment(
        message_id=str(message.get("id") or "")[:64],
        file_name=str(message.get("fileName") or "")[:200],
        size=int(size) if isinstance(size, int) and not isinstance(size, bool) else None,
        external_url=external[:1000] if external.startswith("https://") else "",
    )
