"""Japan's public holidays, by the injected clock: staff are off on them unless staff.yaml says
``public_holidays: open``, so a person asking for a human on 勤労感謝の日 is told the next
working morning, not "about an hour"; and a hotline of some days only (#9110, weekdays) is
put after the lines that answer that day."""

from __future__ import annotations

import datetime as dt

import pytest

from helpbot.cases.office import is_open, next_opening
from helpbot.knowledge.crisis_hotlines import EVERY_DAY, OpenHours
from helpbot.knowledge.hours import public_holiday, year_end
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.policies import read_staff_policy
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, text_event

JST = dt.timezone(dt.timedelta(hours=9))
LABOR_THANKSGIVING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST)  # a Monday, 勤労感謝の日
WEEKDAYS = frozenset(range(5))


@pytest.fixture(scope="module")
def policy():
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.staff is not None and kb.staff.closed_on_public_holidays
    return kb.staff


@pytest.mark.parametrize(("day", "holiday"), [
    (dt.date(2026, 11, 23), True),   # 勤労感謝の日
    (dt.date(2026, 5, 6), True),     # 振替休日 (5/3 was a Sunday)
    (dt.date(2026, 9, 22), True),    # 国民の休日, between 敬老の日 and 秋分の日
    (dt.date(2026, 11, 24), False),
    (dt.date(2026, 12, 29), False),  # the year end is not a public holiday
])
def test_japans_public_holidays_are_known(day, holiday):
    assert public_holiday(day) is holiday


@pytest.mark.parametrize(("local", "next_open"), [
    (LABOR_THANKSGIVING, dt.datetime(2026, 11, 24, 9, 0)),
    # 9/21 敬老の日, 9/22 国民の休日, 9/23 秋分の日: the office opens again on Thursday
    (dt.datetime(2026, 9, 21, 12, 0, tzinfo=JST), dt.datetime(2026, 9, 24, 9, 0)),
    (dt.datetime(2026, 9, 18, 19, 0, tzinfo=JST), dt.datetime(2026, 9, 19, 10, 0)),  # Saturday
])
def test_staff_are_off_on_public_holidays(policy, local, next_open):
    now = local.astimezone(dt.UTC)
    assert not is_open(policy, now)
    opening = next_opening(policy, now)
    assert opening is not None and opening.replace(tzinfo=None) == next_open


def test_an_npo_open_on_public_holidays_says_so_in_staff_yaml():
    for word in ("open", "営業"):
        policy, problems = read_staff_policy(
            f"hours:\n  mon: 9:00-18:00\npublic_holidays: {word}\n", "staff.yaml")
        assert problems == [] and policy is not None
        assert is_open(policy, LABOR_THANKSGIVING.astimezone(dt.UTC))
    policy, problems = read_staff_policy("hours:\n  mon: 9:00-18:00\n", "staff.yaml")
    assert problems == [] and policy is not None  # the default: off
    assert not is_open(policy, LABOR_THANKSGIVING.astimezone(dt.UTC))


def test_an_unreadable_public_holidays_value_is_reported_on_its_line():
    _, problems = read_staff_policy("timezone: Asia/Tokyo\npublic_holidays: maybe\n",
                                    "staff.yaml")
    (problem,) = problems
    assert problem.line == 2 and "public_holidays" in problem.message


@pytest.mark.parametrize(("local", "weekday_line", "every_day_line"), [
    (dt.datetime(2026, 11, 23, 15, 0), False, True),   # public holiday, a Monday
    (dt.datetime(2026, 11, 24, 15, 0), True, True),
    (dt.datetime(2026, 12, 29, 15, 0), False, True),   # year end, a Tuesday
    (dt.datetime(2027, 1, 4, 15, 0), True, True),
])
def test_a_line_of_some_days_only_is_off_on_holidays(local, weekday_line, every_day_line):
    consult = OpenHours(opens=dt.time(8, 30), closes=dt.time(17, 15), days=WEEKDAYS)
    inochi = OpenHours(opens=dt.time(10), closes=dt.time(22), days=EVERY_DAY)
    assert consult.is_open(local) is weekday_line
    assert inochi.is_open(local) is every_day_line


def test_a_night_belongs_to_the_day_it_starts_on():
    """Monday 11/23 is a holiday: Monday night's shift (22:00-06:00) is off, into Tuesday too."""
    nights = OpenHours(opens=dt.time(22), closes=dt.time(6), days=WEEKDAYS)
    assert not nights.is_open(dt.datetime(2026, 11, 23, 23, 0))
    assert not nights.is_open(dt.datetime(2026, 11, 24, 3, 0))
    assert nights.is_open(dt.datetime(2026, 11, 21, 3, 0))  # Friday 11/20's night
    assert nights.is_open(dt.datetime(2026, 11, 24, 23, 0))
    assert year_end(dt.date(2027, 1, 3)) and not year_end(dt.date(2027, 1, 4))


def test_on_a_public_holiday_the_person_is_told_the_next_working_morning(line, fake_line,
                                                                           clock):
    clock.now = LABOR_THANKSGIVING.astimezone(dt.UTC)
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event("スタッフと話したい", user_id=person,
                                reply_token=token)).status_code == 200
    line.settle()
    (told,) = fake_line.sent_texts(user_id=person)
    assert "11月24日（火）09:00" in told and "1時間ほど" not in told, told


def test_on_a_public_holiday_the_weekday_police_line_comes_after_110(line, fake_line, clock):
    clock.now = dt.datetime(2026, 11, 23, 15, 0, tzinfo=JST).astimezone(dt.UTC)
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event("ストーカーに毎日つきまとわれています", user_id=person,
                                reply_token=token)).status_code == 200
    line.settle()
    sent = fake_line.sent_texts(user_id=person)[0]
    police, consult = sent.find("・警察（110"), sent.find("#9110")
    assert 0 <= police < consult, sent
