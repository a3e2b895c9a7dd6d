"""The core's replies as LINE messages, within LINE's limits.

At most 5 messages per request, 5,000 characters per text, 13 quick reply buttons, 20
characters per button label. A long text is cut at line breaks; a reply with cards becomes a
Flex carousel (``flex.py``); the messages go out in batches of five (``in_batches``).

The messages are LINE's JSON objects as plain dicts, the same as the SDK's models serialise to
(``tests/test_line_messages.py`` compares them): building and serialising a pydantic model per
message and per button cost more CPU than the HTTP request that carries them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from helpbot.core.messages import Reply

# One LINE message object (``{"type": "text", "text": ...}``), as sent in a request body.
LineMessage = dict[str, Any]

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20


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


def to_line_messages(replies: Sequence[Reply]) -> list[LineMessage]:
    """LINE messages for the replies; quick replies go on the last message of each reply.

    A reply with cards becomes one Flex carousel whose altText says the same in words."""
    messages: list[LineMessage] = []
    for reply in replies:
        if reply.cards:  # the words first (what was understood, a caution), then the cards
            from helpbot.channels.line.flex import carousel_message  # the SDK: only for cards

            if reply.text.strip():
                messages.extend(text_message(piece) for piece in split_text(reply.text))
            messages.append(carousel_message(reply.cards, _quick(reply)))
            continue
        pieces = split_text(reply.text)
        for index, piece in enumerate(pieces):
            messages.append(text_message(piece, _quick(reply) if index == len(pieces) - 1
                                         else None))
    return messages


def text_message(text: str, quick: dict[str, Any] | None = None) -> LineMessage:
    """A text message, with its quick reply buttons if any."""
    if quick is None:
        return {"type": "text", "text": text}
    return {"type": "text", "quickReply": quick, "text": text}


def _quick(reply: Reply) -> dict[str, Any] | None:
    if not reply.quick_replies:
        return None
    return {"items": [
        {"action": {"type": "postback", "label": q.label[:MAX_LABEL], "data": q.postback[:300],
                    "displayText": (q.display_text or q.label)[:300]},
         "type": "action"}
        for q in reply.quick_replies[:MAX_QUICK_REPLIES]
    ]}


def message_count(reply: Reply) -> int:
    """How many LINE messages :func:`to_line_messages` makes of one reply."""
    if reply.cards:  # its words (if any), then one carousel
        return (len(split_text(reply.text)) if reply.text.strip() else 0) + 1
    return len(split_text(reply.text))


def replies_within(replies: Sequence[Reply], messages: int) -> int:
    """How many replies, from the first, fit whole in the first ``messages`` LINE messages."""
    count = used = 0
    for reply in replies:
        used += message_count(reply)
        if used > messages:
            break
        count += 1
    return count


def in_batches(messages: list[LineMessage]) -> list[list[LineMessage]]:
    """LINE takes at most five messages per request."""
    return [messages[i : i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]
