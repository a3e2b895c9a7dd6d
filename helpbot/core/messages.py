"""Channel-neutral messages: what adapters translate platform events into and out of."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode


class MessageKind(StrEnum):
    TEXT = "text"
    POSTBACK = "postback"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    STICKER = "sticker"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    FILE = "file"
    LOCATION = "location"
    OTHER = "other"  # a message type LINE added after this code: read like a sticker


# Kinds that carry no text we can answer: the person is asked to write instead.
NON_TEXT_KINDS = frozenset(
    {
        MessageKind.STICKER,
        MessageKind.IMAGE,
        MessageKind.VIDEO,
        MessageKind.AUDIO,
        MessageKind.FILE,
        MessageKind.LOCATION,
        MessageKind.OTHER,
    }
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """What came with an image, video, audio, file or location message (no content itself).

    ``message_id`` fetches the content from the platform while it keeps it (LINE: days);
    ``external_url`` is set when the content lives elsewhere (LINE's ``contentProvider``).
    """

    message_id: str = ""
    file_name: str = ""
    size: int | None = None
    external_url: str = ""
    title: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """Something a person did: wrote, tapped a button, followed or left."""

    channel: str
    user_id: str
    kind: MessageKind
    received_at: dt.datetime
    text: str = ""
    postback: str = ""
    attachment: Attachment | None = None


@dataclass(frozen=True, slots=True)
class QuickReply:
    """A button under a message; tapping it sends ``postback`` and shows ``label`` as typed."""

    label: str
    postback: str
    # What appears in the chat as the person's own message when they tap.
    display_text: str = ""


@dataclass(frozen=True, slots=True)
class CardButton:
    """A button on a card: opens ``uri`` (https: or tel:) or sends ``postback``."""

    label: str
    uri: str = ""
    postback: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    """One card of a carousel (LINE shows a Flex bubble); ``Reply.text`` says the same."""

    title: str
    lines: tuple[str, ...] = ()
    buttons: tuple[CardButton, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    quick_replies: tuple[QuickReply, ...] = field(default=())
    # Shown as cards where the channel can (LINE); ``text`` carries the same content in words.
    cards: tuple[Card, ...] = field(default=())


def answer_postback(entry_id: str) -> str:
    return urlencode({"a": "answer", "id": entry_id})


def remind_postback(entry_id: str) -> str:
    return urlencode({"a": "remind", "id": entry_id})


# The rich menu's buttons (``helpbot line richmenu apply``); the conversation answers them.
TOPICS_POSTBACK = "a=topics"
CRISIS_POSTBACK = "a=crisis"
# 「制度をさがす」 (conversation/programs.py): a postback, so it never tells the person's language.
PROGRAMS_POSTBACK = "a=pfind"


def category_postback(category: str) -> str:
    return urlencode({"a": "category", "c": category})


# The largest id an INTEGER column holds on PostgreSQL (cases.id, messages.id); SQLite's
# 64-bit limit is above it. A larger number from outside can name no row.
MAX_ROW_ID = 2**31 - 1
_ROW_ID = re.compile(r"[0-9]{1,10}")


def row_id(raw: str | None) -> int | None:
    """A row id from outside (postback data, a query string): 1 to ``MAX_ROW_ID``, else None
    (a number the database cannot hold would fail the turn, not just name no row)."""
    if raw is None or not _ROW_ID.fullmatch(raw):
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ROW_ID else None


def parse_postback(data: str) -> dict[str, str]:
    """Postback data is a small query string; unknown or malformed data gives {}."""
    try:
        return dict(parse_qsl(data, strict_parsing=True, max_num_fields=8))
    except ValueError:
        return {}


def reply_extra(reply: Reply) -> dict[str, object] | None:
    """The structure of a reply beyond its text, as stored with the message."""
    if not reply.quick_replies and not reply.cards:
        return None
    extra: dict[str, object] = {
        "quick_replies": [
            {"label": q.label, "postback": q.postback, "display_text": q.display_text}
            for q in reply.quick_replies
        ]
    }
    if reply.cards:
        extra["cards"] = [
            {"title": c.title, "lines": list(c.lines),
             "buttons": [{"label": b.label, "uri": b.uri, "postback": b.postback}
                         for b in c.buttons]}
            for c in reply.cards
        ]
    return extra


def stored_reply(text: str, extra: dict[str, Any] | None) -> Reply:
    """The reply as stored with its message (the inverse of :func:`reply_extra`)."""
    buttons = tuple(
        QuickReply(label=q["label"], postback=q["postback"], display_text=q.get("display_text", ""))
        for q in (extra or {}).get("quick_replies", [])
    )
    cards = tuple(
        Card(title=c["title"], lines=tuple(c.get("lines", ())),
             buttons=tuple(CardButton(b["label"], b.get("uri", ""), b.get("postback", ""))
                           for b in c.get("buttons", ())))
        for c in (extra or {}).get("cards", [])
    )
    return Reply(text=text, quick_replies=buttons, cards=cards)
