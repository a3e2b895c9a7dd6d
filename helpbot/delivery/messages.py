"""Messages to people, stored before they are sent: the one place ``deliveries`` rows are filled.

Every message that must reach a person outside the turn that asked for it goes through here: a
case worker's reply, a notice about a case, an apology, a reply the platform did not take, a
reminder. The row is written in the caller's transaction; ``PeopleOutbox`` sends it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from helpbot.core.messages import Reply, reply_extra
from helpbot.core.retry import RetryPolicy
from helpbot.errors import DeliveryError
from helpbot.storage import history
from helpbot.storage.models import Contact, Delivery, QueueState

# Delivery kinds: what the row is, which also decides what cancels it.
REPLY = "reply"  # an answer of a turn the platform did not take at once
NOTICE = "notice"  # the bot tells the person about their case
STAFF = "staff"  # a case worker's own words
APOLOGY = "apology"  # a message we could not answer, with the NPO's contact


def enqueue(
    session: Session,
    *,
    contact_id: int,
    kind: str,
    text: str,
    due_at: dt.datetime,
    now: dt.datetime,
    extra: dict[str, Any] | None = None,
    case_id: int | None = None,
    message_id: int | None = None,
    created_by: str | None = None,
    keep_after_resolve: bool = False,
    entry_id: str | None = None,
    attempts: int = 0,
    last_error: str | None = None,
    next_attempt_at: dt.datetime | None = None,
) -> Delivery:
    """Store a message for a person; it goes out when due (see ``PeopleOutbox.run_due``).

    ``attempts``, ``last_error`` and ``next_attempt_at`` describe a first try that already
    failed (a reply the platform refused): the row then waits for its backoff."""
    row = Delivery(
        contact_id=contact_id,
        case_id=case_id,
        message_id=message_id,
        kind=kind,
        text=text,
        extra=extra,
        state=QueueState.PENDING,
        due_at=due_at,
        next_attempt_at=next_attempt_at or due_at,
        attempts=attempts,
        retry_key=str(uuid.uuid4()),
        last_error=last_error[:255] if last_error else None,
        created_by=created_by,
        keep_after_resolve=keep_after_resolve,
        entry_id=entry_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def queue_for_person(
    session: Session,
    contact: Contact,
    reply: Reply,
    *,
    kind: str,
    now: dt.datetime,
    case_id: int | None = None,
) -> int:
    """Record a message in the person's conversation and queue its delivery; the delivery id."""
    conversation = history.current_conversation(session, contact, now=now)
    extra = reply_extra(reply)
    message = history.add_outbound(
        session, conversation, text=reply.text, extra=extra, entry_id=None, decision=None,
        score=None, now=now,
    )
    message.kind = kind
    session.flush()
    return enqueue(
        session, contact_id=contact.id, kind=kind, text=reply.text, extra=extra, due_at=now,
        now=now, case_id=case_id, message_id=message.id,
    ).id


def queue_refused_replies(
    session: Session,
    *,
    contact_id: int,
    replies: Sequence[tuple[int, Reply]],
    failure: DeliveryError | None,
    error: str | None,
    policy: RetryPolicy,
    now: dt.datetime,
) -> list[int]:
    """Replies of a turn (message id, reply) that the platform did not take at once: queued
    as tried once, due again after the policy's backoff; the delivery ids."""
    return [
        enqueue(
            session,
            contact_id=contact_id,
            kind=REPLY,
            text=reply.text,
            extra=reply_extra(reply),
            due_at=now,
            now=now,
            message_id=message_id,
            attempts=1,
            last_error=error,
            next_attempt_at=(
                policy.next_attempt(attempts=1, error=failure, now=now)
                if failure is not None
                else None
            ),
        ).id
        for message_id, reply in replies
    ]


def cancel(session: Session, *, where: Any) -> int:
    """Cancel pending rows matching ``where`` (a SQLAlchemy condition); count them."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.state == QueueState.PENDING, where)
        .values(state=QueueState.CANCELLED)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]
