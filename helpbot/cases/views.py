"""Build what case workers see of a case from the database, masked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.cases.masking import mask_personal_data
from helpbot.cases.ports import CaseView, RecentMessage
from helpbot.cases.states import CaseReason, CaseState, Urgency
from helpbot.storage.models import Case, Contact, Conversation, Message

RECENT_MESSAGES = 6
MAX_QUOTE = 300


def _who(message: Message) -> str:
    if message.direction == "in":
        return "person"
    return "staff" if message.kind == "staff" else "bot"


def recent_messages(session: Session, contact_id: int, limit: int = RECENT_MESSAGES):
    rows = session.scalars(
        select(Message)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.contact_id == contact_id, Message.kind.in_(("text", "staff")))
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    return tuple(
        RecentMessage(who=_who(m), text=_quote(m.text), at=m.created_at) for m in reversed(rows)
    )


def _quote(text: str) -> str:
    text = mask_personal_data(text)
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def case_view(session: Session, case: Case, *, now: dt.datetime) -> CaseView:
    contact = session.get(Contact, case.contact_id)
    assert contact is not None
    waited_until = case.claimed_at or case.resolved_at or now
    return CaseView(
        number=case.id,
        state=CaseState(case.state),
        urgency=Urgency(case.urgency),
        reason=CaseReason(case.reason),
        topic=case.topic,
        crisis_category=case.crisis_category,
        person_channel=contact.channel,
        opened_at=case.opened_at,
        waited=max(waited_until - case.opened_at, dt.timedelta(0)),
        recent=recent_messages(session, case.contact_id),
        claimed_by=case.claimed_by,
        claimed_by_name=case.claimed_by_name,
        satisfaction=case.satisfaction,
    )
