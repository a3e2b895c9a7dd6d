"""Office hours: is a case worker around now, and if not, when will one be?"""

from __future__ import annotations

import datetime as dt

from helpbot.core.texts import phrases, text_language
from helpbot.knowledge.hours import WEEKDAYS_JA
from helpbot.knowledge.policies import StaffPolicy

LOOKAHEAD_DAYS = 21


def is_open(policy: StaffPolicy, now: dt.datetime) -> bool:
    local = now.astimezone(policy.zone)
    if policy.day_off(local.date()):
        return False
    hours = policy.hours.get(local.weekday())
    return hours is not None and hours[0] <= local.time() < hours[1]


def next_opening(policy: StaffPolicy, now: dt.datetime) -> dt.datetime | None:
    """When staff are next in, in the NPO's time zone; None if no hours in three weeks."""
    local = now.astimezone(policy.zone)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        hours = policy.hours.get(day.weekday())
        if hours is None or policy.day_off(day):
            continue
        opens = dt.datetime.combine(day, hours[0], tzinfo=policy.zone)
        closes = dt.datetime.combine(day, hours[1], tzinfo=policy.zone)
        if local < opens:
            return opens
        if local < closes:
            return local
    return None


# How a date is written in a language of the catalogue, beside Japanese and English; any other
# language gets the numeric form no one misreads (2026-12-02), never Japanese 月日.
_DATE_FORMS = {
    "zh": "{m}月{d}日", "ko": "{m}월 {d}일",
    "vi": "{d}/{m}", "pt": "{d}/{m}", "es": "{d}/{m}", "id": "{d}/{m}",
    "my": "{m}လ {d}ရက်",  # month 12, day 4: as Burmese writes a date in numbers
}


def describe_date(day: dt.date, language: str) -> str:
    """``day`` as ``language`` writes it (the language of the sentence it goes into)."""
    if language in ("ja", "easy"):
        return f"{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    if language == "en":
        return day.strftime("%A %d %B")
    form = _DATE_FORMS.get(language)
    return form.format(m=day.month, d=day.day) if form else day.isoformat()


def describe_opening(when: dt.datetime, language: str) -> str:
    if language in ("ja", "easy"):
        return f"{describe_date(when.date(), language)}{when:%H:%M}"
    separator = ", " if language == "en" else " "
    return f"{describe_date(when.date(), language)}{separator}{when:%H:%M}"


REMIND_DAYS_BEFORE = 3
REMIND_AT = dt.time(10)


def reminder_time(
    *, deadline: dt.date, now: dt.datetime, zone: dt.tzinfo
) -> dt.datetime | None:
    """When to remind a person of a deadline: three days before at 10:00, or the next 10:00
    still before the deadline; None when the deadline is too close."""
    local_now = now.astimezone(zone)
    day = max(deadline - dt.timedelta(days=REMIND_DAYS_BEFORE), local_now.date())
    while day < deadline:
        when = dt.datetime.combine(day, REMIND_AT, tzinfo=zone)
        if when > local_now:
            return when
        day += dt.timedelta(days=1)
    return None


def still_waiting(policy: StaffPolicy | None, language: str | None, now: dt.datetime) -> str:
    """The notice to a person still waiting for a reply: in office hours, "a little longer";
    outside them, when staff are back (a person who writes at night or on a holiday is not
    left waiting for a reply that comes in the morning)."""
    words = phrases(language)
    if policy is None or is_open(policy, now) or not words.still_waiting_closed:
        return words.still_waiting
    when = staff_back(policy, now, "still_waiting_closed", language)
    return words.still_waiting_closed.format(when=when) if when else words.still_waiting


def staff_back(policy: StaffPolicy, now: dt.datetime, text: str, language: str | None
               ) -> str | None:
    """When staff are next in, written as the text ``text`` is served in ``language`` writes
    dates; None if no hours in three weeks."""
    opening = next_opening(policy, now)
    return describe_opening(opening, text_language(text, language)) if opening else None
