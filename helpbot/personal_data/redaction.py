"""Redact what people wrote, table by table, keeping every row (counts stay true).

A redacted row keeps its ids, timestamps, decisions, entry ids and states; its texts become
empty and its structured extras (quick replies, stored webhook payloads) are dropped. Both the
retention purge and a person's erasure use these functions with a :class:`Scope`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, delete, null, or_, select, true, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from helpbot.cases.outbox import EXPIRED_TEXT, PostKind
from helpbot.storage.models import (
    DIGEST_CHANNEL,
    Case,
    Contact,
    Conversation,
    Delivery,
    Message,
    ProgramAnswers,
    QueueState,
    StaffPost,
    UnansweredQuestion,
    WebhookEvent,
)

CHUNK = 500
# Queue rows still to be worked on are not purged (an erasure cancels them first), except
# staff posts, which wait for Slack for ever: see ``staff_posts``.
UNFINISHED = (QueueState.PENDING, QueueState.LEASED)


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose rows, and how old. ``contacts`` None: everyone; ``before`` None: any age."""

    contacts: Collection[int] | None = None
    before: dt.datetime | None = None
    keep: Collection[int] = ()  # contacts whose rows stay whole (a case in the window)
    users: Collection[tuple[str, str]] = ()  # (channel, user id) of ``contacts``, for events
    kept_users: Collection[tuple[str, str]] = ()  # the same for ``keep``

    def whose(self, column: InstrumentedAttribute[int] | InstrumentedAttribute[int | None]):
        conditions: list[ColumnElement[bool]] = []
        if self.contacts is not None:
            conditions.append(column.in_(list(self.contacts)))
        if self.keep:
            conditions.append(or_(column.is_(None), column.not_in(list(self.keep))))
        return and_(true(), *conditions)

    def older(self, column: InstrumentedAttribute[dt.datetime]) -> ColumnElement[bool]:
        return true() if self.before is None else column < self.before


def _apply(session: Session, model: type, ids: list[int], values: dict[str, object], *,
           key: InstrumentedAttribute[int] | None = None) -> None:
    """Set ``values`` on the rows whose ``key`` (the id, unless told) is in ``ids``."""
    column = key if key is not None else model.id  # type: ignore[attr-defined]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        session.execute(update(model).where(column.in_(chunk)).values(**values))


def _ids(session: Session, query) -> list[int]:
    return list(session.scalars(query))


def messages(session: Session, scope: Scope, *, apply: bool) -> int:
    ids = _ids(
        session,
        select(Message.id)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(scope.whose(Conversation.contact_id), scope.older(Message.created_at))
        .where(or_(Message.text != "", Message.extra.is_not(None))),
    )
    if apply:
        _apply(session, Message, ids, {"text": "", "extra": null()})
    return len(ids)


def unanswered_questions(session: Session, scope: Scope, *, apply: bool) -> int:
    ids = _ids(
        session,
        select(UnansweredQuestion.id).where(
            scope.whose(UnansweredQuestion.contact_id),
            scope.older(UnansweredQuestion.created_at),
            or_(UnansweredQuestion.text != "", UnansweredQuestion.normalized_text != ""),
        ),
    )
    if apply:
        _apply(session, UnansweredQuestion, ids, {"text": "", "normalized_text": ""})
    return len(ids)


def deliveries(session: Session, scope: Scope, *, apply: bool) -> int:
    ids = _ids(
        session,
        select(Delivery.id).where(
            scope.whose(Delivery.contact_id),
            scope.older(Delivery.created_at),
            Delivery.state.not_in(UNFINISHED),
            or_(Delivery.text != "", Delivery.extra.is_not(None)),
        ),
    )
    if apply:
        _apply(session, Delivery, ids, {"text": "", "extra": null()})
    return len(ids)


def staff_posts(session: Session, scope: Scope, *, apply: bool) -> int:
    """Sent posts lose their text. Unsent ones (never given up: Slack may be broken for good)
    say :data:`EXPIRED_TEXT` instead, so they can still be posted in their place; a file
    becomes that line too (its description names it and where it is kept), and an urgent
    line no longer mentions the whole channel (the case ended before the window)."""
    of_case = select(Case.id).where(scope.whose(Case.contact_id))
    whose = StaffPost.case_id.in_(of_case)
    if scope.contacts is None:  # the purge: notices about no case are old text too
        whose = or_(StaffPost.case_id.is_(None), whose)
    old = and_(whose, scope.older(StaffPost.created_at), StaffPost.text != "")
    sent = _ids(session, select(StaffPost.id).where(old, StaffPost.status.not_in(UNFINISHED)))
    unsent = _ids(session, select(StaffPost.id).where(
        old, StaffPost.status.in_(UNFINISHED), StaffPost.text != EXPIRED_TEXT))
    if apply:
        _apply(session, StaffPost, sent, {"text": ""})
        plain = (PostKind.MEDIA, PostKind.URGENT)  # no file to fetch, nobody to call for it
        kind = case((StaffPost.kind.in_(plain), PostKind.THREAD.value), else_=StaffPost.kind)
        _apply(session, StaffPost, unsent, {"text": EXPIRED_TEXT, "kind": kind})
    return len(sent) + len(unsent)


def case_summaries(session: Session, scope: Scope, *, apply: bool) -> int:
    """The bot's guess of the topic; the category of danger and the state stay."""
    ended = Case.resolved_at.is_not(None) & scope.older(Case.resolved_at)
    ids = _ids(
        session,
        select(Case.id).where(
            scope.whose(Case.contact_id),
            ended if scope.before is not None else true(),
            Case.topic.is_not(None),
        ),
    )
    if apply:
        _apply(session, Case, ids, {"topic": None})
    return len(ids)


def webhook_events(session: Session, scope: Scope, *, apply: bool) -> int:
    """Stored platform events: the payload (what was written) and the sender's user id."""
    query = select(WebhookEvent.id, WebhookEvent.channel, WebhookEvent.source,
                   WebhookEvent.payload).where(
        scope.older(WebhookEvent.received_at), WebhookEvent.status.not_in(UNFINISHED),
        WebhookEvent.channel != DIGEST_CHANNEL,  # a week's digest marker: no person's data
    )
    if scope.contacts is not None:
        sources = [user for _, user in scope.users] or ["\x00none"]
        query = query.where(WebhookEvent.source.in_(sources))
    mine = set(scope.users)
    kept = set(scope.kept_users)
    ids = [
        row.id
        for row in session.execute(query)
        if (row.payload or row.source)
        and (scope.contacts is None or (row.channel, row.source) in mine)
        and (row.channel, row.source) not in kept
    ]
    if apply:
        _apply(session, WebhookEvent, ids, {"payload": {}, "source": None})
    return len(ids)


def program_answers(session: Session, scope: Scope, *, apply: bool) -> int:
    """What a person told the program finder (household, income, residence status): the row
    goes, as when staff clear it; no count is taken from it. A row still in use keeps its
    facts but loses words older than the window (``text_at``: a resumed search carries them)."""
    ids = list(session.scalars(
        select(ProgramAnswers.contact_id).where(
            scope.whose(ProgramAnswers.contact_id), scope.older(ProgramAnswers.updated_at)
        )
    ))
    old_words = [] if scope.before is None else list(session.scalars(
        select(ProgramAnswers.contact_id).where(
            scope.whose(ProgramAnswers.contact_id), ProgramAnswers.updated_at >= scope.before,
            scope.older(ProgramAnswers.text_at), ProgramAnswers.text != "",
        )
    ))
    if apply:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            session.execute(delete(ProgramAnswers).where(ProgramAnswers.contact_id.in_(chunk)))
        _apply(session, ProgramAnswers, old_words, {"text": "", "text_at": None},
               key=ProgramAnswers.contact_id)
    return len(ids) + len(old_words)


Redactor = Callable[[Session, Scope], int]
TABLES: dict[str, Callable[..., int]] = {
    "messages": messages,
    "unanswered_questions": unanswered_questions,
    "staff_posts": staff_posts,
    "deliveries": deliveries,
    "cases": case_summaries,
    "webhook_events": webhook_events,
    "program_answers": program_answers,
}


def redact(session: Session, scope: Scope, *, apply: bool) -> dict[str, int]:
    """Redact every table in scope; how many rows each had with text (removed if ``apply``)."""
    return {name: redactor(session, scope, apply=apply) for name, redactor in TABLES.items()}


def users_of(session: Session, contact_ids: Iterable[int]) -> list[tuple[str, str]]:
    ids = list(contact_ids)
    if not ids:
        return []
    rows = session.execute(
        select(Contact.channel, Contact.channel_user_id).where(Contact.id.in_(ids))
    )
    return [(channel, user) for channel, user in rows]
