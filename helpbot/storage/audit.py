"""The audit trail: who did what on a case or a person's data, when. Append-only, no text.

Every audited action calls :func:`record` once, inside the transaction that does the action,
so the trail and the change are stored together or not at all. Nothing here updates or
deletes a row (on SQLite and PostgreSQL a trigger refuses it, see migration 0009).

Who (``actor``): a Slack user id (``U…``), ``cli:<os user>`` for the command line,
``web:<name>`` for the playground's staff pane, or ``system`` for the worker's own jobs and
for what a person's message did (a case opened, reopened, a satisfaction answer).

A case's ``open``/``urgent``/``claim``/``release``/``resolve``/``reopen``/``satisfaction`` rows
are its history: ``helpbot report`` counts cases from them (``reports/case_history.py``), so a
period's numbers stay what they were when it ended.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.storage.database import Database
from helpbot.storage.models import AuditEvent, Case

SYSTEM = "system"


class AuditAction(StrEnum):
    OPEN = "open"  # a case opened (actor ``system``; detail: reason, urgency, crisis category)
    URGENT = "urgent"  # crisis triage raised an open case to urgent (detail: its category)
    CLAIM = "claim"
    RELEASE = "release"
    REPLY = "reply"  # a worker's reply relayed to the person
    NOTE = "note"  # an internal note (a thread reply the person does not see)
    RESOLVE = "resolve"
    REOPEN = "reopen"  # actor ``system``: the person wrote again; else the worker who replied
    SATISFACTION = "satisfaction"  # the person's one-tap answer after resolution (detail: score)
    FOLLOWUP_CREATED = "followup_created"
    FOLLOWUP_CANCELLED = "followup_cancelled"
    EXPORT = "export"
    ERASE = "erase"
    ERASE_REQUESTED = "erase_requested"
    PURGE = "purge"
    FALSE_ALARM = "false_alarm"
    SHOW_ORIGINAL = "show_original"


def cli_actor() -> str:
    """``cli:<os user>``: who ran the command on this machine."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a bare container)
        user = "unknown"
    return f"cli:{user}"


def record(
    session: Session,
    *,
    actor: str,
    action: AuditAction,
    now: dt.datetime,
    case_id: int | None = None,
    contact_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Add one audit row in the caller's transaction. ``detail``: ids and counts only."""
    session.add(
        AuditEvent(
            at=now,
            actor=(actor or "unknown")[:140],
            action=str(action),
            case_id=case_id,
            contact_id=contact_id,
            detail=detail[:255] if detail else None,
        )
    )


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: dt.datetime
    actor: str
    action: str
    case_id: int | None
    contact_id: int | None
    detail: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "case": self.case_id,
            "person": self.contact_id,
            "detail": self.detail,
        }


def audit_lines(
    database: Database, *, case_id: int | None = None, contact_id: int | None = None
) -> list[AuditLine]:
    """The trail, oldest first, for one case, one person, or everything."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    if case_id is not None:
        query = query.where(AuditEvent.case_id == case_id)
    if contact_id is not None:
        query = query.where(AuditEvent.contact_id == contact_id)
    with database.session() as session:
        return [
            AuditLine(row.id, row.at, row.actor, row.action, row.case_id, row.contact_id,
                      row.detail)
            for row in session.scalars(query)
        ]


def on_case(
    session: Session,
    case: Case,
    *,
    actor: str,
    action: AuditAction,
    now: dt.datetime,
    detail: str | None = None,
) -> None:
    """:func:`record` for an action on a case (and so on its person)."""
    record(session, actor=actor, action=action, now=now, case_id=case.id,
           contact_id=case.contact_id, detail=detail)
