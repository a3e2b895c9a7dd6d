"""Quiet hours: no reminder is sent to a person at night in the NPO's time zone.

The window is wall-clock time in ``tz``, may wrap midnight (21:00-08:00) and is half-open:
``start`` is quiet, ``end`` is not.  ``start == end`` means no quiet hours.  On a DST change
day the window still ends at the wall-clock ``end``; if that time does not exist (it falls in
the spring-forward gap) the window ends at the first instant after the gap.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

__all__ = ["QuietHours", "parse_quiet_hours"]

_RANGE = re.compile(
    r"^\s*(?P<sh>\d{1,2})(?::(?P<sm>\d{2}))?\s*[-~〜]\s*(?P<eh>\d{1,2})(?::(?P<em>\d{2}))?\s*$"
)
_OFF = {"", "off", "none", "no", "false", "0"}


@dataclass(frozen=True, kw_only=True)
class QuietHours:
    """Quiet from ``start`` (inclusive) to ``end`` (exclusive), local time in ``tz``."""

    start: dt.time = field(default=dt.time(21))
    end: dt.time = field(default=dt.time(8))
    tz: ZoneInfo

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours start and end are local wall-clock times (naive)")

    @property
    def enabled(self) -> bool:
        return self.start != self.end

    def contains(self, moment: dt.datetime) -> bool:
        """Whether ``moment`` (aware, any zone) falls in quiet hours."""
        if not self.enabled:
            return False
        clock = _local(moment, self.tz).time()
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def next_allowed(self, moment: dt.datetime) -> dt.datetime:
        """The first moment at or after ``moment`` outside quiet hours, in UTC: ``moment``
        itself (converted to UTC) if it is not quiet, else the end of this quiet window."""
        if not self.contains(moment):
            return moment.astimezone(dt.UTC)
        local = _local(moment, self.tz)
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += dt.timedelta(days=1)
        return _first_instant_at(dt.datetime.combine(day, self.end), self.tz)


def _local(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("quiet hours need an aware datetime")
    return moment.astimezone(tz)


def _first_instant_at(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The first instant (UTC) at which the clock in ``tz`` shows ``wall`` (naive) or later:
    the earlier of two readings in a fall-back overlap, the end of a spring-forward gap."""
    early = wall.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)
    if early.astimezone(tz).replace(tzinfo=None) == wall:
        return early
    # ``wall`` is in a gap: fold=0 maps it past the gap, fold=1 before it.  The clock jumps
    # somewhere in between; find that second by bisection.
    low = int(wall.replace(tzinfo=tz, fold=1).timestamp())
    high = int(early.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if dt.datetime.fromtimestamp(middle, tz).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return dt.datetime.fromtimestamp(high, dt.UTC)


def parse_quiet_hours(value: str, tz: ZoneInfo) -> QuietHours:
    """Read a setting like ``"21:00-08:00"`` (or ``"21-8"``); ``"off"`` or ``""`` means no
    quiet hours.  Raises ValueError with a message saying what is expected."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    if text in _OFF:
        return QuietHours(start=dt.time(0), end=dt.time(0), tz=tz)
    match = _RANGE.match(text)
    problem = "use HH:MM-HH:MM, e.g. 21:00-08:00, or 'off'"
    if match is None:
        raise ValueError(f"quiet hours {value!r} not understood: {problem}")
    try:
        start = dt.time(int(match["sh"]), int(match["sm"] or 0))
        end = dt.time(int(match["eh"]), int(match["em"] or 0))
    except ValueError:
        raise ValueError(
            f"quiet hours {value!r}: hours must be 0-23 and minutes 0-59 ({problem})"
        ) from None
    return QuietHours(start=start, end=end, tz=tz)
