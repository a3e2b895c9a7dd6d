"""Quiet hours: the window wraps midnight, is read on the local wall clock, and survives DST
changes (Europe/Berlin) as well as zones without them (Asia/Tokyo)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from helpbot.reminders.quiet_hours import QuietHours, parse_quiet_hours

TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = QuietHours(tz=TOKYO)  # 21:00-08:00


def tokyo(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)


def utc(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("moment", "quiet", "allowed"),
    [
        (tokyo(1, 20, 59), False, tokyo(1, 20, 59)),
        (tokyo(1, 21, 0), True, tokyo(2, 8, 0)),
        (tokyo(1, 23, 59), True, tokyo(2, 8, 0)),
        (tokyo(2, 0, 0), True, tokyo(2, 8, 0)),
        (tokyo(2, 7, 59), True, tokyo(2, 8, 0)),
        (tokyo(2, 8, 0), False, tokyo(2, 8, 0)),
        (tokyo(2, 12, 0), False, tokyo(2, 12, 0)),
        # The same instants given in UTC: 21:00 JST is 12:00 UTC.
        (utc(12, 1, 11, 59), False, utc(12, 1, 11, 59)),
        (utc(12, 1, 12, 0), True, utc(12, 1, 23, 0)),
        (utc(12, 1, 15, 30), True, utc(12, 1, 23, 0)),  # 00:30 JST, after local midnight
        (utc(12, 1, 23, 0), False, utc(12, 1, 23, 0)),
        # Across the year end.
        (
            dt.datetime(2026, 12, 31, 22, tzinfo=TOKYO),
            True,
            dt.datetime(2027, 1, 1, 8, tzinfo=TOKYO),
        ),
    ],
)
def test_default_window_in_tokyo(moment: dt.datetime, quiet: bool, allowed: dt.datetime) -> None:
    assert NIGHT.contains(moment) is quiet
    result = NIGHT.next_allowed(moment)
    assert result == allowed
    assert result.tzinfo is dt.UTC


@pytest.mark.parametrize(
    ("start", "end", "moment", "quiet", "allowed"),
    [
        # A window that does not wrap midnight (a lunch break).
        (dt.time(12), dt.time(13), tokyo(1, 11, 59), False, tokyo(1, 11, 59)),
        (dt.time(12), dt.time(13), tokyo(1, 12, 0), True, tokyo(1, 13, 0)),
        (dt.time(12), dt.time(13), tokyo(1, 12, 59), True, tokyo(1, 13, 0)),
        (dt.time(12), dt.time(13), tokyo(1, 13, 0), False, tokyo(1, 13, 0)),
        # start == end: never quiet.
        (dt.time(21), dt.time(21), tokyo(1, 21, 0), False, tokyo(1, 21, 0)),
        (dt.time(0), dt.time(0), tokyo(1, 3, 0), False, tokyo(1, 3, 0)),
        # Minutes count.
        (dt.time(22, 30), dt.time(6, 15), tokyo(1, 22, 29), False, tokyo(1, 22, 29)),
        (dt.time(22, 30), dt.time(6, 15), tokyo(1, 22, 30), True, tokyo(2, 6, 15)),
        (dt.time(22, 30), dt.time(6, 15), tokyo(2, 6, 14), True, tokyo(2, 6, 15)),
    ],
)
def test_other_windows(
    start: dt.time, end: dt.time, moment: dt.datetime, quiet: bool, allowed: dt.datetime
) -> None:
    hours = QuietHours(start=start, end=end, tz=TOKYO)
    assert hours.contains(moment) is quiet
    assert hours.next_allowed(moment) == allowed


@pytest.mark.parametrize(
    ("window", "moment", "quiet", "allowed"),
    [
        # Spring forward, 2026-03-29 02:00 CET -> 03:00 CEST: 08:00 local is 06:00 UTC.
        ("21:00-08:00", dt.datetime(2026, 3, 28, 20, 59, tzinfo=BERLIN), False, utc(3, 28, 19, 59)),
        ("21:00-08:00", dt.datetime(2026, 3, 28, 21, 0, tzinfo=BERLIN), True, utc(3, 29, 6, 0)),
        ("21:00-08:00", utc(3, 29, 0, 59), True, utc(3, 29, 6, 0)),  # 01:59 CET
        ("21:00-08:00", utc(3, 29, 1, 0), True, utc(3, 29, 6, 0)),  # 03:00 CEST
        ("21:00-08:00", dt.datetime(2026, 3, 29, 7, 59, tzinfo=BERLIN), True, utc(3, 29, 6, 0)),
        ("21:00-08:00", dt.datetime(2026, 3, 29, 8, 0, tzinfo=BERLIN), False, utc(3, 29, 6, 0)),
        # Fall back, 2026-10-25 03:00 CEST -> 02:00 CET: 08:00 local is 07:00 UTC.
        ("21:00-08:00", dt.datetime(2026, 10, 24, 21, 0, tzinfo=BERLIN), True, utc(10, 25, 7, 0)),
        ("21:00-08:00", utc(10, 25, 0, 30), True, utc(10, 25, 7, 0)),  # 02:30 CEST
        ("21:00-08:00", utc(10, 25, 1, 30), True, utc(10, 25, 7, 0)),  # 02:30 CET
        ("21:00-08:00", utc(10, 25, 6, 59), True, utc(10, 25, 7, 0)),
        ("21:00-08:00", utc(10, 25, 7, 0), False, utc(10, 25, 7, 0)),
        # Summer and winter otherwise: 21:00 local is 19:00 / 20:00 UTC.
        ("21:00-08:00", utc(7, 1, 19, 0), True, utc(7, 2, 6, 0)),
        ("21:00-08:00", utc(12, 1, 19, 30), False, utc(12, 1, 19, 30)),
        # A window ending inside the spring gap (02:00-03:00 does not exist) ends when the
        # clock jumps, at 03:00 CEST = 01:00 UTC.
        ("22:00-02:30", dt.datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN), True, utc(3, 29, 1, 0)),
        ("22:00-02:30", utc(3, 29, 1, 0), False, utc(3, 29, 1, 0)),
        # A window ending inside the repeated autumn hour ends at its first 02:30 (CEST).
        ("22:00-02:30", dt.datetime(2026, 10, 25, 1, 0, tzinfo=BERLIN), True, utc(10, 25, 0, 30)),
    ],
)
def test_dst_changes_in_berlin(
    window: str, moment: dt.datetime, quiet: bool, allowed: dt.datetime
) -> None:
    hours = parse_quiet_hours(window, BERLIN)
    assert hours.contains(moment) is quiet
    result = hours.next_allowed(moment)
    assert result == allowed
    assert result.tzinfo is dt.UTC


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("21:00-08:00", dt.time(21), dt.time(8)),
        (" 22:30 - 06:15 ", dt.time(22, 30), dt.time(6, 15)),
        ("21-8", dt.time(21), dt.time(8)),
        ("21:00~08:00", dt.time(21), dt.time(8)),
        ("２１：００〜０８：００", dt.time(21), dt.time(8)),
        ("12:00-13:00", dt.time(12), dt.time(13)),
        ("00:00-00:00", dt.time(0), dt.time(0)),
        ("off", dt.time(0), dt.time(0)),
        ("OFF", dt.time(0), dt.time(0)),
        ("", dt.time(0), dt.time(0)),
        ("  ", dt.time(0), dt.time(0)),
    ],
)
def test_parse_quiet_hours(value: str, start: dt.time, end: dt.time) -> None:
    hours = parse_quiet_hours(value, TOKYO)
    assert hours == QuietHours(start=start, end=end, tz=TOKYO)
    assert hours.enabled is (start != end)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("21:00", "not understood"),
        ("night", "not understood"),
        ("21:00-08:00-09:00", "not understood"),
        ("9pm-8am", "not understood"),
        ("21:0-08:00", "not understood"),
        ("25:00-08:00", "hours must be 0-23"),
        ("21:00-24:00", "hours must be 0-23"),
        ("21:60-08:00", "minutes 0-59"),
    ],
)
def test_parse_quiet_hours_errors(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_quiet_hours(value, TOKYO)
    assert "21:00-08:00" in str(caught.value)  # says what is expected


def test_naive_moments_and_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        NIGHT.contains(dt.datetime(2026, 12, 1, 22))
    with pytest.raises(ValueError, match="naive"):
        QuietHours(start=dt.time(21, tzinfo=dt.UTC), tz=TOKYO)


def test_is_frozen_with_defaults() -> None:
    assert (NIGHT.start, NIGHT.end, NIGHT.enabled) == (dt.time(21), dt.time(8), True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        NIGHT.start = dt.time(22)  # type: ignore[misc]
