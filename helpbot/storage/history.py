"""Contacts, conversations and messages: who said what, and what we answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from helpbot.storage.database import run_core
from helpbot.storage.models import (
    Contact,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    UnansweredQuestion,
)

# After this much silence a new message starts a new conversation.
CONVERSATION_GAP = dt.timedelta(hours=24)

# What a contact created in the current transaction has none of yet: its lookups need no
# query (a first message is answered with fewer round trips). Whoever writes such a row for
# the contact calls :func:`wrote` first, so the next lookup asks the database.
CONVERSATIONS, CASES, PROGRAM_ANSWERS = "conversations", "cases", "program_answers"
_NONE_YET = "helpbot.none_yet"

_CONTACTS = Contact.__table__
_CONVERSATIONS = Conversation.__table__


def _loading(model: Any, statement: Any) -> Any:
    """An INSERT/UPDATE on the table whose RETURNING rows load as ``model`` objects: the ORM
    loads them as from a SELECT, without its bulk-DML path (about 0.4 ms less per UPDATE on
    SQLite). The objects are persistent and clean; later changes to them are tracked."""
    table = model.__table__
    return (select(model).from_statement(statement.returning(*table.c))
            .execution_options(populate_existing=True))


_TOUCH_CONTACT = _loading(Contact, update(_CONTACTS).where(
    _CONTACTS.c.channel == bindparam("b_channel"),
    _CONTACTS.c.channel_user_id == bindparam("b_user"),
).values(last_seen_at=bindparam("b_now")))
_MESSAGES = Message.__table__
_INSERT_MESSAGE = insert(_MESSAGES).returning(_MESSAGES.c.id)
_INSERT_MESSAGES = insert(_MESSAGES).returning(_MESSAGES.c.id, sort_by_parameter_order=True)
_MARK_DELIVERY = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id.in_(bindparam("b_ids", expanding=True)))
    .values(delivery_status=bindparam("b_status"), delivery_error=bindparam("b_error"))
)
_NEW_CONTACT = _loading(Contact, insert(_CONTACTS))
_NEW_CONVERSATION = _loading(Conversation, insert(_CONVERSATIONS))
_CONVERSATION_ACTIVE = (
    update(_CONVERSATIONS).where(_CONVERSATIONS.c.id == bindparam("b_id"))
    .values(last_activity_at=bindparam("b_now"))
)
_UNANSWERED = insert(UnansweredQuestion.__table__)
_LATEST_CONVERSATION = (
    select(Conversation)
    .where(Conversation.contact_id == bindparam("contact_id"))
    .order_by(Conversation.id.desc())
    .limit(1)
)


def has_none_yet(session: Session, what: str, contact_id: int) -> bool:
    """True when ``contact_id`` was created in this transaction and nothing of ``what``
    (``CONVERSATIONS``, ``CASES``, ``PROGRAM_ANSWERS``) was written for it since."""
    marks = session.info.get(_NONE_YET)
    if marks is None or marks[0] is not session.get_transaction():
        return False
    return contact_id in marks[1].get(what, ())


def wrote(session: Session, what: str, contact_id: int) -> None:
    """A row of ``what`` is being written for the contact: look it up from now on."""
    marks = session.info.get(_NONE_YET)
    if marks is not None:
        marks[1].get(what, set()).discard(contact_id)


def _created(session: Session, contact_id: int) -> None:
    marks = session.info.get(_NONE_YET)
    transaction = session.get_transaction()
    if marks is None or marks[0] is not transaction:
        marks = session.info[_NONE_YET] = (transaction, {})
    for what in (CONVERSATIONS, CASES, PROGRAM_ANSWERS):
        marks[1].setdefault(what, set()).add(contact_id)


def contact_for(session: Session, *, channel: str, user_id: str, now: dt.datetime) -> Contact:
    """The contact for a channel user, created on first contact."""
    # Seen now: one UPDATE … RETURNING finds the contact and records the time (no SELECT,
    # and no object left dirty for an autoflush to write before the turn's next query).
    contact = session.scalars(
        _TOUCH_CONTACT, {"b_channel": channel, "b_user": user_id, "b_now": now}
    ).one_or_none()
    if contact is None:
        # One INSERT … RETURNING: no unit of work, and no object left dirty to flush again.
        contact = session.scalars(_NEW_CONTACT, {
            "channel": channel, "channel_user_id": user_id, "created_at": now,
            "last_seen_at": now,
        }).one()
        _created(session, contact.id)
    return contact


def current_conversation(session: Session, contact: Contact, *, now: dt.datetime) -> Conversation:
    """The contact's open conversation, or a new one after a long silence."""
    latest = None
    if not has_none_yet(session, CONVERSATIONS, contact.id):
        latest = session.scalars(
            _LATEST_CONVERSATION, {"contact_id": contact.id}
        ).one_or_none()
    if latest is None or now - latest.last_activity_at > CONVERSATION_GAP:
        wrote(session, CONVERSATIONS, contact.id)
        return session.scalars(_NEW_CONVERSATION, {
            "contact_id": contact.id, "started_at": now, "last_activity_at": now,
        }).one()
    # one UPDATE now, and the object kept clean (no unit of work at the next autoflush)
    run_core(session, _CONVERSATION_ACTIVE, {"b_id": latest.id, "b_now": now})
    set_committed_value(latest, "last_activity_at", now)
    return latest


def add_outbound(
    session: Session,
    conversation: Conversation,
    *,
    text: str,
    extra: dict[str, Any] | None,
    entry_id: str | None,
    decision: str | None,
    score: float | None,
    now: dt.datetime,
) -> Message:
    message = Message(**outbound_row(conversation.id, text=text, extra=extra, entry_id=entry_id,
                                     decision=decision, score=score, now=now))
    session.add(message)
    return message


def insert_messages(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Store a turn's messages with one statement (no ORM objects); their ids, in order.

    ``rows``: the columns of ``Message``; a turn's rows are written and never read back."""
    if not rows:
        return []
    if len(rows) == 1:  # most turns: a plain INSERT … RETURNING, not the many-rows path
        return [run_core(session, _INSERT_MESSAGE, rows[0]).scalar_one()]
    return list(run_core(session, _INSERT_MESSAGES, rows).scalars())


def inbound_row(
    conversation_id: int, *, kind: str, text: str, extra: dict[str, Any] | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """The columns of a person's message (for :func:`insert_messages`)."""
    return {
        "conversation_id": conversation_id, "direction": Direction.IN, "kind": kind,
        "text": text, "extra": extra, "entry_id": None, "decision": None, "score": None,
        "delivery_status": None, "delivery_error": None, "created_at": now,
    }


def outbound_row(
    conversation_id: int, *, text: str, extra: dict[str, Any] | None, entry_id: str | None,
    decision: str | None, score: float | None, now: dt.datetime,
) -> dict[str, Any]:
    """The columns of a reply, not yet delivered (for :func:`insert_messages`)."""
    return {
        "conversation_id": conversation_id, "direction": Direction.OUT, "kind": "text",
        "text": text, "extra": extra, "entry_id": entry_id, "decision": decision,
        "score": score, "delivery_status": DeliveryStatus.PENDING, "delivery_error": None,
        "created_at": now,
    }


def recent_messages(session: Session, conversation_id: int, *, limit: int) -> list[Message]:
    """A conversation's last ``limit`` messages, oldest first (not its whole history)."""
    rows = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


def record_unanswered(
    session: Session,
    *,
    contact: Contact,
    text: str,
    normalized_text: str,
    decision: str,
    best_entry_id: str | None,
    best_score: float | None,
    now: dt.datetime,
) -> None:
    run_core(session, _UNANSWERED, {  # a plain INSERT: nothing reads the row back this turn
        "contact_id": contact.id, "text": text, "normalized_text": normalized_text,
        "decision": decision, "best_entry_id": best_entry_id, "best_score": best_score,
        "created_at": now,
    })


def mark_delivery(
    session: Session, message_ids: list[int], *, status: DeliveryStatus, error: str | None
) -> None:
    if message_ids:  # one statement, built once; no ORM DML layer (run_core)
        run_core(session, _MARK_DELIVERY,
                 {"b_ids": message_ids, "b_status": status, "b_error": error})


def outbound_after(
    session: Session, *, channel: str, user_id: str, after_id: int
) -> list[Message]:
    """Messages sent to a channel user after a message id (for pages that poll)."""
    return list(
        session.scalars(
            select(Message)
            .join(Conversation, Message.conversation_id == Conversation.id)
            .join(Contact, Conversation.contact_id == Contact.id)
            .where(
                Contact.channel == channel,
                Contact.channel_user_id == user_id,
                Message.direction == Direction.OUT,
                Message.id > after_id,
            )
            .order_by(Message.id)
        )
    )
