"""Which case a Slack thread is about: the Slack adapter's own map from a thread to a case.

The case lifecycle knows cases by their number only; where a case's message sits in Slack
(channel and message ts) is stored with the case when it is first posted, and read back only
here, to turn a worker's thread reply into "case #n".
"""

from __future__ import annotations

from sqlalchemy import select

from helpbot.storage.database import Database
from helpbot.storage.models import Case


class CaseThreads:
    """Looks up the case whose message starts a Slack thread."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def case_in_thread(self, *, channel: str, thread_ts: str) -> int | None:
        """The case number of the thread, or None for a thread that is not a case's
        (another message, or the same ts in another channel)."""
        with self._database.session() as session:
            return session.scalars(
                select(Case.id).where(Case.slack_ts == thread_ts, Case.slack_channel == channel)
            ).one_or_none()
