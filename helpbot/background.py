"""Work done after the acknowledgement (Slack listeners), on a thread pool that can drain."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

logger = logging.getLogger(__name__)


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that can say when all its work is done (bolt's listener executor)."""

    def __init__(self, max_workers: int, *, name: str) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=f"helpbot-{name}")
        self._idle = threading.Condition()
        self._pending = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[object]) -> None:
        if not future.cancelled() and future.exception() is not None:
            logger.error("background task failed", exc_info=future.exception())
        with self._idle:
            self._pending -= 1
            if self._pending == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)
