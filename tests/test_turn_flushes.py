"""A turn writes its rows with statements of its own: nothing is left for SQLAlchemy's unit of
work to compare and flush before each later statement, unless something really changed."""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tests.fakes.line_webhooks import new_user_id, text_event


def _say(line, fake_line, user: str, text: str) -> dict:
    token = fake_line.issue_reply_token(user_id=user)
    line.post(text_event(text, user_id=user, reply_token=token))
    line.settle()
    return fake_line.replies[-1].messages[-1]


def test_answered_questions_leave_the_contact_and_conversation_clean(line, fake_line):
    unchanged: list[tuple[str, str]] = []  # assigned, but to the value it had

    def before_flush(session: Session, _context: object, _instances: object) -> None:
        for row in session.dirty:
            state = inspect(row)
            unchanged.extend((type(row).__name__, name) for name in state.committed_state
                             if not state.attrs[name].history.has_changes())

    event.listen(Session, "before_flush", before_flush)
    try:
        user = new_user_id()
        for _ in range(3):  # a new person, then the same person with an open conversation
            answer = _say(line, fake_line, user, "フードバンクってなんですか")
            assert "フードバンク" in answer["text"]
        for _ in range(2):  # another language, then the same again
            _say(line, fake_line, user, "Where is the food bank?")
    finally:
        event.remove(Session, "before_flush", before_flush)
    assert unchanged == []
    assert fake_line.violations == []
