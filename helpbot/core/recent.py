"""A few results about what people wrote, kept for minutes, never for the process's life.

Analysers keep the result for a message so that a turn (or a burst of messages) does not
compute it twice: crisis detection reads the message that matching has just encoded, a
detector analyses a clause twice. Keyed by the text, such a cache is a copy of what people
wrote: kept for the life of a worker, a small NPO's 50 messages a day would stay in memory for
weeks, past a short retention window. :class:`Recent` holds at most ``size`` entries, each
for at most ``seconds`` after it was stored: what is older is dropped on every use, and the
worker drops it every minute as well (:func:`forget_expired`), so an idle night keeps nothing.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Every Recent of the process, for forget_expired (weak: a dropped analyser is not kept).
_ALL: weakref.WeakSet[Recent] = weakref.WeakSet()


class Recent(Generic[K, V]):
    """At most ``size`` values, each forgotten ``seconds`` after it was stored (``clock``:
    seconds, monotonic). Thread-safe."""

    def __init__(self, *, size: int, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._size = size
        self._seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()  # oldest first
        _ALL.add(self)

    def get(self, key: K) -> V | None:
        with self._lock:
            self._expire(self._clock())
            item = self._items.get(key)
            return None if item is None else item[1]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            now = self._clock()
            self._items.pop(key, None)  # stored again: kept from now, the newest
            self._items[key] = (now, value)
            self._expire(now)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def forget_expired(self) -> None:
        with self._lock:
            self._expire(self._clock())

    def _expire(self, now: float) -> None:
        items = self._items
        while items:
            stored, _ = next(iter(items.values()))
            if now - stored < self._seconds:
                return
            items.popitem(last=False)


def forget_expired() -> int:
    """Drop what is past its time in every Recent of the process (the worker's minute job)."""
    caches = list(_ALL)
    for cache in caches:
        cache.forget_expired()
    return 0
