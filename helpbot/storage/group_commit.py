"""Group commit: many request threads, one transaction per batch.

Each webhook must be stored (committed) before we answer 200. Under load, committing each
request on its own makes every request wait for the database in turn; here one writer thread
per process takes whatever requests are waiting, writes them in one statement and one commit,
and wakes each request with its own result. A request waits about one commit, never more.

One request's bad row must not cost its neighbours their 200: when the database refuses a
value (``is_row_error``), the batch is split in halves and each half written again, until the
refused item stands alone and gets the error; every other item is stored. A database that is
down fails the whole batch at once (splitting would only multiply the failures).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

from helpbot.storage.db_errors import describe_db_error

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 64
TIMEOUT = 10.0
_STOP = object()  # tells the writer thread to end


class GroupCommitter(Generic[Item, Result]):
    """Runs ``write_batch(items) -> results`` (same order) for items from many threads."""

    def __init__(
        self,
        write_batch: Callable[[Sequence[Item]], list[Result]],
        *,
        name: str,
        is_row_error: Callable[[Exception], bool] = lambda _error: False,
    ) -> None:
        self._write_batch = write_batch
        self._name = name
        self._is_row_error = is_row_error
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

    def close(self, timeout: float = 5.0) -> None:
        """Stop the writer thread once the items already queued are written."""
        with self._lock:
            thread = self._thread
            if thread is None or not thread.is_alive():
                return
            self._queue.put(_STOP)  # type: ignore[arg-type]
        thread.join(timeout)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(item)  # stop after this batch
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[tuple[Item, Future[Result]]]) -> None:
        try:
            results = self._write_batch([item for item, _ in batch])
        except Exception as error:  # each waiting request reports it
            if len(batch) > 1 and self._is_row_error(error):
                # Find the refused item(s) by halves: k bad items cost about 2k log n writes.
                logger.info(
                    "group commit: the database refused a value in a batch of %d; "
                    "writing it again in halves", len(batch)
                )
                middle = len(batch) // 2
                self._write(batch[:middle])
                self._write(batch[middle:])
                return
            # No traceback: a driver's message may quote the row (a person's message).
            logger.warning(
                "group commit of %d item(s) failed: %s", len(batch), describe_db_error(error)
            )
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
