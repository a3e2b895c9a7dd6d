"""Everything stored about one person, as JSON (``helpbot person export``, ``/helpbot export``).

The export is for the person (a disclosure request under APPI article 33) or their case
worker: it is not masked. Writing it is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.storage.audit import AuditAction, record
from helpbot.storage.database import Database
from helpbot.storage.models import (
    Case,
    Contact,
    Conversation,
    Delivery,
    Message,
    ProgramAnswers,
    UnansweredQuestion,
)

REMINDER = "reminder"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_record(session: Session, contact: Contact) -> dict[str, Any]:
    """The person's data as plain JSON values."""
    messages = session.scalars(
        select(Message)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.contact_id == contact.id)
        .order_by(Message.id)
    ).all()
    cases = session.scalars(select(Case).where(Case.contact_id == contact.id).order_by(Case.id))
    deliveries = session.scalars(
        select(Delivery).where(Delivery.contact_id == contact.id).order_by(Delivery.id)
    ).all()
    questions = session.scalars(
        select(UnansweredQuestion)
        .where(UnansweredQuestion.contact_id == contact.id)
        .order_by(UnansweredQuestion.id)
    )
    return {
        "person": {
            "channel": contact.channel,
            "user_id": contact.channel_user_id,
            "language": contact.language,
            "reachable": contact.reachable,
            "first_seen": _iso(contact.created_at),
            "last_seen": _iso(contact.last_seen_at),
            "erased_at": _iso(contact.erased_at),
        },
        "messages": [
            {"id": m.id, "at": _iso(m.created_at), "direction": m.direction, "kind": m.kind,
             "text": m.text, "entry_id": m.entry_id}
            for m in messages
        ],
        "cases": [
            {"number": c.id, "state": c.state, "urgency": c.urgency, "reason": c.reason,
             "topic": c.topic, "opened_at": _iso(c.opened_at), "resolved_at": _iso(c.resolved_at),
             "satisfaction": c.satisfaction}
            for c in cases
        ],
        "follow_ups": [
            {"id": d.id, "due_at": _iso(d.due_at), "state": d.state, "text": d.text,
             "case": d.case_id}
            for d in deliveries if d.kind == REMINDER and d.entry_id is None
        ],
        # What the person told the program finder (「制度をさがす」): their stated facts.
        "program_answers": _program_answers(session, contact.id),
        # What the person asked the bot to remember about a program (its deadline reminder).
        "program_reminders": [
            {"id": d.id, "entry_id": d.entry_id, "due_at": _iso(d.due_at), "state": d.state,
             "text": d.text}
            for d in deliveries if d.entry_id is not None
        ],
        "unanswered_questions": [
            {"at": _iso(q.created_at), "text": q.text} for q in questions
        ],
    }


def _program_answers(session: Session, contact_id: int) -> dict[str, Any] | None:
    row = session.get(ProgramAnswers, contact_id)
    if row is None:
        return None
    return {"facts": row.facts, "asked": row.asked, "stage": row.stage, "text": row.text,
            "updated_at": _iso(row.updated_at)}


def export_person(
    database: Database, contact_id: int, *, actor: str, now: dt.datetime
) -> dict[str, Any]:
    """The person's record; the export is written to the audit trail."""
    with database.session() as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise LookupError(contact_id)
        data = person_record(session, contact)
        record(session, actor=actor, action=AuditAction.EXPORT, now=now, contact_id=contact.id,
               detail=f"messages={len(data['messages'])} cases={len(data['cases'])}")
    return data
