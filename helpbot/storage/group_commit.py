"""Group commit: many request threads, one transaction per batch.

Each webhook must be stored (committed) before we answer 200. Under load, committing each
request on its own makes every request wait for the database in turn; here one writer thread
per process takes whatever requests are waiting, writes them in one statement and one commit,
and wakes each request with its own result. A request waits about one commit, never more.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 64
TIMEOUT = 10.0


class GroupCommitter(Generic[Item, Result]):
    """Runs ``write_batch(items) -> results`` (same order) for items from many threads."""

    def __init__(
        self, write_batch: Callable[[Sequence[Item]], list[Result]], *, name: str
    ) -> None:
        self._write_batch = write_batch
        self._name = name
        self._queue: queue.SimpleQueue[tuple[Item, Future[Result]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, item: Item, *, timeout: float = TIMEOUT) -> Result:
        """Queue the item, wait for its batch to commit, and return its result."""
        future: Future[Result] = Future()
        self._queue.put((item, future))
        self._ensure_writer()
        return future.result(timeout=timeout)

    def _ensure_writer(self) -> None:
        # Started on first use, so each forked web process gets its own writer.
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=f"helpbot-{self._name}", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                results = self._write_batch([item for item, _ in batch])
            except Exception as error:  # each waiting request reports it
                logger.exception("group commit of %d item(s) failed", len(batch))
                for _, future in batch:
                    future.set_exception(error)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)
