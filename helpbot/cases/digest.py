"""The weekly digest for staff: records past or near their deadline, and stale records.

Posted once a week (Monday from 09:00 in staff.yaml's time zone) to the staff channel through
the staff-post outbox, so Slack being down delays it but never loses it. The database is the
truth: a digest is posted when no digest post exists since this week's digest time, so a
restarted worker, or several workers, post it once. Nothing is posted when nothing needs a
look. The worker's ``post_freshness_digest`` job calls :meth:`FreshnessDigest.post_if_due`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select, text

from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.knowledge.freshness import digest_text, review
from helpbot.knowledge.policies import StaffPolicy
from helpbot.matching.base import KnowledgeSource
from helpbot.storage.database import Database
from helpbot.storage.models import StaffPost

logger = logging.getLogger(__name__)

DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 9
# One PostgreSQL advisory lock key for "deciding whether to post this week's digest".
_DIGEST_LOCK = 0x68656C70  # "help"


class FreshnessDigest:
    """Decide once a week whether staff get a digest, and store it for the outbox."""

    def __init__(
        self,
        *,
        database: Database,
        knowledge: KnowledgeSource,
        outbox: StaffOutbox,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._database = database
        self._knowledge = knowledge
        self._outbox = outbox
        self._clock = clock

    def this_weeks_time(self, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
        """This week's digest time (Monday 09:00 local), as an aware datetime."""
        local = now.astimezone(zone)
        monday = local.date() - dt.timedelta(days=(local.weekday() - DIGEST_WEEKDAY) % 7)
        return dt.datetime.combine(monday, dt.time(DIGEST_HOUR), tzinfo=zone)

    def post_if_due(self) -> int:
        """Store and send this week's digest if it is time and none was posted; 1 if posted."""
        kb = self._knowledge.snapshot().kb
        zone = (kb.staff or StaffPolicy()).zone
        now = self._clock()
        since = self.this_weeks_time(now, zone)
        # Only on the digest day: a digest missed while no worker ran waits for next week
        # rather than arriving on a random weekday.
        if now < since or now.astimezone(zone).date() != since.date():
            return 0
        message = digest_text(review(kb, today=now.astimezone(zone).date()))
        if message is None:
            return 0
        with self._database.session() as session:
            if not self._database.is_sqlite:  # two workers: one decides at a time
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _DIGEST_LOCK})
            posted = session.scalar(
                select(StaffPost.id)
                .where(StaffPost.kind == PostKind.DIGEST, StaffPost.created_at >= since)
                .limit(1)
            )
            if posted is not None:
                return 0
            post_id = add_post(session, case_id=None, kind=PostKind.DIGEST, text=message,
                               now=now).id
        logger.info("freshness digest stored for staff (post %s)", post_id)
        self._outbox.deliver([post_id])
        return 1
