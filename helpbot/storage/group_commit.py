"""Group commit: many request threads, one transaction per batch, written by one of them.

Each webhook must be stored (committed) before we answer 200. Under load, committing each
request on its own makes every request wait for the database in turn; here the requests that
arrive while a batch is being written wait together, and the first of them to wake writes them
all in one statement and one commit ("flat combining"). There is no writer thread: a request
that finds nobody writing writes its own item at once, so a lone request is not handed to
another thread and woken again (under gunicorn 4.6 context switches per request against 8.1
with a writer thread, measured; docs/benchmarks.md). A request waits at most for the batch
being written and its own.

One request's bad row must not cost its neighbours their 200: when the database refuses a
value (``is_row_error``), the batch is split in halves and each half written again, until the
refused item stands alone and gets the error; every other item is stored. A database that is
down fails the whole batch at once (splitting would only multiply the failures).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

from helpbot.errors import StorageUnavailableError
from helpbot.storage.db_errors import describe_db_error

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 64
TIMEOUT = 10.0


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
        self._pending: list[tuple[Item, Future[Result]]] = []
        self._changed = threading.Condition(threading.Lock())
        self._writing = False

    def submit(self, item: Item, *, timeout: float = TIMEOUT) -> Result:
        """Queue the item, see its batch committed (writing it if nobody is), return its result.

        Raises TimeoutError when another request's batch kept the writer busy for ``timeout``
        seconds; the item is then withdrawn unless a batch already holds it.
        """
        entry: tuple[Item, Future[Result]] = (item, Future())
        future = entry[1]
        deadline = time.monotonic() + timeout
        with self._changed:
            self._pending.append(entry)
        while True:
            with self._changed:
                while self._writing and not future.done():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self._withdraw(entry)
                        raise TimeoutError(f"{self._name}: no commit within {timeout:g} s")
                    self._changed.wait(remaining)
                if future.done():
                    break
                # Nobody is writing and this item is still waiting: write the batch it is in.
                self._writing = True
                batch = self._pending[:MAX_BATCH]
                del self._pending[:MAX_BATCH]
            try:
                self._write(batch)
            finally:
                for _, waiting in batch:
                    if not waiting.done():  # the writing request itself was interrupted
                        waiting.set_exception(
                            StorageUnavailableError(f"{self._name}: the write was interrupted")
                        )
                with self._changed:
                    self._writing = False
                    self._changed.notify_all()
        return future.result()

    def _withdraw(self, entry: tuple[Item, Future[Result]]) -> None:
        for index, waiting in enumerate(self._pending):
            if waiting is entry:
                del self._pending[index]
                return

    def close(self, timeout: float = 5.0) -> None:
        """Wait up to ``timeout`` seconds for a batch being written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._writing and (remaining := deadline - time.monotonic()) > 0:
                self._changed.wait(remaining)

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
