"""What a 「FAQに追加」 draft starts from: the person's question (masked) and the worker's answer.

The question is the person's latest text message in the case (contact details masked as in
the case thread); the answer is the worker's message the shortcut was used on, without its
``//`` note lines. Nothing else of the conversation leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from helpbot.cases.masking import mask_personal_data, stored_names
from helpbot.cases.service import without_notes
from helpbot.storage.database import Database
from helpbot.storage.models import Case, Conversation, Direction, Message

PERSON_PREFIX = "👤 "


@dataclass(frozen=True, slots=True)
class DraftSource:
    case_id: int
    question: str
    answer: str


def draft_source(
    database: Database, *, case_id: int, text: str, from_bot: bool
) -> DraftSource | None:
    """What a draft from a message of case ``case_id`` starts from; None when it is gone."""
    with database.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            return None
        if from_bot and text.startswith(PERSON_PREFIX):  # the person's line, relayed
            return DraftSource(case.id, text.removeprefix(PERSON_PREFIX).strip(), "")
        latest = session.execute(
            select(Message.text, Message.extra)
            .join(Conversation, Message.conversation_id == Conversation.id)
            .where(
                Conversation.contact_id == case.contact_id,
                Message.direction == Direction.IN,
                Message.kind == "text",
            )
            .order_by(Message.id.desc())
            .limit(1)
        ).one_or_none()
        asked, extra = latest or ("", None)
        question = mask_personal_data(asked, known_names=stored_names(extra, asked))
        return DraftSource(case.id, question, "" if from_bot else without_notes(text))
