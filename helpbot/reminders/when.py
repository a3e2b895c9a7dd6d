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

The forms themselves (patterns and what each match means) are in ``reminders/when_forms.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from helpbot.errors import WhenError
from helpbot.reminders.when_forms import FORMS, Context, Resolver

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


# --- reading the text ------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s、,。:;\-–—]*")


def _longest(normalised: str) -> tuple[re.Match[str], Resolver] | None:
    best: tuple[re.Match[str], Resolver] | None = None
    for pattern, resolver in FORMS:
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
    *, original: str, match: re.Match[str], resolver: Resolver, ctx: Context
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
    ctx = Context(now=now.astimezone(tz), tz=tz, default_hour=default_hour)
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
    ctx = Context(now=now.astimezone(tz), tz=tz, default_hour=default_hour)
    moment = _resolve(original=when_text.strip(), match=match, resolver=resolver, ctx=ctx)
    if not message:
        raise WhenError(
            f"Add a message after the time, e.g. 「{when_text.strip()} 面談の件でご連絡です」."
        )
    return moment, message
