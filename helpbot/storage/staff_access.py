"""Tokens and sessions for the staff pages; only hashes of the secrets are stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select

from helpbot.storage.database import Database
from helpbot.storage.models import StaffAccess, StaffAccessKind

TOKEN_DAYS = 30
SESSION_HOURS = 12


@dataclass(frozen=True, slots=True)
class StaffMember:
    """Who is signed in to the staff pages."""

    staff_id: str
    name: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _issue(
    database: Database, *, kind: StaffAccessKind, who: StaffMember, now: dt.datetime,
    lifetime: dt.timedelta,
) -> str:
    secret = secrets.token_urlsafe(32)
    with database.session() as session:
        session.execute(delete(StaffAccess).where(StaffAccess.expires_at <= now))
        session.add(StaffAccess(
            kind=kind, secret_hash=_hash(secret), staff_id=who.staff_id[:64],
            staff_name=who.name[:128], created_at=now, expires_at=now + lifetime,
        ))
    return secret


def issue_token(database: Database, *, label: str, now: dt.datetime,
                days: int = TOKEN_DAYS) -> str:
    """A token for the sign-in page (``helpbot staff token``); shown once, kept as a hash."""
    who = StaffMember(staff_id=f"token:{label}", name=label)
    return _issue(database, kind=StaffAccessKind.TOKEN, who=who, now=now,
                  lifetime=dt.timedelta(days=days))


def open_session(database: Database, who: StaffMember, *, now: dt.datetime) -> str:
    """A browser session for a signed-in staff member; the cookie's value."""
    return _issue(database, kind=StaffAccessKind.SESSION, who=who, now=now,
                  lifetime=dt.timedelta(hours=SESSION_HOURS))


def find_access(
    database: Database, secret: str, *, kind: StaffAccessKind, now: dt.datetime
) -> StaffMember | None:
    """The staff member a valid, unexpired secret of ``kind`` belongs to."""
    if not secret or len(secret) > 256:
        return None
    with database.session() as session:
        row = session.scalars(
            select(StaffAccess).where(
                StaffAccess.secret_hash == _hash(secret), StaffAccess.kind == kind
            )
        ).one_or_none()
        if row is None or row.expires_at <= now:
            return None
        return StaffMember(staff_id=row.staff_id, name=row.staff_name)


def close_session(database: Database, secret: str) -> None:
    with database.session() as session:
        session.execute(delete(StaffAccess).where(
            StaffAccess.secret_hash == _hash(secret),
            StaffAccess.kind == StaffAccessKind.SESSION,
        ))
