"""What one turn of the conversation carries: the context in, the outcome and replies out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from helpbot.core.messages import Incoming, Reply
from helpbot.crisis.detector import CrisisHit
from helpbot.errors import DeliveryError
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.matching.base import Candidate, Decision, Matcher
from helpbot.matching.zawgyi import to_unicode
from helpbot.storage.models import Contact, Conversation

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def readable(incoming: Incoming) -> Incoming:
    """The person's text as every layer reads it: Burmese typed in Zawgyi becomes Unicode
    (matching/zawgyi.py). Called where a message enters the core (``ConversationService.handle``;
    ``TurnRecovery`` for a message that failed for good), so that crisis triage, language,
    matching, the stored message and what case workers see all read the same Unicode text."""
    if not incoming.text:
        return incoming
    text = to_unicode(incoming.text)
    return incoming if text == incoming.text else replace(incoming, text=text)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the core decided, for recording; ``replies`` is what the person gets."""

    replies: list[Reply]
    decision: Decision | None = None
    entry_id: str | None = None
    score: float | None = None
    staff_post_ids: list[int] = field(default_factory=list)
    crisis: CrisisHit | None = None  # danger signs found in the message
    case_id: int | None = None  # the case opened, raised or written to


@dataclass(slots=True)
class Turn:
    """The replies to send, and the ids of their stored rows (to record delivery)."""

    replies: list[Reply] = field(default_factory=list)
    outbound_ids: list[int] = field(default_factory=list)
    decision: Decision | None = None
    entry_id: str | None = None
    # Posts for case workers, stored; the caller sends them after answering the person.
    staff_post_ids: list[int] = field(default_factory=list)
    contact_id: int | None = None
    crisis: CrisisHit | None = None
    case_id: int | None = None


@dataclass(slots=True)
class TurnContext:
    """Everything a handler needs, inside the turn's one transaction."""

    incoming: Incoming
    session: Session
    contact: Contact
    conversation: Conversation
    kb: KnowledgeBase
    matcher: Matcher
    now: dt.datetime
    # The matcher's ranking of a text message, computed before the transaction began.
    candidates: list[Candidate] = field(default_factory=list)
    inbound_id: int | None = None  # the stored message this turn answers
    # ``kb`` with only the entries offered today (no passed deadline, status active): what
    # buttons, categories and postbacks may show. ``kb`` itself keeps every entry.
    offered: KnowledgeBase | None = None

    @property
    def shown(self) -> KnowledgeBase:
        return self.offered if self.offered is not None else self.kb

    def reset_misses(self) -> None:
        """A direct answer starts the count of unanswered questions again. Assigned only when
        it changes: an assignment, even of the same value, leaves the conversation for the
        unit of work to compare at the turn's next statement (an ORM flush each turn)."""
        if self.conversation.misses_in_a_row:
            self.conversation.misses_in_a_row = 0


class SendStatus(StrEnum):
    SENT = "sent"  # the platform took every reply
    REFUSED = "refused"  # the first ``replied`` replies arrived; the rest were not taken
    UNKNOWN = "unknown"  # the platform left their fate open: the same turn is sent again soon


@dataclass(frozen=True, slots=True)
class Sent:
    """How a channel's transport got a turn's replies out (what ``ReplySender`` reports)."""

    status: SendStatus
    replied: int = 0  # REFUSED: how many replies, from the first, reached the person
    failure: DeliveryError | None = None
    error: str | None = None  # what the platform said, for the records (no message text)
    doubt: str | None = None  # the replies may have arrived twice: kept on the records


SENT = Sent(SendStatus.SENT)


class ReplySender(Protocol):
    """A channel's transport for one turn: platform calls only, no bookkeeping.

    ``resend`` is true when an earlier try of the same turn got as far as sending."""

    def __call__(self, turn: Turn, *, resend: bool) -> Sent: ...
