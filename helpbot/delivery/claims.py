"""The claim of a delivery: which due rows may be claimed, and what a claimed row carries.

A person's messages go out in order: a row waits while an earlier due row of the same person
is unfinished, except a reminder that quiet hours deferred, which holds back only later
reminders (``waits_for_earlier``, the rule the lease queue claims by). A claimed row is read
with its contact's channel, user id and reachability (``Claimed``): all that sending needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from helpbot.storage.database import Database
from helpbot.storage.leases import UNFINISHED, Lease
from helpbot.storage.models import Contact, Delivery


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed delivery, with what sending it needs of the person's contact."""

    lease: Lease
    id: int
    contact_id: int
    channel: str
    user_id: str
    reachable: bool
    text: str
    extra: dict[str, Any] | None
    retry_key: str
    attempts: int
    due_at: dt.datetime
    case_id: int | None
    message_id: int | None
    kind: str


def waits_for_earlier(earlier: Any, now: dt.datetime) -> ColumnElement[bool]:
    """A person's message waits while an earlier due one of theirs is unfinished; a row that
    quiet hours deferred holds back only rows of its own kind (reminders stay in order among
    themselves; a crisis reply or a case worker's words never wait for the morning).

    Deferral has its own column: ``next_attempt_at`` is also the lease of a claimed row, so it
    cannot tell a deferred reminder from one another worker is sending right now."""
    return and_(
        earlier.contact_id == Delivery.contact_id,
        earlier.state.in_(UNFINISHED),
        earlier.due_at <= now,
        or_(
            earlier.deferred_until.is_(None),
            earlier.deferred_until <= now,
            earlier.kind == Delivery.kind,
        ),
        or_(
            earlier.due_at < Delivery.due_at,
            and_(earlier.due_at == Delivery.due_at, earlier.id < Delivery.id),
        ),
    )


def read_claimed(database: Database, leases: list[Lease]) -> list[Claimed]:
    """The claimed rows with what sending needs of their contacts, oldest first."""
    by_id = {lease.id: lease for lease in leases}
    with database.session() as session:
        rows = session.execute(
            select(Delivery, Contact)
            .join(Contact, Delivery.contact_id == Contact.id)
            .where(Delivery.id.in_(list(by_id)))
            .order_by(Delivery.due_at, Delivery.id)
        ).all()
        return [
            Claimed(
                lease=by_id[d.id],
                id=d.id,
                contact_id=d.contact_id,
                channel=c.channel,
                user_id=c.channel_user_id,
                reachable=c.reachable,
                text=d.text,
                extra=d.extra,
                retry_key=d.retry_key,
                attempts=by_id[d.id].attempts,
                due_at=d.due_at,
                case_id=d.case_id,
                message_id=d.message_id,
                kind=d.kind,
            )
            for d, c in rows
        ]
