"""Japan's public holidays, by the injected clock: staff are off on them unless staff.yaml says
``public_holidays: open``, so a person asking for a human on 勤労感謝の日 is told the next
working morning, not "about an hour"; and a hotline of some days only (#9110, weekdays) is
put after the lines that answer that day."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from helpbot.cases.office import is_open, next_opening
from helpbot.cli.faq import faq
from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.crisis_hotlines import EVERY_DAY, OpenHours
from helpbot.knowledge.hours import public_holiday, year_end
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.policies import read_staff_policy
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, text_event
from tests.test_knowledge_versions import edit

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


def _stalking_on_a_holiday(line, fake_line, clock) -> tuple[str, int, int]:
    """What a person is sent at 15:00 on 勤労感謝の日, and where 110 and #9110 are in it."""
    clock.now = dt.datetime(2026, 11, 23, 15, 0, tzinfo=JST).astimezone(dt.UTC)
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event("ストーカーに毎日つきまとわれています", user_id=person,
                                reply_token=token)).status_code == 200
    line.settle()
    sent = fake_line.sent_texts(user_id=person)[0]
    return sent, sent.find("・警察（110"), sent.find("#9110")


def test_on_a_public_holiday_the_weekday_police_line_comes_after_110(line, fake_line, clock):
    sent, police, consult = _stalking_on_a_holiday(line, fake_line, clock)
    assert 0 <= police < consult, sent


# --- a hotline says whether it answers on public holidays (crisis.yaml) -----------------------

HOTLINE = (
    "hotlines:\n"
    "  consult:\n"
    "    number: '#9110'\n"
    "    name: {{ja: 警察相談}}\n"
    "    hours: '8:30-17:15'\n"
    "    days: {days}\n"
    "{holidays}"
    "  yorisoi: {{number: '0120-279-338', name: {{ja: よりそいホットライン}}}}\n"
    "categories:\n"
    "  - {{id: stalking, name: つきまとい, call: [consult, yorisoi],\n"
    "      expressions: [つきまとわれ]}}\n"
    "resources:\n"
    "  intro: {{ja: あなたの安全がいちばん大切です}}\n"
)


@pytest.mark.parametrize(("days", "holidays", "on_the_holiday", "at_the_year_end"), [
    ("weekdays", "", False, False),  # as before: a line of some days only is off
    ("weekdays", "    public_holidays: open\n", True, True),
    ("weekdays", "    public_holidays: 営業\n", True, True),
    ("毎日", "", True, True),  # a line of every day answers, as before
    ("毎日", "    public_holidays: closed\n", False, False),
])
def test_a_hotline_says_whether_it_answers_on_public_holidays(days, holidays, on_the_holiday,
                                                               at_the_year_end):
    rules, problems = read_crisis_rules(HOTLINE.format(days=days, holidays=holidays),
                                        "crisis.yaml")
    assert problems == [] and rules is not None
    hours = rules.hotlines["consult"].hours
    assert hours.is_open(dt.datetime(2026, 11, 23, 15, 0)) is on_the_holiday  # 勤労感謝の日
    assert hours.is_open(dt.datetime(2026, 12, 29, 15, 0)) is at_the_year_end  # a Tuesday
    assert hours.is_open(dt.datetime(2026, 11, 24, 15, 0))  # an ordinary Tuesday
    assert not hours.is_open(dt.datetime(2026, 11, 24, 18, 0))  # after its hours


def test_a_hotline_open_on_holidays_with_no_hours_is_still_a_line_of_every_day():
    rules, problems = read_crisis_rules(
        HOTLINE.format(days="毎日", holidays="").replace(
            "    hours: '8:30-17:15'\n    days: 毎日\n", "    public_holidays: closed\n"),
        "crisis.yaml")
    assert problems == [] and rules is not None
    hours = rules.hotlines["consult"].hours
    assert hours.is_open(dt.datetime(2026, 11, 24, 3, 0))
    assert not hours.is_open(dt.datetime(2026, 11, 23, 3, 0))


def test_an_unreadable_hotline_public_holidays_is_named_with_file_and_line_in_japanese(
        tmp_path):
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "crisis.yaml").write_text(
        HOTLINE.format(days="weekdays", holidays="    public_holidays: たまに\n"),
        encoding="utf-8")
    result = CliRunner().invoke(faq, ["check", str(folder)])
    assert result.exit_code == 1
    assert ("faq/crisis.yaml:7: 電話「consult」の祝日（public_holidays）'たまに' が読めません / "
            "hotline 'consult' has public_holidays that cannot be read: 'たまに' "
            "(hint: closed（休み）か open（営業）を書いてください") in result.output, result.output


def test_on_a_public_holiday_a_line_open_on_holidays_keeps_its_place(line, fake_line, clock,
                                                                     faq_dir):
    crisis = faq_dir / "crisis.yaml"
    text = crisis.read_text(encoding="utf-8")
    old = '    number: "#9110"\n    hours: "8:30-17:15"\n    days: weekdays\n'
    assert text.count(old) == 1
    edit(crisis, text.replace(old, old + "    public_holidays: open\n"))
    sent, police, consult = _stalking_on_a_holiday(line, fake_line, clock)
    assert 0 <= consult < police, sent
