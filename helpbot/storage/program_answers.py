"""Each person's answers to the program finder: read, save, clear (one row per contact)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from helpbot.storage import history
from helpbot.storage.models import ProgramAnswers

MAX_TEXT = 2000  # the person's own words kept for ranking; older words drop off the front


def answers_for(session: Session, contact_id: int) -> ProgramAnswers | None:
    if history.has_none_yet(session, history.PROGRAM_ANSWERS, contact_id):
        return None  # a person first seen in this turn has answered nothing yet
    return session.get(ProgramAnswers, contact_id)


def save_answers(
    session: Session, contact_id: int, *, facts: dict[str, Any], asked: list[str], stage: str,
    text: str, now: dt.datetime,
) -> ProgramAnswers:
    row = answers_for(session, contact_id)
    if row is None:
        history.wrote(session, history.PROGRAM_ANSWERS, contact_id)
        row = ProgramAnswers(contact_id=contact_id)
        session.add(row)
    text = text[-MAX_TEXT:]
    row.text_at = _text_at(row, text, now)
    row.facts = dict(facts)
    row.asked = list(asked)
    row.stage = stage
    row.text = text
    row.updated_at = now
    return row


def _text_at(row: ProgramAnswers, text: str, now: dt.datetime) -> dt.datetime | None:
    """When the oldest words in ``text`` were written: the row's time while its words are
    carried on (their end is in ``text``; MAX_TEXT may cut their start), now for new words
    alone, None for no words."""
    if not text.strip():
        return None
    earlier = (row.text or "").strip()
    carried = bool(earlier) and earlier[-200:] in text
    return (row.text_at or row.updated_at or now) if carried else now


def clear_answers(session: Session, contact_id: int) -> bool:
    """Forget a person's answers; True when there were some."""
    result = session.execute(delete(ProgramAnswers).where(ProgramAnswers.contact_id == contact_id))
    return bool(getattr(result, "rowcount", 0))
