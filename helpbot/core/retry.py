"""When to try again: exponential backoff with jitter, Retry-After honoured, a give-up window.

The one retry policy of every queue (webhook events, deliveries, staff posts; see
``storage/leases.py``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from helpbot.errors import DeliveryError, RateLimitedError


def is_retryable(error: DeliveryError) -> bool:
    """Timeouts and unreachable hosts (no status), 5xx and 429 are worth another try."""
    return error.status is None or error.status == 429 or error.status >= 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base: dt.timedelta = dt.timedelta(seconds=10)
    cap: dt.timedelta = dt.timedelta(minutes=30)
    # After this long past its due time a message is given up and staff are told.
    give_up_after: dt.timedelta = dt.timedelta(hours=24)
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def next_attempt(
        self, *, attempts: int, now: dt.datetime, error: BaseException | None = None
    ) -> dt.datetime:
        """Full jitter on an exponential delay, but never sooner than Retry-After."""
        ceiling = min(self.base * 2 ** max(attempts - 1, 0), self.cap)
        delay = ceiling * (0.5 + self.rng.random() / 2)
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            delay = max(delay, dt.timedelta(seconds=error.retry_after))
        return now + delay

    def gives_up(self, *, due_at: dt.datetime, now: dt.datetime) -> bool:
        return now - due_at > self.give_up_after
