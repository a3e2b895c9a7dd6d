"""Back off while the database is away: one log line a minute, not a traceback a second."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from helpbot.storage.health import unavailable

logger = logging.getLogger(__name__)


class DatabaseOutage:
    """Exponential backoff (1 s, 2 s, 4 s ... up to ``max_delay``) after connection errors.

    Thread-safe: the scheduler's jobs and the event pump share one. ``ready()`` says whether
    to try the database now; ``failed()`` and ``succeeded()`` report how it went.
    """

    def __init__(
        self,
        database_url: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        log_every: float = 60.0,
    ) -> None:
        self._url = database_url
        self._clock = clock
        self._first_delay = first_delay
        self._max_delay = max_delay
        self._log_every = log_every
        self._lock = threading.Lock()
        self.failures = 0
        self._since = 0.0
        self._next_try = float("-inf")
        self._logged_at = float("-inf")

    def ready(self) -> bool:
        return self._clock() >= self._next_try

    def wait_seconds(self) -> float:
        return max(0.0, self._next_try - self._clock())

    def failed(self, error: BaseException) -> float:
        """Record a connection error; return the seconds until the next try."""
        with self._lock:
            now = self._clock()
            if self.failures == 0:
                self._since = now
            self.failures += 1
            delay = min(self._max_delay, self._first_delay * 2 ** min(self.failures - 1, 30))
            self._next_try = now + delay
            if now - self._logged_at >= self._log_every:
                self._logged_at = now
                logger.warning(
                    "%s Retrying in %.0f s (%d failed tries in %.0f s).",
                    unavailable(self._url, error), delay, self.failures, now - self._since,
                )
            return delay

    def succeeded(self) -> None:
        if self.failures == 0:
            return
        with self._lock:
            if self.failures:
                logger.warning(
                    "the database is back after %.0f s (%d failed tries)",
                    self._clock() - self._since, self.failures,
                )
            self.failures = 0
            self._next_try = self._logged_at = float("-inf")
