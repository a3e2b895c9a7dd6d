"""Office hours in staff.yaml are read as crisis.yaml's hotline hours are: staff who type
「9:00〜18:00」 on a Japanese keyboard, or 「月:」 for Monday, are understood in both files, and
what cannot be read is reported with file and line, with the hint in Japanese."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.hours import parse_hours, weekday
from helpbot.knowledge.policies import read_staff_policy
from tests.conftest import SAMPLE_FAQ

NINE_TO_SIX = (dt.time(9), dt.time(18))


@pytest.mark.parametrize("written", [
    "09:00-18:00", "9:00〜18:00", "９：００～１８：００", "9:00 ー 18:00", "9時-18時",
    "9時から18時まで", "9〜18", "9:00－18:00",
])
def test_staff_may_write_a_days_hours_as_on_a_japanese_keyboard(written):
    policy, problems = read_staff_policy(f"hours:\n  mon: {written}\n", "staff.yaml")
    assert problems == [] and policy is not None
    assert policy.hours == {0: NINE_TO_SIX}


@pytest.mark.parametrize(("key", "day"), [
    ("mon", 0), ("Tuesday", 1), ("月", 0), ("火曜日", 1), ("水曜", 2), ("（木）", 3), ("日", 6),
])
def test_weekdays_are_read_in_english_and_japanese(key, day):
    assert weekday(key) == day
    policy, problems = read_staff_policy(f"hours:\n  {key}: 10:00-15:00\n", "staff.yaml")
    assert problems == [] and policy is not None and list(policy.hours) == [day]


@pytest.mark.parametrize("closed", ["closed", "休み", "お休み", "定休日", "''", "ＣＬＯＳＥＤ"])
def test_a_day_off_may_be_written_in_japanese(closed):
    policy, problems = read_staff_policy(
        f"hours:\n  mon: 9:00-18:00\n  sun: {closed}\n", "staff.yaml")
    assert problems == [] and policy is not None and policy.hours == {0: NINE_TO_SIX}


def test_open_until_midnight_is_the_whole_evening():
    policy, problems = read_staff_policy("hours:\n  fri: 13:00-24:00\n", "staff.yaml")
    assert problems == [] and policy is not None
    assert policy.hours == {4: (dt.time(13), dt.time(23, 59, 59))}


@pytest.mark.parametrize("written", ["22:00-06:00", "18:00-9:00", "9:00", "朝から晩まで",
                                     "9:00-9:00", "9:00-25:00"])
def test_hours_that_cannot_be_a_day_are_reported_on_their_line(written):
    _, problems = read_staff_policy(
        f"timezone: Asia/Tokyo\nhours:\n  mon: 9:00-18:00\n  tue: {written}\n", "staff.yaml")
    (problem,) = problems
    assert problem.line == 4 and "cannot read hours" in problem.message


def test_a_hotline_may_name_its_days_as_japanese_weekdays():
    crisis = (SAMPLE_FAQ / "crisis.yaml").read_text(encoding="utf-8")
    assert 'hours: "10:00-22:00"' in crisis
    edited = crisis.replace('hours: "10:00-22:00"',
                            'hours: "10時〜22時"\n    days: [月曜日, 水曜, （金）]', 1)
    rules, problems = read_crisis_rules(edited, "crisis.yaml")
    assert problems == [] and rules is not None
    inochi = next(line for line in rules.hotlines.values() if line.hours.opens == dt.time(10))
    assert inochi.hours.days == frozenset({0, 2, 4}) and inochi.hours.closes == dt.time(22)


def test_faq_check_gives_the_hint_for_bad_office_hours_in_japanese(tmp_path: Path):
    folder = tmp_path / "faq"
    shutil.copytree(SAMPLE_FAQ, folder, ignore=shutil.ignore_patterns("drafts"))
    staff = folder / "staff.yaml"
    text = staff.read_text(encoding="utf-8")
    assert "  tue: 09:00-18:00\n" in text
    staff.write_text(text.replace("  tue: 09:00-18:00\n", "  tue: 朝9時から\n"), encoding="utf-8")
    line = staff.read_text(encoding="utf-8").splitlines().index("  tue: 朝9時から") + 1
    result = CliRunner().invoke(faq, ["check", str(folder)])
    assert result.exit_code == 1
    assert f"staff.yaml:{line}: 時間 '朝9時から' が読めません" in result.output, result.output
    assert "09:00-18:00（または 9:00〜18:00）のように書いてください" in result.output
    assert "1 problem(s)" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("9時-18時", NINE_TO_SIX), ("9時半-18時", None), ("9:00から", None), ("8時30分〜17時15分",
                                                                     (dt.time(8, 30),
                                                                      dt.time(17, 15))),
])
def test_the_shared_reader(text, expected):
    assert parse_hours(text) == expected
