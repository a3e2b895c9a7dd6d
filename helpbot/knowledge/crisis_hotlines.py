"""The lines to call in ``crisis.yaml`` (``hotlines:``): number, names, and when each answers
(its ``hours`` and ``days``).

::

    inochi:
      hours: "10:00-22:00"      # from 10:00 until 22:00; "22:00-06:00" runs past midnight
    police_consult:
      hours: "8:30-17:15"
      days: weekdays            # 平日: Monday to Friday (毎日: every day); or [mon, wed, 土]

      public_holidays: open     # also on public holidays and 12/29-1/3 (closed: off then)

A line without them answers at all times. ``days`` alone: all day on those days. A night
that runs past midnight belongs to the day it starts on (Friday "22:00-06:00" ends on Saturday
morning). Unless ``public_holidays`` says otherwise, a line of some days only is off on Japan's
public holidays and from December 29 to January 3, as public lines are; a line of every day is
open on them too.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.hours import (
    parse_hours,
    public_holiday,
    read_public_holidays,
    weekday,
    year_end,
)
from helpbot.knowledge.phone_numbers import is_phone_number, plain_number
from helpbot.knowledge.yaml_files import LineDict, LineList, key_line, unknown_fields

HOTLINE_FIELDS = ("number", "name", "hours", "days", "public_holidays")
EVERY_DAY = frozenset(range(7))
_WORKDAYS = frozenset(range(5))
_DAY_WORDS = {"weekdays": _WORKDAYS, "平日": _WORKDAYS, "every day": EVERY_DAY, "毎日": EVERY_DAY}
HOURS_HINT = ('write them like "10:00-22:00" ("22:00-06:00" runs past midnight); '
              "leave hours out for a line that answers at all times")
DAYS_HINT = "write days: weekdays (平日), or a list like [mon, tue, wed]"


@dataclass(frozen=True, slots=True)
class OpenHours:
    """From ``opens`` until ``closes`` (before ``opens``: past midnight) on ``days``."""

    opens: dt.time = dt.time(0)
    closes: dt.time = dt.time(0)  # equal to opens: the whole day
    days: frozenset[int] = EVERY_DAY  # weekdays the line opens on, 0 = Monday
    # ``public_holidays``: True (closed) off on public holidays and 12/29-1/3, False (open)
    # on its days then too; None (not written): off then only when it opens on some days
    closed_on_holidays: bool | None = None

    def is_open(self, local: dt.datetime) -> bool:
        """Whether the line answers at ``local``, a time in the NPO's time zone."""
        today, now = local.date(), local.time()
        if self.opens == self.closes:
            return self._opens_on(today)
        if self.opens < self.closes:
            return self._opens_on(today) and self.opens <= now < self.closes
        yesterday = today - dt.timedelta(days=1)
        return (self._opens_on(today) and now >= self.opens) or (
            self._opens_on(yesterday) and now < self.closes
        )

    def _opens_on(self, day: dt.date) -> bool:
        """Unless ``public_holidays`` is written, a line of some days only (平日, [mon, wed])
        is off on public holidays and over the year end (12/29-1/3), as public lines in Japan
        are; a line of every day never is."""
        if day.weekday() not in self.days:
            return False
        closed = self.closed_on_holidays
        if closed is None:
            closed = self.days != EVERY_DAY
        return not (closed and (public_holiday(day) or year_end(day)))


ALWAYS = OpenHours()


def _parse_days(value: Any) -> frozenset[int] | None:
    if isinstance(value, str):
        return _DAY_WORDS.get(unicodedata.normalize("NFKC", value).strip().lower())
    if not isinstance(value, LineList) or not value:
        return None
    days = set()
    for item in value:
        day = weekday(item)
        if day is None:
            return None
        days.add(day)
    return frozenset(days)


def read_open_hours(
    value: LineDict, hotline: str, file: str, problems: list[Problem]
) -> OpenHours:
    """A hotline's ``hours``, ``days`` and ``public_holidays`` (none: ALWAYS). A wrong value
    is a problem that names the file and line."""
    raw_hours, raw_days = value.get("hours"), value.get("days")
    closed_on_holidays = read_public_holidays(value, file, problems, hotline=hotline)
    if raw_hours is None and raw_days is None:
        return (ALWAYS if closed_on_holidays is None
                else OpenHours(closed_on_holidays=closed_on_holidays))
    hours = parse_hours(raw_hours) if isinstance(raw_hours, str) else None
    if raw_hours is not None and hours is None:
        problems.append(Problem(file, value.key_lines.get("hours", value.line),
                                f"hotline '{hotline}' has hours that cannot be read: "
                                f"{raw_hours!r}", HOURS_HINT))
    days = _parse_days(raw_days) if raw_days is not None else EVERY_DAY
    if days is None:
        problems.append(Problem(file, value.key_lines.get("days", value.line),
                                f"hotline '{hotline}' has days that cannot be read: "
                                f"{raw_days!r}", DAYS_HINT))
    if (raw_hours is not None and hours is None) or days is None:
        return ALWAYS
    opens, closes = hours or (dt.time(0), dt.time(0))
    return OpenHours(opens=opens, closes=closes, days=days,
                     closed_on_holidays=closed_on_holidays)


@dataclass(frozen=True, slots=True)
class Hotline:
    id: str
    number: str | None
    names: dict[str, str]  # language -> how the line is called, with its hours
    hours: OpenHours = ALWAYS  # when it answers


def language_texts(value: Any) -> dict[str, str]:
    if not isinstance(value, LineDict):
        return {}
    return {str(k): v.strip() for k, v in value.items() if isinstance(v, str) and v.strip()}


def read_hotlines(data: LineDict, file: str, problems: list[Problem]) -> dict[str, Hotline]:
    raw = data.get("hotlines")
    if raw is None:
        return {}
    if not isinstance(raw, LineDict):
        line = key_line(data, "hotlines")
        problems.append(Problem(file, line, "'hotlines' must be a set of ids"))
        return {}
    hotlines = {}
    for key, value in raw.items():
        line = raw.key_lines.get(key, raw.line)
        if not isinstance(value, LineDict):
            problems.append(Problem(file, line, f"hotline '{key}' needs number and name"))
            continue
        problems.extend(unknown_fields(value, HOTLINE_FIELDS, file, f"in hotline '{key}'"))
        # Full-width digits and dashes (0120-27９-338) are made plain, then the shape checked.
        number = (None if value.get("number") is None
                  else plain_number(str(value["number"])))
        if number is not None and not is_phone_number(number):
            problems.append(
                Problem(
                    file,
                    value.key_lines.get("number", line),
                    f"hotline '{key}' has a number people cannot dial: {number!r}",
                    "write it like 110, #8008 or 0120-279-338 (or null for a place to go)",
                )
            )
        names = language_texts(value.get("name"))
        if "ja" not in names:
            problems.append(
                Problem(file, line, f"hotline '{key}' needs a Japanese name", "name: {ja: ...}")
            )
        hours = read_open_hours(value, str(key), file, problems)
        hotlines[str(key)] = Hotline(str(key), number, names, hours)
    return hotlines
