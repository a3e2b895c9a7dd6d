"""The period a report covers: ``7d``, ``30d`` or a date in the NPO's time zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from helpbot.errors import ReportError

_DAYS = re.compile(r"^([0-9]{1,4})d$")
MAX_DAYS = 3660
# The dates a report may start or end on: far enough for any NPO's history, and far from the
# ends of Python's calendar (year 1 or 9999 overflows on the way to UTC and back).
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)


@dataclass(frozen=True, slots=True)
class Period:
    """[since, until) in UTC, with the time zone days are counted in."""

    since: dt.datetime
    until: dt.datetime
    zone: ZoneInfo

    def days(self) -> list[dt.date]:
        """Every local date the period touches, oldest first."""
        first = self.since.astimezone(self.zone).date()
        last = (self.until - dt.timedelta(microseconds=1)).astimezone(self.zone).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def parse_since(text: str, *, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``7d`` (the last 7 x 24 hours) or ``YYYY-MM-DD`` (from that local midnight)."""
    value = text.strip()
    days = _DAYS.match(value)
    if days is not None:
        count = int(days.group(1))
        if not 1 <= count <= MAX_DAYS:
            raise ReportError(f"--since {value}: give between 1d and {MAX_DAYS}d")
        return now - dt.timedelta(days=count)
    return _local_midnight(value, zone, "--since")


def parse_until(text: str | None, *, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``YYYY-MM-DD`` (up to the end of that local day), or now (what happened now counts)."""
    if text is None:
        return now + dt.timedelta(microseconds=1)
    return _local_midnight(text.strip(), zone, "--until") + dt.timedelta(days=1)


def report_period(since: str, until: str | None, *, now: dt.datetime, zone: ZoneInfo) -> Period:
    start = parse_since(since, now=now, zone=zone)
    end = parse_until(until, now=now, zone=zone)
    if end <= start:
        raise ReportError(
            f"the period is empty: {start.isoformat()} is not before {end.isoformat()}; "
            "pick an earlier --since or a later --until"
        )
    return Period(since=start, until=end, zone=zone)


def _local_midnight(value: str, zone: ZoneInfo, option: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ReportError(
            f"{option} {value!r}: write 7d, 30d (days back) or a date like 2026-11-01"
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ReportError(
            f"{option} {value}: give a date from {FIRST_DATE} to {LAST_DATE}, or 7d, 30d"
        )
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
