"""What staff need to tune ``crisis.yaml``: false alarms they marked and recent near misses.

A near miss is a message whose meaning came close to a crisis example but stayed under the
threshold; a false alarm is an urgent case a worker marked 「危険ではない」. Both point at the
stored message (never copied), so erasing a person's messages erases what review shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.crisis.meaning import Nearest
from helpbot.storage.models import Case, Conversation, CrisisSignal, Message, SignalKind


def record_near_miss(
    session: Session, nearest: Nearest, message_id: int | None, *, now: dt.datetime
) -> None:
    session.add(
        CrisisSignal(
            kind=SignalKind.NEAR_MISS,
            category=nearest.category,
            why=f"close to 「{nearest.exemplar}」"[:255],
            score=round(nearest.similarity, 3),
            message_id=message_id,
            created_at=now,
        )
    )


def mark_false_alarm(session: Session, case: Case, *, by: str, now: dt.datetime) -> bool:
    """Record that the case's alarm was not a crisis; False when it was marked already."""
    marked = session.scalars(
        select(CrisisSignal.id).where(
            CrisisSignal.case_id == case.id, CrisisSignal.kind == SignalKind.FALSE_ALARM
        )
    ).first()
    if marked is not None:
        return False
    first = session.scalars(
        select(Message.id)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(
            Conversation.contact_id == case.contact_id,
            Message.direction == "in",
            Message.created_at <= case.opened_at,
        )
        .order_by(Message.id.desc())
        .limit(1)
    ).first()
    session.add(
        CrisisSignal(
            kind=SignalKind.FALSE_ALARM,
            category=case.crisis_category,
            why=case.crisis_why,
            case_id=case.id,
            message_id=first,
            marked_by=by[:64],
            created_at=now,
        )
    )
    return True


@dataclass(frozen=True, slots=True)
class ReviewItem:
    kind: str
    at: dt.datetime
    category: str | None
    why: str | None
    score: float | None
    case_id: int | None
    marked_by: str | None
    text: str | None  # the message, as stored (None once erased or purged)


def review_items(session: Session, *, since: dt.datetime, limit: int = 200) -> list[ReviewItem]:
    rows = session.execute(
        select(CrisisSignal, Message.text)
        .outerjoin(Message, CrisisSignal.message_id == Message.id)
        .where(CrisisSignal.created_at >= since)
        .order_by(CrisisSignal.kind, CrisisSignal.score.desc(), CrisisSignal.id.desc())
        .limit(limit)
    ).all()
    return [
        ReviewItem(
            kind=signal.kind,
            at=signal.created_at,
            category=signal.category,
            why=signal.why,
            score=signal.score,
            case_id=signal.case_id,
            marked_by=signal.marked_by,
            text=text,
        )
        for signal, text in rows
    ]
