"""Build what case workers see of a case from the database, masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.cases.masking import NO_PUBLIC_NUMBERS, Mask, stored_names
from helpbot.cases.ports import CaseView, RecentMessage
from helpbot.cases.states import CaseReason, CaseState, Urgency
from helpbot.errors import MissingRowError
from helpbot.programs.facts import describe_facts
from helpbot.storage.models import (
    Case,
    Contact,
    Conversation,
    CrisisSignal,
    Delivery,
    Message,
    QueueState,
    SignalKind,
)
from helpbot.storage.program_answers import answers_for

REMINDER = "reminder"

RECENT_MESSAGES = 6
MAX_QUOTE = 300


def _who(message: Message) -> str:
    if message.direction == "in":
        return "person"
    return "staff" if message.kind == "staff" else "bot"


def recent_messages(
    session: Session,
    contact_id: int,
    limit: int = RECENT_MESSAGES,
    *,
    mask: Mask = NO_PUBLIC_NUMBERS,
):
    rows = session.scalars(
        select(Message)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.contact_id == contact_id, Message.kind.in_(("text", "staff")))
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    return tuple(
        RecentMessage(who=_who(m), text=_quote(m, mask), at=m.created_at)
        for m in reversed(rows)
    )


def _quote(message: Message, mask: Mask) -> str:
    # the names found when it was stored: masked here too where Sudachi is not loaded
    text = mask(message.text, known_names=stored_names(message.extra, message.text))
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


@dataclass(frozen=True, slots=True)
class Followup:
    id: int
    due_at: dt.datetime
    state: str
    text: str
    last_error: str | None


def followups_for_case(session: Session, case_id: int) -> list[Followup]:
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.case_id == case_id, Delivery.kind == REMINDER)
        .order_by(Delivery.due_at, Delivery.id)
    ).all()
    return [Followup(r.id, r.due_at, r.state, r.text, r.last_error) for r in rows]


# How staff read a follow-up's queue state: an icon and a word about a message.
_STATE_LABELS = {
    QueueState.PENDING: ("⏰", "scheduled"),
    QueueState.LEASED: ("⏳", "sending"),
    QueueState.DONE: ("✅", "sent"),
    QueueState.CANCELLED: ("✖️", "cancelled"),
    QueueState.FAILED: ("⚠️", "failed"),
}


def describe_followup(followup: Followup, tz: dt.tzinfo) -> str:
    local = followup.due_at.astimezone(tz)
    icon, word = _STATE_LABELS.get(QueueState(followup.state), ("•", followup.state))
    reason = f" ({followup.last_error})" if followup.state == QueueState.FAILED else ""
    return f"{icon} {local:%m/%d %H:%M} {word}{reason}: {followup.text[:80]}"


def contact_of(session: Session, case: Case) -> Contact:
    """The person the case is about (the foreign key promises the row)."""
    contact = session.get(Contact, case.contact_id)
    if contact is None:
        raise MissingRowError(
            f"case #{case.id} points to contact {case.contact_id}, which is not in the database; "
            "restore the contacts table from a backup"
        )
    return contact


def case_view(
    session: Session,
    case: Case,
    *,
    now: dt.datetime,
    tz: dt.tzinfo = dt.UTC,
    mask: Mask = NO_PUBLIC_NUMBERS,
) -> CaseView:
    contact = contact_of(session, case)
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
        recent=() if contact.erased_at else recent_messages(session, case.contact_id, mask=mask),
        claimed_by=case.claimed_by,
        claimed_by_name=case.claimed_by_name,
        satisfaction=case.satisfaction,
        followups=tuple(
            describe_followup(f, tz) for f in followups_for_case(session, case.id)
        ),
        crisis_why=case.crisis_why,
        false_alarm_by=false_alarm_by(session, case.id),
        resolved_by=case.resolved_by,
        erased=contact.erased_at is not None,
        program_answers=program_answer_lines(session, case.contact_id),
        person_language=contact.language or "ja",
        easy_japanese=bool(contact.easy_japanese),
    )


def program_answer_lines(session: Session, contact_id: int) -> tuple[str, ...]:
    """The person's answers to the program finder, as the case worker reads them."""
    row = answers_for(session, contact_id)
    return tuple(describe_facts(row.facts)) if row is not None else ()


def false_alarm_by(session: Session, case_id: int) -> str | None:
    """Who marked the case's crisis alarm as not a crisis, if anyone did."""
    return session.scalars(
        select(CrisisSignal.marked_by)
        .where(CrisisSignal.case_id == case_id, CrisisSignal.kind == SignalKind.FALSE_ALARM)
        .limit(1)
    ).first()
