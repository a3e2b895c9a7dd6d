"""Work done off the request path, in a small thread pool of each web process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

logger = logging.getLogger(__name__)


class BackgroundRunner:
    """Runs ``task(item)`` for submitted items on worker threads; created lazily after fork."""

    def __init__(self, task: Callable[[int], None], *, threads: int = 2, name: str = "events"):
        self._task = task
        self._threads = threads
        self._name = name
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending = 0
        self._idle = threading.Condition(self._lock)

    def submit(self, items: Iterable[int]) -> None:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self._threads, thread_name_prefix=f"helpbot-{self._name}"
                )
            for item in items:
                self._pending += 1
                future = self._executor.submit(self._task, item)
                future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            logger.error("background task failed", exc_info=error)
        with self._idle:
            self._pending -= 1
            if self._pending == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every submitted task has finished; for tests and shutdown."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


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
