"""The core's replies as LINE messages, within LINE's limits.

At most 5 messages per request, 5,000 characters per text, 13 quick reply buttons, 20
characters per button label. A long text is cut at line breaks; a reply with cards becomes a
Flex carousel (``flex.py``); the messages go out in batches of five (``in_batches``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from helpbot.core.messages import Reply

if TYPE_CHECKING:
    # The LINE SDK (about 50 MiB of modules) is imported on the first send (see sender.py).
    from linebot.v3.messaging import Message
    from linebot.v3.messaging import QuickReply as LineQuickReply

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


def to_line_messages(replies: Sequence[Reply]) -> list[Message]:
    """LINE messages for the replies; quick replies go on the last message of each reply.

    A reply with cards becomes one Flex carousel whose altText says the same in words."""
    from linebot.v3.messaging import TextMessage

    from helpbot.channels.line.flex import carousel_message

    messages: list[Message] = []
    for reply in replies:
        if reply.cards:  # the words first (what was understood, a caution), then the cards
            if reply.text.strip():
                messages.extend(TextMessage(text=piece) for piece in split_text(reply.text))
            messages.append(carousel_message(reply.cards, _quick(reply)))
            continue
        pieces = split_text(reply.text)
        for index, piece in enumerate(pieces):
            quick = _quick(reply) if index == len(pieces) - 1 else None
            messages.append(TextMessage(text=piece, quickReply=quick))
    return messages


def _quick(reply: Reply) -> LineQuickReply | None:
    from linebot.v3.messaging import PostbackAction, QuickReplyItem
    from linebot.v3.messaging import QuickReply as LineQuickReply

    if not reply.quick_replies:
        return None
    return LineQuickReply(
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


def in_batches(messages: list[Message]) -> list[list[Message]]:
    """LINE takes at most five messages per request."""
    return [messages[i : i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]
