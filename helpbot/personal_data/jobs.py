"""The worker's privacy jobs: the daily retention purge, and erasure after an unfollow.

A person who blocks the LINE account (``unfollow``) is erased after
``HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS`` unless they come back (``follow`` makes them reachable
again, which stops the countdown). Both jobs are idempotent: a second run finds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select

from helpbot.cases.outbox import StaffOutbox
from helpbot.personal_data.erase import erase_person
from helpbot.personal_data.purge import purge_old_texts
from helpbot.storage.audit import SYSTEM
from helpbot.storage.database import Database
from helpbot.storage.models import Contact

logger = logging.getLogger(__name__)


class PrivacyJobs:
    def __init__(
        self,
        *,
        database: Database,
        outbox: StaffOutbox,
        clock: Callable[[], dt.datetime],
        retention_days: int | None,
        erase_after_unfollow_days: int | None,
    ) -> None:
        self._database = database
        self._outbox = outbox
        self._clock = clock
        self._retention_days = retention_days
        self._erase_after = erase_after_unfollow_days

    def purge(self) -> int:
        """Redact texts older than the retention window; how many rows."""
        if self._retention_days is None:
            return 0
        report = purge_old_texts(self._database, days=self._retention_days, now=self._clock(),
                                 actor=SYSTEM)
        return report.total

    def erase_unfollowed(self) -> int:
        """Erase the people who blocked the account long enough ago; how many."""
        if self._erase_after is None:
            return 0
        now = self._clock()
        cutoff = now - dt.timedelta(days=self._erase_after)
        with self._database.session() as session:
            due = list(session.scalars(
                select(Contact.id).where(
                    Contact.reachable.is_(False),
                    Contact.erased_at.is_(None),
                    Contact.last_seen_at <= cutoff,
                )
            ))
        for contact_id in due:
            erase_person(self._database, contact_id, actor=SYSTEM, now=now, outbox=self._outbox)
        if due:
            logger.info("erased %d person(s) %d days after they blocked the account",
                        len(due), self._erase_after)
        return len(due)
