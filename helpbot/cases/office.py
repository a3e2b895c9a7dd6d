"""Office hours: is a case worker around now, and if not, when will one be?"""

from __future__ import annotations

import datetime as dt

from helpbot.knowledge.policies import WEEKDAYS_JA, StaffPolicy

LOOKAHEAD_DAYS = 21


def is_open(policy: StaffPolicy, now: dt.datetime) -> bool:
    local = now.astimezone(policy.zone)
    if local.date() in policy.holidays:
        return False
    hours = policy.hours.get(local.weekday())
    return hours is not None and hours[0] <= local.time() < hours[1]


def next_opening(policy: StaffPolicy, now: dt.datetime) -> dt.datetime | None:
    """When staff are next in, in the NPO's time zone; None if no hours in three weeks."""
    local = now.astimezone(policy.zone)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        hours = policy.hours.get(day.weekday())
        if hours is None or day in policy.holidays:
            continue
        opens = dt.datetime.combine(day, hours[0], tzinfo=policy.zone)
        closes = dt.datetime.combine(day, hours[1], tzinfo=policy.zone)
        if local < opens:
            return opens
        if local < closes:
            return local
    return None




def describe_date(day: dt.date, language: str) -> str:
    if language == "en":
        return day.strftime("%A %d %B")
    return f"{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"


def describe_opening(when: dt.datetime, language: str) -> str:
    if language == "en":
        return f"{describe_date(when.date(), language)}, {when:%H:%M}"
    return f"{describe_date(when.date(), language)}{when:%H:%M}"


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
