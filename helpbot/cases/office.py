"""Office hours: is a case worker around now, and if not, when will one be?"""

from __future__ import annotations

import datetime as dt

from helpbot.knowledge.policies import StaffPolicy

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


_WEEKDAYS_JA = "月火水木金土日"


def describe_opening(when: dt.datetime, language: str) -> str:
    if language == "en":
        return when.strftime("%A %d %B, %H:%M")
    return f"{when.month}月{when.day}日（{_WEEKDAYS_JA[when.weekday()]}）{when:%H:%M}"
