"""Has a case worker told the person their name in this case yet? (See channels/slack/names.)"""

from __future__ import annotations

from sqlalchemy import select

from helpbot.cases.views import contact_of
from helpbot.storage.database import Database
from helpbot.storage.models import Case, Conversation, Direction, Message


def already_introduced(
    database: Database, *, case_id: int, introductions: list[str]
) -> str | None:
    """The person's language when none of ``introductions`` was sent since the case opened;
    None when one was (or the case is gone)."""
    with database.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            return None
        sent = session.scalars(
            select(Message.text)
            .join(Conversation, Message.conversation_id == Conversation.id)
            .where(
                Conversation.contact_id == case.contact_id,
                Message.direction == Direction.OUT,
                Message.created_at >= case.opened_at,
            )
        ).all()
        if any(text.startswith(phrase) for text in sent for phrase in introductions):
            return None
        return contact_of(session, case).language or "ja"
