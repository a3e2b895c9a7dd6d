"""``helpbot worker``: the one process that owns time.

APScheduler 3 (a blocking scheduler) is the clock; the database is the truth. Each job claims
what is due, so any number of workers may run at once on PostgreSQL, and what fell due while
no worker ran is done when one comes back (``coalesce`` and no misfire limit: once, late).
LINE events are answered by a pump beside the scheduler that wakes on PostgreSQL's NOTIFY
(or polls SQLite every 0.2 s), so people are answered at once.

Jobs (ids are fixed, so a restart replaces rather than duplicates them):

    answer_events        answer stored LINE events            (pump; also every 5 s)
    send_deliveries      reminders, relays, retried replies   every 2 s
    retry_staff_posts    Slack posts that failed              every 15 s
    reannounce_unclaimed unclaimed cases, again in the thread every 60 s
    acknowledge_waiting  "your message has arrived"           every 60 s
    alert_failures       tell staff about given-up messages   every 5 min
    check_knowledge      follow faq/ edits and the published   every HELPBOT_FAQ_CHECK_INTERVAL
                         knowledge version; heartbeat         (at least 1 s)
    post_freshness_digest  weekly list of passed/near deadlines  every hour (posts Mondays
                         and stale records for staff           from 09:00, once a week)
    purge_old_texts      texts older than                     daily
                         HELPBOT_RETENTION_DAYS redacted
    erase_unfollowed     people who blocked the account       daily
                         HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS ago
    weekly_digest        Monday from 09:00 local: last week's  every 10 min (posts once a week)
                         numbers, chart and gaps to Slack
"""

from __future__ import annotations

import functools
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from helpbot.cases.digest import FreshnessDigest
from helpbot.core.recent import forget_expired
from helpbot.personal_data.jobs import PrivacyJobs
from helpbot.storage.health import is_connection_error
from helpbot.storage.inbox import NOTIFY_CHANNEL
from helpbot.storage.outage import DatabaseOutage

if TYPE_CHECKING:
    from helpbot.app import Services

logger = logging.getLogger(__name__)

BATCH = 20
DAY = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    seconds: float
    run: Callable[[], int]


def _drain(step: Callable[[], int], *, limit_rounds: int = 1000) -> int:
    """Run ``step`` until it finds nothing more to do; return the total it did."""
    total = 0
    for _ in range(limit_rounds):
        done = step()
        total += done
        if done == 0:
            break
    return total


class Worker:
    """The scheduled jobs over the shared services."""

    def __init__(self, services: Services, *, monotonic: Callable[[], float] = time.monotonic):
        self.services = services
        self._stopping = threading.Event()
        # While the database is away, every job and the pump wait for the same backoff.
        self.outage = DatabaseOutage(services.database.url, clock=monotonic)
        self.digest = FreshnessDigest(
            database=services.database, knowledge=services.knowledge,
            outbox=services.cases.outbox, clock=services.clock,
        )
        self.privacy = PrivacyJobs(
            database=services.database, outbox=services.cases.outbox, clock=services.clock,
            retention_days=services.settings.retention_days,
            erase_after_unfollow_days=services.settings.erase_after_unfollow_days,
        )

    def answer_events(self) -> int:
        line = self.services.line
        if line is None:
            return 0
        return _drain(lambda: line.answer_due(limit=BATCH))

    def jobs(self) -> list[Job]:
        s = self.services
        return [
            Job("answer_events", 5, self.answer_events),
            Job("send_deliveries", 2, lambda: _drain(lambda: s.people.run_due(limit=BATCH))),
            Job("retry_staff_posts", 15, s.cases.outbox.retry_due),
            Job("reannounce_unclaimed", 60, s.cases.reannounce_unclaimed),
            Job("acknowledge_waiting", 60, self.acknowledge_waiting),
            Job("alert_failures", 300, s.people.tell_staff_about_failures),
            Job("check_knowledge", max(1.0, s.settings.faq_check_interval), self.check_knowledge),
            Job("post_freshness_digest", 3600, self.digest.post_if_due),
            Job("purge_old_texts", DAY, self.privacy.purge),
            Job("erase_unfollowed", DAY, self.privacy.erase_unfollowed),
            Job("weekly_digest", 600, s.digest or (lambda: 0)),
            # analysers keep a message's results for minutes (core/recent.py), not overnight
            Job("forget_recent_texts", 60, forget_expired),
        ]

    def acknowledge_waiting(self) -> int:
        """'Your message has arrived', with when staff are back outside office hours."""
        return self.services.cases.acknowledge_waiting(self.services.knowledge.snapshot().kb.staff)

    def check_knowledge(self) -> int:
        """Reload an edited faq/, follow the published version, record the heartbeat."""
        self.services.knowledge.snapshot()
        return 0

    def run_once(self) -> dict[str, int]:
        """Every job once, in order (for cron-style hosting and tests)."""
        return {job.id: job.run() for job in self.jobs()}

    def run_job(self, job: Job, *, log_done: bool = True) -> int:
        """Run one job unless the database is away; never raise (the scheduler's wrapper)."""
        if not self.outage.ready():
            return 0
        try:
            done = job.run()
        except Exception as error:
            if is_connection_error(error):
                self.outage.failed(error)
            else:
                logger.exception("job %s failed; it runs again at its next time", job.id)
            return 0
        self.outage.succeeded()
        if done and log_done:
            logger.info("job %s: %d done", job.id, done)
        return done

    def run_forever(self) -> None:
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(
            timezone="UTC",
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        start = datetime.now(UTC)  # catch up with what fell due while no worker ran
        for job in self.jobs():
            scheduler.add_job(
                functools.partial(self.run_job, job), "interval", seconds=job.seconds,
                id=job.id, name=job.id, replace_existing=True, next_run_time=start,
            )
        pump = threading.Thread(target=self._pump_events, name="helpbot-events", daemon=True)

        def stop(signum: int, _frame: object) -> None:
            logger.info("worker stopping (signal %s)", signum)
            self._stopping.set()
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.warm_crisis()
        pump.start()
        logger.info("worker started: %s", ", ".join(job.id for job in self.jobs()))
        scheduler.start()
        self._stopping.set()
        pump.join(timeout=10)

    def warm_crisis(self) -> None:
        """The served knowledge's crisis detector, whole, before the first event: the first
        person whose short message is read for a slip does not wait for it (about 0.6 s)."""
        from helpbot.crisis.detector import snapshot_detector
        from helpbot.matching.pages import release_build_pages

        try:
            snapshot = self.services.knowledge.snapshot()
            detector = snapshot_detector(snapshot.kb, snapshot.index)
            if detector is not None:
                detector.warm()
                release_build_pages()  # as after a build: messages read back what they use
        except Exception:  # the first message that needs it builds it, as before
            logger.exception("could not prepare the crisis detector; it is built when needed")

    def _pump_events(self) -> None:
        """Answer LINE events as soon as they are stored."""
        if self.services.line is None:
            return
        answer = Job("answer_events", 0, self.answer_events)
        if self.services.database.is_sqlite:
            while not self._stopping.is_set():
                if self.run_job(answer, log_done=False) == 0:
                    self._stopping.wait(max(0.2, self.outage.wait_seconds()))
            return
        while not self._stopping.is_set():
            if not self.outage.ready():
                self._stopping.wait(self.outage.wait_seconds())
                continue
            try:
                self._listen(answer)
            except Exception as error:
                if is_connection_error(error):
                    self.outage.failed(error)
                    continue
                logger.exception("event listener failed; reconnecting in 2 s")
                self._stopping.wait(2)

    def _listen(self, answer: Job) -> None:
        import psycopg

        url = self.services.database.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.outage.succeeded()
            self.run_job(answer, log_done=False)  # what arrived before we listened
            while not self._stopping.is_set():
                woke = False
                for _ in connection.notifies(timeout=1.0, stop_after=1):
                    woke = True
                if woke:
                    self.run_job(answer, log_done=False)
