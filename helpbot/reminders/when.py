"""Read the "when" of a follow-up reminder, as a case worker types it in Slack.

Text is NFKC-normalised first (so ``３日後`` and ``１５：００`` work) and matched without regard
to case.  Everything is interpreted in the NPO's time zone ``tz``; results are aware datetimes
in UTC.  The interpretation choices:

==========================  ==============================================================
Form                        Meaning
==========================  ==============================================================
30分後, 2時間後,            exactly ``now`` + the duration (the clock time is kept).
in 30 minutes, in 2 hours
3日後, 1週間後, 1か月後,    that many calendar days / weeks / months later, at
in 3 days, in 2 weeks       ``default_hour``:00 local (or the time given, 「3日後 15時」).
                            Months keep the day of month, clamped to the month's end.
今日, 明日, 明後日,          that day at ``default_hour``:00, or at the time given.
today, tomorrow
来週, next week             Monday of next week (weeks start on Monday).
来週水曜, next wednesday    that weekday in *next* calendar week (Mon-Sun), also in English:
                            on Tuesday, "next friday" is 10 days away, not 3.
今週金曜, this friday       that weekday in the current calendar week.
金曜, friday, monday 2pm    the next such weekday strictly after today - except that a
                            time later today on today's weekday means today.
12月1日, 12/1               this year; next year only if that day is already over.
                            Slash dates are always month/day (Japanese order), never D/M.
2026年12月1日, 2026-12-01   that date; ``T`` may join date and time (2026-12-01T10:00).
15時, 15:30, 3pm            (a time alone) today at that time.
午前/午後/朝/夜/夕方, am/pm   12am = 0:00, 12pm/午後12時 = 12:00; 「10時半」 = 10:30; 正午 = noon.
==========================  ==============================================================

A result that is not after ``now`` raises :class:`WhenError` ("... is in the past"); so does a
date that is today with a clock time already gone (it is not pushed to next year).

:func:`split_when_and_message` takes the longest leading time expression as the when; the
message is the rest of the original text (not normalised), after a 「に」 glued to the time
(「3日後に連絡します」 -> 「連絡します」) and leading spaces, 、 , : or dashes.  A glued 「に」
is always taken as the particle, so write 「明日 にんじん…」 with a space if it is not.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from helpbot.errors import WhenError

__all__ = ["FORMS_HELP", "WhenError", "parse_when", "split_when_and_message"]

FORMS_HELP = (
    "Understood: 30分後, 2時間後, 3日後, 1週間後, 1か月後, 今日/明日/明後日 15時, "
    "明日の午後3時, 来週, 来週月曜 10時, 今週金曜, 金曜, 12月1日 10時, 12/1 (month/day), "
    "2026年12月1日 10:00, in 30 minutes, in 2 hours, in 3 days, in 2 weeks, today 17:00, "
    "tomorrow 9am, next monday 10:00, friday 2pm, 2026-12-01 10:00."
)


# --- normalisation ---------------------------------------------------------------------------


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC + lower-case, character by character, with, for every normalised position, the
    index of the original character it came from (plus a final entry for the end)."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).lower()
        pieces.append(piece)
        origin.extend([index] * len(piece))
    origin.append(len(text))
    return "".join(pieces), origin


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

_WEEKDAYS_JA = "月火水木金土日"
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
_WD_JA = rf"(?P<wd>[{_WEEKDAYS_JA}])\s*曜日?"

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
class _Context:
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


def _at(ctx: _Context, day: dt.date, clock: dt.time | None) -> dt.datetime:
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


def _relative_exact(ctx: _Context, m: re.Match[str]) -> dt.datetime:
    unit = m["u"]
    n = _count(m["n"])
    delta = dt.timedelta(hours=n) if unit.startswith(("時間", "h")) else dt.timedelta(minutes=n)
    return ctx.now.astimezone(dt.UTC) + delta  # elapsed time, not wall-clock time


def _relative_days(ctx: _Context, m: re.Match[str]) -> dt.datetime:
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


def _day_word(ctx: _Context, m: re.Match[str]) -> dt.datetime:
    offset = _DAY_WORDS[re.sub(r"\s+", " ", m["d"])]
    return _at(ctx, ctx.now.date() + dt.timedelta(days=offset), _clock(m))


def _week(ctx: _Context, m: re.Match[str]) -> dt.datetime:
    weeks = _WEEK_WORDS[m["w"]]
    weekday = _weekday(m["wd"]) if m["wd"] else 0
    day = _monday(ctx.now.date()) + dt.timedelta(weeks=weeks, days=weekday)
    return _at(ctx, day, _clock(m))


def _weekday(word: str) -> int:
    return _WEEKDAYS_EN[word] if word in _WEEKDAYS_EN else _WEEKDAYS_JA.index(word)


def _bare_weekday(ctx: _Context, m: re.Match[str]) -> dt.datetime:
    weekday = _weekday(m["wd"])
    clock = _clock(m)
    today = ctx.now.date()
    if weekday == today.weekday() and clock is not None:
        candidate = _at(ctx, today, clock)
        if candidate > ctx.now:
            return candidate
    ahead = (weekday - today.weekday() - 1) % 7 + 1
    return _at(ctx, today + dt.timedelta(days=ahead), clock)


def _date(ctx: _Context, m: re.Match[str]) -> dt.datetime:
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


def _time_only(ctx: _Context, m: re.Match[str]) -> dt.datetime:
    return _at(ctx, ctx.now.date(), _clock(m))


def _with_time(date_pattern: str, connect: str = _CONNECT) -> str:
    return rf"(?:{date_pattern})(?:{connect}{_TIME})?"


_Resolver = Callable[[_Context, re.Match[str]], dt.datetime]

_ja_days = "|".join(
    word for word in sorted(_DAY_WORDS, key=len, reverse=True) if not word.isascii()
)
_en_days = "|".join(
    re.escape(word).replace(r"\ ", r"\s+")
    for word in sorted(_DAY_WORDS, key=len, reverse=True)
    if word.isascii()
)
_JA_WEEKDAY_LABEL = rf"(?:\s*\(\s*(?P<wdl>[{_WEEKDAYS_JA}])(?:曜日?)?\s*\))?"

_FORMS: tuple[tuple[re.Pattern[str], _Resolver], ...] = tuple(
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

_SEPARATORS = re.compile(r"[\s、,。:;\-–—]*")


def _longest(normalised: str) -> tuple[re.Match[str], _Resolver] | None:
    best: tuple[re.Match[str], _Resolver] | None = None
    for pattern, resolver in _FORMS:
        match = pattern.match(normalised)
        if match and match.end() > 0 and (best is None or match.end() > best[0].end()):
            best = (match, resolver)
    return best


def _rest_start(normalised: str, end: int) -> int:
    """Where the message starts after a time expression ending at ``end``: a 「に」 glued to
    the time and separators (spaces, 、, commas, colons, dashes) are skipped."""
    if normalised.startswith("に", end):
        end += 1
    return _skip_separators(normalised, end)


def _skip_separators(normalised: str, position: int) -> int:
    match = _SEPARATORS.match(normalised, position)
    return match.end() if match else position


def _check_inputs(now: dt.datetime, default_hour: int) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if not 0 <= default_hour <= 23:
        raise ValueError(f"default_hour must be 0-23, not {default_hour}")


def _resolve(
    *, original: str, match: re.Match[str], resolver: _Resolver, ctx: _Context
) -> dt.datetime:
    try:
        moment = resolver(ctx, match).astimezone(dt.UTC)
    except WhenError as error:
        raise WhenError(f"「{original}」: {error}") from None
    except (OverflowError, ValueError):
        raise WhenError(f"「{original}」 is too far away or not a real date.") from None
    if moment <= ctx.now.astimezone(dt.UTC):
        local = moment.astimezone(ctx.tz)
        raise WhenError(f"「{original}」 ({local:%Y-%m-%d %H:%M} {ctx.tz.key}) is in the past.")
    return moment


def _not_understood(text: str) -> WhenError:
    return WhenError(f"I could not read a time in 「{text.strip()}」. {FORMS_HELP}")


def parse_when(text: str, *, now: dt.datetime, tz: ZoneInfo, default_hour: int = 10) -> dt.datetime:
    """The moment ``text`` means, in UTC; see the module docstring for the forms."""
    _check_inputs(now, default_hour)
    normalised, _ = _normalise(text)
    lead = _skip_separators(normalised, 0)
    found = _longest(normalised[lead:])
    if found is None:
        raise _not_understood(text)
    match, resolver = found
    if _rest_start(normalised, lead + match.end()) != len(normalised):
        raise _not_understood(text)
    ctx = _Context(now=now.astimezone(tz), tz=tz, default_hour=default_hour)
    return _resolve(original=text.strip(), match=match, resolver=resolver, ctx=ctx)


def split_when_and_message(
    text: str, *, now: dt.datetime, tz: ZoneInfo, default_hour: int = 10
) -> tuple[dt.datetime, str]:
    """Split ``<when> <message>``: the longest leading time expression is the when (in UTC),
    the rest - untouched, minus a glued 「に」 and leading separators - is the message."""
    _check_inputs(now, default_hour)
    normalised, origin = _normalise(text)
    lead = _skip_separators(normalised, 0)
    found = _longest(normalised[lead:])
    if found is None:
        raise _not_understood(text)
    match, resolver = found
    when_text = text[origin[lead] : origin[lead + match.end()]]
    message = text[origin[_rest_start(normalised, lead + match.end())] :].strip()
    ctx = _Context(now=now.astimezone(tz), tz=tz, default_hour=default_hour)
    moment = _resolve(original=when_text.strip(), match=match, resolver=resolver, ctx=ctx)
    if not message:
        raise WhenError(
            f"Add a message after the time, e.g. 「{when_text.strip()} 面談の件でご連絡です」."
        )
    return moment, message
