"""When a turn cannot simply be sent: resend a recorded turn, queue the replies a platform did
not take, and apologise when a message could not be answered at all.

A channel calls these after the core has decided; nobody is answered twice (a recorded turn is
resent, never decided again) and nobody is left in silence (a message that fails for good gets
the person an apology with the NPO's contact, and tells staff). A person in danger is never left
with only "sorry": the apology carries the crisis lines when the message was a crisis, and every
line of ``crisis.yaml`` when that cannot be known (the message could not be read, or the
detector could not run on it).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from helpbot.conversation.handoff import DEFAULT_STAFF_POLICY, contact_words
from helpbot.conversation.turn import Clock, SendStatus, Sent, Turn, readable
from helpbot.core.messages import Incoming, MessageKind, Reply, stored_reply
from helpbot.core.retry import RetryPolicy, is_retryable
from helpbot.core.texts import phrases, text_language
from helpbot.crisis.detector import snapshot_detector
from helpbot.crisis.resources import resources_text
from helpbot.delivery.messages import APOLOGY, queue_for_person, queue_refused_replies
from helpbot.errors import DeliveryError
from helpbot.knowledge.crisis_file import builtin_crisis_rules
from helpbot.matching.base import KnowledgeSnapshot, KnowledgeSource
from helpbot.storage import history
from helpbot.storage.database import Database
from helpbot.storage.models import DeliveryStatus, Message

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from helpbot.cases.service import CaseService

logger = logging.getLogger(__name__)


def turn_record(turn: Turn) -> dict[str, Any]:
    """What is kept of a turn so that a retry resends it (``WebhookEvent.turn``)."""
    return {
        "out": list(turn.outbound_ids),
        "posts": list(turn.staff_post_ids),
        "contact": turn.contact_id,
        "decision": turn.decision,
        "entry": turn.entry_id,
    }


# ``apologize(message=UNREADABLE)``: the failed message could not be read, so whether it was a
# crisis cannot be known.
UNREADABLE = None


@dataclass(frozen=True, slots=True)
class Apology:
    """What was stored when a message could not be answered: sent once, retried if need be."""

    delivery_id: int | None
    staff_post_ids: list[int] = field(default_factory=list)


class TurnRecovery:
    """Resend, queue, apologise."""

    def __init__(
        self,
        *,
        database: Database,
        knowledge: KnowledgeSource,
        clock: Clock,
        cases: CaseService | None,
        retry: RetryPolicy,
    ) -> None:
        self._database = database
        self._knowledge = knowledge
        self._clock = clock
        self._cases = cases
        self._retry = retry

    def recorded_turn(self, record: dict[str, Any]) -> Turn:
        """The turn an earlier try decided and stored, with its replies as stored."""
        ids = [int(i) for i in record.get("out", [])]
        with self._database.session() as session:
            rows = session.scalars(select(Message).where(Message.id.in_(ids)))
            messages = {m.id: m for m in rows}
            replies = [stored_reply(messages[i].text, messages[i].extra) for i in ids]
        return Turn(
            replies=replies,
            outbound_ids=ids,
            decision=record.get("decision"),
            entry_id=record.get("entry"),
            staff_post_ids=[int(i) for i in record.get("posts", [])],
            contact_id=record.get("contact"),
        )

    def record_sending(
        self, turn: Turn, sent: Sent, *, also: Callable[[Session], object] | None = None
    ) -> bool:
        """Record how the turn's replies went out; False while their fate is open.

        Taken: marked sent. Refused: what did not arrive becomes deliveries the worker
        retries (or fails for good). Unknown: marked pending, for the caller to send again.
        ``also`` runs in the same transaction when the fate is known (a channel finishes its
        event there: one commit, not two)."""
        if sent.status is SendStatus.UNKNOWN:
            self._mark(turn.outbound_ids, DeliveryStatus.PENDING, sent.error)
            return False
        if sent.status is SendStatus.SENT:
            with self._database.session() as session:
                history.mark_delivery(session, turn.outbound_ids, status=DeliveryStatus.SENT,
                                      error=sent.doubt)
                if also is not None:
                    also(session)
        else:
            self.retry_replies(
                turn, failure=sent.failure, already_sent=sent.replied, doubt=sent.doubt,
                also=also,
            )
        return True

    def _mark(self, outbound_ids: list[int], status: DeliveryStatus, error: str | None) -> None:
        with self._database.session() as session:
            history.mark_delivery(session, outbound_ids, status=status, error=error)

    def retry_replies(
        self,
        turn: Turn,
        *,
        failure: DeliveryError | None,
        already_sent: int = 0,
        doubt: str | None = None,
        also: Callable[[Session], object] | None = None,
    ) -> None:
        """Replies the platform did not take: queued for the worker, or failed for good.

        The first ``already_sent`` replies did reach the person (by the reply token); ``doubt``
        is kept on the queued rows when an earlier try may have delivered them already.
        """
        now = self._clock()
        retryable = failure is None or is_retryable(failure)
        error = doubt or (str(failure)[:255] if failure else None)
        sent_ids = turn.outbound_ids[:already_sent]
        pending = list(zip(turn.outbound_ids, turn.replies, strict=True))[already_sent:]
        with self._database.session() as session:
            history.mark_delivery(session, sent_ids, status=DeliveryStatus.SENT, error=None)
            history.mark_delivery(
                session,
                [message_id for message_id, _ in pending],
                status=DeliveryStatus.PENDING if retryable else DeliveryStatus.FAILED,
                error=error,
            )
            if retryable and turn.contact_id is not None:
                queue_refused_replies(
                    session, contact_id=turn.contact_id, replies=pending, failure=failure,
                    error=error, policy=self._retry, now=now,
                )
            if also is not None:
                also(session)

    def apologize(
        self,
        *,
        channel: str,
        user_id: str | None,
        what: str,
        message: Incoming | None = UNREADABLE,
    ) -> Apology:
        """A message that failed for good: the person gets a short apology with the NPO's
        contact, and the crisis lines when ``message`` was a crisis or cannot be read (stored,
        sent once), and staff are told in their channel."""
        now = self._clock()
        delivery_id = None
        posts: list[int] = []
        snapshot = self._snapshot()
        kb = snapshot.kb if snapshot is not None else None
        staff = (kb.staff if kb is not None else None) or DEFAULT_STAFF_POLICY
        with self._database.session() as session:
            if user_id is not None:
                contact = history.contact_for(session, channel=channel, user_id=user_id, now=now)
                words = phrases(contact.language)
                reach_us = contact_words(staff.contact,  # the apology's language, or another
                                         text_language("sorry_error", contact.language))
                lines = self.crisis_lines(snapshot, message, language=contact.language,
                                          local=now.astimezone(staff.zone))
                text = "\n".join(t for t in (words.sorry_error, reach_us, lines) if t)
                delivery_id = queue_for_person(
                    session, contact, Reply(text=text), kind=APOLOGY, now=now
                )
                with_lines = " with the crisis lines" if lines else ""
                what = f"{what} (contact #{contact.id}; they were sent an apology{with_lines})"
            if self._cases is not None:
                posts.append(self._cases.outbox.add_notice(session, what))
        if self._cases is not None:
            if delivery_id is not None:
                self._cases.people.deliver_now([delivery_id])
            self._cases.outbox.deliver(posts)
        return Apology(delivery_id=delivery_id, staff_post_ids=posts)

    def _snapshot(self) -> KnowledgeSnapshot | None:
        """The knowledge served now; None when it cannot be had (the apology still goes)."""
        try:
            return self._knowledge.snapshot()
        except Exception:
            logger.exception("no knowledge for an apology: the built-in crisis lines are used")
            return None

    @staticmethod
    def crisis_lines(
        snapshot: KnowledgeSnapshot | None,
        message: Incoming | None,
        *,
        language: str,
        local: dt.datetime,
    ) -> str:
        """The lines to call for an apology: the category's when ``message`` was a crisis,
        every line when that cannot be known, none for a message that was not one; those open
        at ``local`` (the NPO's time) first."""
        kb = snapshot.kb if snapshot is not None else None
        rules = (kb.crisis if kb is not None else None) or builtin_crisis_rules()
        if rules is None:
            return ""
        if message is not None and (
            message.kind is not MessageKind.TEXT or not message.text.strip()
        ):
            return ""  # a tap, a sticker, a follow: no words that could tell of danger
        detector = hit = None
        if message is not None and snapshot is not None:
            message = readable(message)  # Zawgyi read as Unicode, as in a turn
            try:
                detector = snapshot_detector(snapshot.kb, snapshot.index)
                hit = detector.assess(message.text).hit if detector is not None else None
            except Exception as error:  # its text is not logged: it may hold the message
                logger.warning("the crisis detector failed on a failed message (%s)",
                               type(error).__name__)
                detector = None
        if detector is None:
            logger.warning("a failed message could not be checked for danger: the apology "
                           "carries every crisis line")
            return resources_text(rules, category=None, language=language, local=local)
        if hit is None:
            return ""
        logger.warning("a failed message was a crisis (%s): the apology carries its lines",
                       hit.category)
        # the message's own language; for Japanese, the person's ("easy" if they asked for it)
        shown = language if hit.language == "ja" and language in ("ja", "easy") else hit.language
        return resources_text(rules, category=hit.category, language=shown, local=local)
