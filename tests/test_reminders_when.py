"""Reading the "when" of a reminder: every form, against a fixed now (Tuesday 2026-12-01
11:00 in Tokyo), and the errors a case worker sees in Slack."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from helpbot.errors import WhenError
from helpbot.reminders.when import FORMS_HELP, parse_when, split_when_and_message

TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 12, 1, 11, 0, tzinfo=TOKYO)  # a Tuesday


def tokyo(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Japanese: durations.  Hours/minutes keep the clock; days/weeks/months -> 10:00.
        ("30分後", tokyo(12, 1, 11, 30)),
        ("2時間後", tokyo(12, 1, 13)),
        ("3日後", tokyo(12, 4, 10)),
        ("３日後", tokyo(12, 4, 10)),
        ("3日後 15時", tokyo(12, 4, 15)),
        ("1週間後", tokyo(12, 8, 10)),
        ("2週間後", tokyo(12, 15, 10)),
        ("1か月後", tokyo(1, 1, 10, year=2027)),
        ("1ヶ月後", tokyo(1, 1, 10, year=2027)),
        ("1カ月後", tokyo(1, 1, 10, year=2027)),
        ("１ヵ月後", tokyo(1, 1, 10, year=2027)),
        ("3日後に", tokyo(12, 4, 10)),
        # Japanese: named days, with or without a time.
        ("今日 15時", tokyo(12, 1, 15)),
        ("今日15:30", tokyo(12, 1, 15, 30)),
        ("明日", tokyo(12, 2, 10)),
        ("あした", tokyo(12, 2, 10)),
        ("明後日", tokyo(12, 3, 10)),
        ("あさって", tokyo(12, 3, 10)),
        ("明日 15時", tokyo(12, 2, 15)),
        ("明日15:30", tokyo(12, 2, 15, 30)),
        ("明日１５：３０", tokyo(12, 2, 15, 30)),
        ("明日の午後3時", tokyo(12, 2, 15)),
        ("明日 午前10時半", tokyo(12, 2, 10, 30)),
        ("明日 10時5分", tokyo(12, 2, 10, 5)),
        ("明日の夜8時", tokyo(12, 2, 20)),
        ("明日の朝8時", tokyo(12, 2, 8)),
        ("明日 正午", tokyo(12, 2, 12)),
        ("明日 午後12時", tokyo(12, 2, 12)),
        # Japanese: weeks and weekdays (weeks start on Monday).
        ("来週", tokyo(12, 7, 10)),
        ("来週 14時", tokyo(12, 7, 14)),
        ("来週月曜", tokyo(12, 7, 10)),
        ("来週の月曜 10時", tokyo(12, 7, 10)),
        ("来週水曜日 14:00", tokyo(12, 9, 14)),
        ("来週日曜", tokyo(12, 13, 10)),
        ("再来週月曜", tokyo(12, 14, 10)),
        ("今週金曜", tokyo(12, 4, 10)),
        ("今週の土曜日 9時", tokyo(12, 5, 9)),
        ("金曜", tokyo(12, 4, 10)),
        ("金曜日 16時", tokyo(12, 4, 16)),
        ("月曜", tokyo(12, 7, 10)),
        ("火曜", tokyo(12, 8, 10)),  # today is Tuesday: next week's
        ("火曜 15時", tokyo(12, 1, 15)),  # ... unless a time later today is given
        ("火曜 9時", tokyo(12, 8, 9)),  # 9:00 today is gone: next week's
        # Japanese: dates (this year, next year once the day is over; slash = month/day).
        ("12月1日 15時", tokyo(12, 1, 15)),
        ("12月2日", tokyo(12, 2, 10)),
        ("12月2日(水)", tokyo(12, 2, 10)),
        ("１２月２日（水）１０時", tokyo(12, 2, 10)),
        ("11月30日", tokyo(11, 30, 10, year=2027)),
        ("1月5日 10時", tokyo(1, 5, 10, year=2027)),
        ("12/2", tokyo(12, 2, 10)),
        ("１２／２", tokyo(12, 2, 10)),
        ("12/02 10:00", tokyo(12, 2, 10)),
        ("1/5", tokyo(1, 5, 10, year=2027)),
        ("2026年12月2日 10:00", tokyo(12, 2, 10)),
        ("2027年3月1日", tokyo(3, 1, 10, year=2027)),
        # A time alone means today.
        ("15時", tokyo(12, 1, 15)),
        ("17:45", tokyo(12, 1, 17, 45)),
        # English.
        ("in 30 minutes", tokyo(12, 1, 11, 30)),
        ("in 3 hours", tokyo(12, 1, 14)),
        ("in an hour", tokyo(12, 1, 12)),
        ("in 2 days", tokyo(12, 3, 10)),
        ("in 1 day at 9am", tokyo(12, 2, 9)),
        ("in 1 week", tokyo(12, 8, 10)),
        ("in 2 weeks", tokyo(12, 15, 10)),
        ("in 1 month", tokyo(1, 1, 10, year=2027)),
        ("today 17:00", tokyo(12, 1, 17)),
        ("tomorrow", tokyo(12, 2, 10)),
        ("Tomorrow 9am", tokyo(12, 2, 9)),
        ("TOMORROW 9 A.M.", tokyo(12, 2, 9)),
        ("tomorrow at 15:00", tokyo(12, 2, 15)),
        ("tomorrow 3:30pm", tokyo(12, 2, 15, 30)),
        ("tomorrow 12am", tokyo(12, 2, 0)),
        ("tomorrow noon", tokyo(12, 2, 12)),
        ("the day after tomorrow", tokyo(12, 3, 10)),
        ("next week", tokyo(12, 7, 10)),
        ("next monday", tokyo(12, 7, 10)),
        ("next monday 10:00", tokyo(12, 7, 10)),
        ("next friday", tokyo(12, 11, 10)),  # in next calendar week, like 来週金曜
        ("this friday", tokyo(12, 4, 10)),
        ("monday 2pm", tokyo(12, 7, 14)),
        ("friday", tokyo(12, 4, 10)),
        ("on Fri", tokyo(12, 4, 10)),
        ("tuesday 3pm", tokyo(12, 1, 15)),
        ("2026-12-02", tokyo(12, 2, 10)),
        ("2026-12-02 10:00", tokyo(12, 2, 10)),
        ("2026-12-02T10:00", tokyo(12, 2, 10)),
        ("2026/12/2 18:30", tokyo(12, 2, 18, 30)),
        ("  tomorrow  ", tokyo(12, 2, 10)),
    ],
)
def test_parse_when(text: str, expected: dt.datetime) -> None:
    result = parse_when(text, now=NOW, tz=TOKYO)
    assert result == expected
    assert result.tzinfo is dt.UTC


@pytest.mark.parametrize(
    ("text", "now", "tz", "expected"),
    [
        # Months keep the day of month, clamped to the month's end.
        ("1か月後", dt.datetime(2027, 1, 31, 9, tzinfo=TOKYO), TOKYO, tokyo(2, 28, 10, year=2027)),
        # ``now`` may be in any zone; the day is read in ``tz``: 2026-12-01 20:00 UTC is
        # already 12-02 05:00 in Tokyo.
        ("明日", dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC), TOKYO, tokyo(12, 3, 10)),
        ("today 9:00", dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC), TOKYO, tokyo(12, 2, 9)),
        # On Sunday, 来週 is tomorrow's week.
        ("来週", dt.datetime(2026, 12, 6, 11, tzinfo=TOKYO), TOKYO, tokyo(12, 7, 10)),
        # Hours are elapsed time across a DST change (Berlin, 2026-03-29 02:00 -> 03:00).
        (
            "2時間後",
            dt.datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN),
            BERLIN,
            dt.datetime(2026, 3, 29, 4, 30, tzinfo=BERLIN),
        ),
        # ... while days keep the local clock.
        (
            "明日 9時",
            dt.datetime(2026, 3, 28, 12, tzinfo=BERLIN),
            BERLIN,
            dt.datetime(2026, 3, 29, 9, tzinfo=BERLIN),
        ),
        # The year rolls over for a date already past.
        ("12/31", dt.datetime(2026, 12, 31, 9, tzinfo=TOKYO), TOKYO, tokyo(12, 31, 10)),
        ("1/1", dt.datetime(2026, 12, 31, 9, tzinfo=TOKYO), TOKYO, tokyo(1, 1, 10, year=2027)),
    ],
)
def test_parse_when_relative_to_other_nows(
    text: str, now: dt.datetime, tz: ZoneInfo, expected: dt.datetime
) -> None:
    assert parse_when(text, now=now, tz=tz) == expected


@pytest.mark.parametrize(("default_hour", "expected"), [(9, tokyo(12, 2, 9)), (0, tokyo(12, 2, 0))])
def test_default_hour_is_used_only_without_a_time(default_hour: int, expected: dt.datetime) -> None:
    assert parse_when("明日", now=NOW, tz=TOKYO, default_hour=default_hour) == expected
    assert parse_when("明日 15時", now=NOW, tz=TOKYO, default_hour=default_hour) == tokyo(12, 2, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # In the past.
        ("今日 9時", "is in the past"),
        ("today 10:59", "is in the past"),
        ("9時", "is in the past"),
        ("12月1日", "is in the past"),  # today, 10:00 gone: not moved to next year
        ("12/1 10時", "is in the past"),
        ("2026年12月1日 10:00", "is in the past"),
        ("2026-12-01", "is in the past"),
        ("2026-12-01T10:00", "is in the past"),
        ("2025-12-24", "is in the past"),
        ("今週月曜", "is in the past"),
        ("0分後", "is in the past"),
        # Not a date or time.
        ("2月30日", "not a date"),
        ("13/1", "not a date"),
        ("2026-02-29", "not a date"),
        ("明日 25時", "not a time of day"),
        ("明日 10:75", "not a time of day"),
        ("明日 午後13時", "cannot be combined"),
        ("12月2日(木)", "not 木曜"),
        ("1000000000日後", "too far away"),
        # Not understood: the message lists the forms.
        ("", "Understood:"),
        ("そのうち", "Understood:"),
        ("someday", "Understood:"),
        ("明日 フードバンク", "Understood:"),
        ("明日までに", "Understood:"),
        ("tomorrowland", "Understood:"),
        ("in two days", "Understood:"),
        ("明日 10", "Understood:"),
    ],
)
def test_parse_when_errors(text: str, message: str) -> None:
    with pytest.raises(WhenError, match=message) as caught:
        parse_when(text, now=NOW, tz=TOKYO)
    if message == "Understood:":
        assert str(caught.value).endswith(FORMS_HELP)


@pytest.mark.parametrize(
    ("now", "default_hour"),
    [(dt.datetime(2026, 12, 1, 11), 10), (NOW, 24), (NOW, -1)],
)
def test_bad_arguments_are_programming_errors(now: dt.datetime, default_hour: int) -> None:
    with pytest.raises(ValueError) as caught:
        parse_when("明日", now=now, tz=TOKYO, default_hour=default_hour)
    assert not isinstance(caught.value, WhenError)


@pytest.mark.parametrize(
    ("text", "expected", "message"),
    [
        (
            "来週月曜 10時 フードバンクに行けましたか？",
            tokyo(12, 7, 10),
            "フードバンクに行けましたか？",
        ),
        (
            "in 2 days did you get to the food bank?",
            tokyo(12, 3, 10),
            "did you get to the food bank?",
        ),
        ("3日後に連絡します", tokyo(12, 4, 10), "連絡します"),
        ("明日15時に電話する", tokyo(12, 2, 15), "電話する"),
        ("明日の午後3時、面談の確認", tokyo(12, 2, 15), "面談の確認"),
        ("明日 3時間ほど面談", tokyo(12, 2, 10), "3時間ほど面談"),  # 3時間 is not a time
        ("明日 2人で来所", tokyo(12, 2, 10), "2人で来所"),
        ("金曜 にんじんを渡す", tokyo(12, 4, 10), "にんじんを渡す"),  # spaced: not the particle
        ("friday 3 boxes of rice", tokyo(12, 4, 10), "3 boxes of rice"),
        ("tomorrow at 9am: call Tanaka-san", tokyo(12, 2, 9), "call Tanaka-san"),
        ("next monday check the rent", tokyo(12, 7, 10), "check the rent"),
        ("2026-12-02T10:00 follow up", tokyo(12, 2, 10), "follow up"),
        ("12/2 10:00 書類の提出", tokyo(12, 2, 10), "書類の提出"),
        (
            "ＴＯＭＯＲＲＯＷ　９ＡＭ　ｃａｌｌ！",
            tokyo(12, 2, 9),
            "ｃａｌｌ！",
        ),  # message untouched
        ("３日後　ＯＫ？", tokyo(12, 4, 10), "ＯＫ？"),
        ("30分後 折り返し", tokyo(12, 1, 11, 30), "折り返し"),
    ],
)
def test_split_when_and_message(text: str, expected: dt.datetime, message: str) -> None:
    when, rest = split_when_and_message(text, now=NOW, tz=TOKYO)
    assert (when, rest) == (expected, message)
    assert when.tzinfo is dt.UTC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("フードバンクに行けましたか？", "Understood:"),
        ("", "Understood:"),
        ("please call tomorrow", "Understood:"),
        ("明日", "Add a message"),
        ("in 2 days   ", "Add a message"),
        ("3日後に", "Add a message"),
        ("今日 9時 電話", "is in the past"),
        ("2月30日 電話", "not a date"),
    ],
)
def test_split_when_and_message_errors(text: str, message: str) -> None:
    with pytest.raises(WhenError, match=message):
        split_when_and_message(text, now=NOW, tz=TOKYO)
