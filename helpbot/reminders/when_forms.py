"""The forms of a reminder's "when": Japanese and English date and time words.

Each form is a pattern and the resolver that turns its match into a moment; the table in
``reminders/when.py``'s docstring says what each form means. Patterns match NFKC-normalised,
lower-cased text from its start.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from helpbot.errors import WhenError
from helpbot.knowledge.hours import WEEKDAYS_JA

# --- building blocks -------------------------------------------------------------------------

_EN_END = r"(?![a-z])"
_AMPM = r"(?:a\.m\.|p\.m\.|am|pm)"
_TIME = rf"""
(?:
    (?:(?P<pre>午前|午後|朝|夜|夕方)\s*)?
    (?:
        (?P<h1>\d{{1,2}})\s*時(?!間)(?:\s*(?:(?P<half>半)|(?P<m1>\d{{1,2}})\s*分(?!間|後)))?
      | (?P<h2>\d{{1,2}}):(?P<m2>\d{{2}})(?!\d)
      | (?P<h3>\d{{1,2}})(?=\s*{_AMPM}{_EN_END})
    )
    (?:\s*(?P<ampm>{_AMPM}){_EN_END})?
  | (?P<noon>正午|noon{_EN_END})
)
"""
_CONNECT = r"(?:\s*(?:の|at\b|@|,)\s*|\s*)"
_N = r"(?P<n>\d+|an?|one)"

_WEEKDAYS_EN = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_WD_EN = "(?P<wd>" + "|".join(sorted(_WEEKDAYS_EN, key=len, reverse=True)) + ")" + _EN_END
_WD_JA = rf"(?P<wd>[{WEEKDAYS_JA}])\s*曜日?"

_DAY_WORDS = {
    "今日": 0,
    "本日": 0,
    "today": 0,
    "明日": 1,
    "あした": 1,
    "あす": 1,
    "tomorrow": 1,
    "明後日": 2,
    "あさって": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}
_WEEK_WORDS = {"今週": 0, "this": 0, "来週": 1, "next": 1, "再来週": 2}


@dataclass(frozen=True)
class Context:
    now: dt.datetime  # aware, in tz
    tz: ZoneInfo
    default_hour: int


def _count(word: str) -> int:
    return 1 if word in {"a", "an", "one"} else int(word)


def _clock(match: re.Match[str]) -> dt.time | None:
    """The time of day in a match of ``_TIME`` (None if the optional time was absent)."""
    groups = match.groupdict()
    if groups.get("noon"):
        return dt.time(12)
    hour_text = groups.get("h1") or groups.get("h2") or groups.get("h3")
    if hour_text is None:
        return None
    hour = int(hour_text)
    minute = int(groups.get("m1") or groups.get("m2") or 0)
    if groups.get("half"):
        minute = 30
    marker = groups.get("ampm") or groups.get("pre")
    if marker is not None:
        if hour > 12:
            raise WhenError(f"{hour}時/{hour}:00 cannot be combined with {marker}.")
        afternoon = marker in {"pm", "p.m.", "午後", "夜", "夕方"}
        if hour == 12:
            hour = 12 if afternoon else 0
        elif afternoon:
            hour += 12
    if hour > 23 or minute > 59:
        raise WhenError(f"{hour}:{minute:02d} is not a time of day.")
    return dt.time(hour, minute)


def _at(ctx: Context, day: dt.date, clock: dt.time | None) -> dt.datetime:
    clock = clock if clock is not None else dt.time(ctx.default_hour)
    return dt.datetime.combine(day, clock, tzinfo=ctx.tz)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# --- the forms -------------------------------------------------------------------------------


def _relative_exact(ctx: Context, m: re.Match[str]) -> dt.datetime:
    unit = m["u"]
    n = _count(m["n"])
    delta = dt.timedelta(hours=n) if unit.startswith(("時間", "h")) else dt.timedelta(minutes=n)
    return ctx.now.astimezone(dt.UTC) + delta  # elapsed time, not wall-clock time


def _relative_days(ctx: Context, m: re.Match[str]) -> dt.datetime:
    unit = m["u"]
    n = _count(m["n"])
    today = ctx.now.date()
    if unit.startswith(("日", "d")):
        day = today + dt.timedelta(days=n)
    elif unit.startswith(("週", "w")):
        day = today + dt.timedelta(weeks=n)
    else:
        day = _add_months(today, n)
    return _at(ctx, day, _clock(m))


def _day_word(ctx: Context, m: re.Match[str]) -> dt.datetime:
    offset = _DAY_WORDS[re.sub(r"\s+", " ", m["d"])]
    return _at(ctx, ctx.now.date() + dt.timedelta(days=offset), _clock(m))


def _week(ctx: Context, m: re.Match[str]) -> dt.datetime:
    weeks = _WEEK_WORDS[m["w"]]
    weekday = _weekday(m["wd"]) if m["wd"] else 0
    day = _monday(ctx.now.date()) + dt.timedelta(weeks=weeks, days=weekday)
    return _at(ctx, day, _clock(m))


def _weekday(word: str) -> int:
    return _WEEKDAYS_EN[word] if word in _WEEKDAYS_EN else WEEKDAYS_JA.index(word)


def _bare_weekday(ctx: Context, m: re.Match[str]) -> dt.datetime:
    weekday = _weekday(m["wd"])
    clock = _clock(m)
    today = ctx.now.date()
    if weekday == today.weekday() and clock is not None:
        candidate = _at(ctx, today, clock)
        if candidate > ctx.now:
            return candidate
    ahead = (weekday - today.weekday() - 1) % 7 + 1
    return _at(ctx, today + dt.timedelta(days=ahead), clock)


def _date(ctx: Context, m: re.Match[str]) -> dt.datetime:
    today = ctx.now.date()
    month, day_of_month = int(m["m"]), int(m["d"])
    year_text = m.groupdict().get("y")
    try:
        day = dt.date(int(year_text or today.year), month, day_of_month)
        if year_text is None and day < today:
            day = day.replace(year=today.year + 1)
    except ValueError:
        raise WhenError(f"{month}月{day_of_month}日 is not a date.") from None
    label = m.groupdict().get("wdl")
    if label is not None and _weekday(label) != day.weekday():
        raise WhenError(f"{day:%Y-%m-%d} is a {calendar.day_name[day.weekday()]}, not {label}曜.")
    return _at(ctx, day, _clock(m))


def _time_only(ctx: Context, m: re.Match[str]) -> dt.datetime:
    return _at(ctx, ctx.now.date(), _clock(m))


def _with_time(date_pattern: str, connect: str = _CONNECT) -> str:
    return rf"(?:{date_pattern})(?:{connect}{_TIME})?"


Resolver = Callable[[Context, re.Match[str]], dt.datetime]

_ja_days = "|".join(
    word for word in sorted(_DAY_WORDS, key=len, reverse=True) if not word.isascii()
)
_en_days = "|".join(
    re.escape(word).replace(r"\ ", r"\s+")
    for word in sorted(_DAY_WORDS, key=len, reverse=True)
    if word.isascii()
)
_JA_WEEKDAY_LABEL = rf"(?:\s*\(\s*(?P<wdl>[{WEEKDAYS_JA}])(?:曜日?)?\s*\))?"

FORMS: tuple[tuple[re.Pattern[str], Resolver], ...] = tuple(
    (re.compile(pattern, re.VERBOSE), resolver)
    for pattern, resolver in (
        (r"(?P<n>\d+)\s*(?P<u>時間|分)\s*後", _relative_exact),
        (rf"in\s+{_N}\s+(?P<u>hours?|hrs?|minutes?|mins?){_EN_END}", _relative_exact),
        (_with_time(r"(?P<n>\d+)\s*(?P<u>日|週間|週|[かカヶケヵ箇]\s*月)\s*後"), _relative_days),
        (_with_time(rf"in\s+{_N}\s+(?P<u>days?|weeks?|months?){_EN_END}"), _relative_days),
        (_with_time(rf"(?P<d>{_ja_days})"), _day_word),
        (_with_time(rf"(?P<d>{_en_days}){_EN_END}"), _day_word),
        (_with_time(rf"(?P<w>今週|来週|再来週)(?:\s*の?\s*{_WD_JA})?"), _week),
        (_with_time(rf"(?P<w>next)\s+week{_EN_END}(?P<wd>)"), _week),
        (_with_time(rf"(?P<w>this|next)\s+{_WD_EN}"), _week),
        (_with_time(_WD_JA), _bare_weekday),
        (_with_time(rf"(?:on\s+)?{_WD_EN}"), _bare_weekday),
        (
            _with_time(
                rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
                rf"{_JA_WEEKDAY_LABEL}"
            ),
            _date,
        ),
        (
            _with_time(
                r"(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)",
                connect=rf"(?:t|{_CONNECT})",
            ),
            _date,
        ),
        (_with_time(rf"(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?![\d/]){_JA_WEEKDAY_LABEL}"), _date),
        (rf"(?:at\s+|@\s*)?{_TIME}", _time_only),
    )
)
