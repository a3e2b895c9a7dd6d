"""Retention: texts older than ``HELPBOT_RETENTION_DAYS`` are redacted everywhere they live.

Counts, decisions, entry ids and timestamps stay, so statistics stay true. A person with a
case that is open, or was resolved within the window, keeps everything: their case worker may
still need it. Run daily by the worker (``purge_old_texts``) and by ``helpbot data purge``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import or_, select

from helpbot.cases.states import ACTIVE_STATES
from helpbot.personal_data.redaction import Scope, redact, users_of
from helpbot.storage.audit import AuditAction, record
from helpbot.storage.database import Database
from helpbot.storage.models import Case

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    before: dt.datetime
    removed: dict[str, int]  # table -> rows whose texts were (or, dry run, would be) removed
    kept_people: int  # people kept whole for a case open or resolved within the window
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def purge_old_texts(
    database: Database, *, days: int, now: dt.datetime, actor: str, dry_run: bool = False
) -> PurgeReport:
    """Redact texts older than ``days``; with ``dry_run`` only count them."""
    before = now - dt.timedelta(days=days)
    with database.session() as session:
        keep = set(
            session.scalars(
                select(Case.contact_id).where(
                    or_(Case.state.in_(list(ACTIVE_STATES)), Case.resolved_at >= before)
                )
            )
        )
        scope = Scope(before=before, keep=keep, kept_users=users_of(session, keep))
        removed = redact(session, scope, apply=not dry_run)
        # The daily job runs in every worker: only a purge that removed something is audited.
        if not dry_run and any(removed.values()):  # a run that found nothing is not recorded
            detail = " ".join(f"{table}={count}" for table, count in removed.items())
            record(session, actor=actor, action=AuditAction.PURGE, now=now,
                   detail=f"days={days} {detail}")
    if not dry_run:
        logger.info("retention purge: %d rows redacted (older than %d days)",
                    sum(removed.values()), days)
    return PurgeReport(before=before, removed=removed, kept_people=len(keep), dry_run=dry_run)
