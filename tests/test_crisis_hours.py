"""People in danger often write at night: lines that answer now come first, closed ones after.

``hours`` and ``days`` of a hotline in crisis.yaml, read with file and line, and the order the
person sees over LINE, the rich menu's button and the web chat, by the injected clock."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.app import create_app
from helpbot.cli.faq import faq
from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.crisis_hotlines import OpenHours
from helpbot.knowledge.hours import parse_hours
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event

TOKYO = dt.timezone(dt.timedelta(hours=9))
# 2026-12-01 is a Tuesday.
TUESDAY_3AM = dt.datetime(2026, 12, 1, 3, 0, tzinfo=TOKYO)
TUESDAY_3PM = dt.datetime(2026, 12, 1, 15, 0, tzinfo=TOKYO)
SATURDAY_11AM = dt.datetime(2026, 12, 5, 11, 0, tzinfo=TOKYO)
INOCHI, YORISOI, KOKORO, EMERGENCY = "0570-783-556", "0120-279-338", "0570-064-556", "119"
POLICE_CONSULT, POLICE = "#9110", "・警察（110"


def _order(text: str, *needles: str) -> list[int]:
    positions = [text.find(n) for n in needles]
    assert all(p >= 0 for p in positions), (needles, text)
    return positions


def _say(line, fake_line, text: str) -> str:
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event(text, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    return fake_line.sent_texts(user_id=person)[0]


# --- over LINE ---------------------------------------------------------------------------------

def test_at_3am_an_always_open_line_comes_before_inochi_no_denwa(line, fake_line, clock):
    clock.now = TUESDAY_3AM.astimezone(dt.UTC)
    sent = _say(line, fake_line, "もう死にたい")
    # call: [inochi, yorisoi, kokoro, emergency]; いのちの電話 (10:00-22:00) is closed
    yorisoi, kokoro, emergency, inochi = _order(sent, YORISOI, KOKORO, EMERGENCY, INOCHI)
    assert yorisoi < kokoro < emergency < inochi, sent
    assert "いのちの電話（10時〜22時）" in sent  # still listed, its name says when to call


def test_at_3pm_the_call_order_is_kept(line, fake_line, clock):
    clock.now = TUESDAY_3PM.astimezone(dt.UTC)
    sent = _say(line, fake_line, "もう死にたい")
    inochi, yorisoi, kokoro, emergency = _order(sent, INOCHI, YORISOI, KOKORO, EMERGENCY)
    assert inochi < yorisoi < kokoro < emergency, sent


def test_on_a_weekday_afternoon_the_police_consultation_line_comes_first(line, fake_line, clock):
    clock.now = TUESDAY_3PM.astimezone(dt.UTC)
    sent = _say(line, fake_line, "ストーカーに毎日つきまとわれています")
    consult, police = _order(sent, POLICE_CONSULT, POLICE)
    assert consult < police, sent


def test_the_emergency_button_at_night_puts_closed_lines_last(line, fake_line, clock):
    clock.now = TUESDAY_3AM.astimezone(dt.UTC)
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    event = postback_event("a=crisis", user_id=person, reply_token=token)
    assert line.post(event).status_code == 200
    line.settle()
    text = fake_line.replies[-1].messages[-1]["text"]
    # every line, in the file's order, but #9110 and いのちの電話 after the 24-hour ones
    emergency, yorisoi, consult, inochi = _order(text, EMERGENCY, YORISOI, POLICE_CONSULT, INOCHI)
    assert emergency < yorisoi < consult < inochi, text


# --- in the web chat ---------------------------------------------------------------------------

def test_the_web_chat_on_a_saturday_puts_the_weekday_line_after_110(settings, clock):
    clock.now = SATURDAY_11AM.astimezone(dt.UTC)
    app = create_app(settings.with_overrides(web_chat=True), clock=clock)
    try:
        response = app.test_client().post(
            "/api/playground/messages", json={"text": "ストーカーに毎日つきまとわれています"}
        )
        assert response.status_code == 200
        sent = response.get_json()["replies"][0]["text"]
    finally:
        app.extensions["helpbot"].close()
    police, consult = _order(sent, POLICE, POLICE_CONSULT)
    assert police < consult, sent


# --- the hours themselves ----------------------------------------------------------------------

def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """December 2026: day 4 is a Friday, 5 a Saturday, 7 a Monday."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)


def test_hours_that_cross_midnight():
    opens, closes = parse_hours("22:00-06:00") or (None, None)
    night = OpenHours(opens=opens, closes=closes)
    assert night.is_open(_at(1, 23)) and night.is_open(_at(2, 5, 59))
    assert not night.is_open(_at(2, 6)) and not night.is_open(_at(2, 21, 59))
    # on weekdays: Friday night runs into Saturday morning; Sunday night does not open
    weekday_nights = OpenHours(opens=opens, closes=closes, days=frozenset(range(5)))
    assert weekday_nights.is_open(_at(4, 23)) and weekday_nights.is_open(_at(5, 3))
    assert not weekday_nights.is_open(_at(5, 23)) and not weekday_nights.is_open(_at(7, 3))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00-22:00", (dt.time(10), dt.time(22))),
        ("８：３０～１７：１５", (dt.time(8, 30), dt.time(17, 15))),
        ("10-24", (dt.time(10), dt.time(0))),
        ("0:00-24:00", (dt.time(0), dt.time(0))),
        ("10:00 〜 22:00", (dt.time(10), dt.time(22))),
        ("25:00-26:00", None),
        ("10:00-10:00", None),
        ("10時から", None),
        ("10:60-22:00", None),
    ],
)
def test_how_staff_may_write_hours(text, expected):
    assert parse_hours(text) == expected


def test_10_to_24_is_open_until_midnight():
    late = OpenHours(*(parse_hours("10-24") or ()))
    assert late.is_open(_at(1, 23, 59)) and not late.is_open(_at(2, 0)) and late.is_open(_at(2, 10))


# --- mistakes, with file and line --------------------------------------------------------------

CRISIS = (
    "categories:\n"
    "  - id: suicide\n"
    "    name: 自殺\n"
    "    call: [inochi, yorisoi]\n"
    "    expressions: [死にたい]\n"
    "hotlines:\n"
    "  inochi:\n"
    "    number: '0570-783-556'\n"
    "    name: {{ja: いのちの電話}}\n"
    "    hours: {hours}\n"
    "    days: {days}\n"
    "  yorisoi: {{number: '0120-279-338', name: {{ja: よりそいホットライン}}}}\n"
    "resources:\n"
    "  intro: {{ja: あなたの安全がいちばん大切です}}\n"
)


def test_good_hours_and_days_are_read():
    rules, problems = read_crisis_rules(
        CRISIS.format(hours='"22:00-06:00"', days="平日"), "crisis.yaml"
    )
    assert problems == [] and rules is not None
    hours = rules.hotlines["inochi"].hours
    assert (hours.opens, hours.closes, hours.days) == (dt.time(22), dt.time(6), frozenset(range(5)))
    assert rules.hotlines["yorisoi"].hours.is_open(_at(6, 3))  # no hours: always


@pytest.mark.parametrize(
    ("hours", "days", "line", "japanese"),
    [
        ('"10:00-25:00"', "weekdays", 10, "電話「inochi」の時間（hours）'10:00-25:00'"),
        ("夜だけ", "weekdays", 10, "電話「inochi」の時間（hours）'夜だけ' が読めません"),
        ('"10:00-22:00"', "土日以外", 11, "電話「inochi」の曜日（days）'土日以外' が読めません"),
        ('"10:00-22:00"', "[mon, fryday]", 11, "電話「inochi」の曜日（days）"),
    ],
)
def test_a_bad_value_is_reported_with_file_and_line_in_japanese(hours, days, line, japanese):
    rules, problems = read_crisis_rules(CRISIS.format(hours=hours, days=days), "crisis.yaml")
    assert rules is None
    (problem,) = problems
    assert str(problem).startswith(f"crisis.yaml:{line}: {japanese}"), str(problem)


def test_faq_check_reports_bad_hours(tmp_path: Path):
    folder = tmp_path / "faq"
    shutil.copytree(SAMPLE_FAQ, folder, ignore=shutil.ignore_patterns("drafts"))
    crisis = folder / "crisis.yaml"
    text = crisis.read_text(encoding="utf-8")
    assert text.count('hours: "10:00-22:00"') == 1
    crisis.write_text(text.replace('hours: "10:00-22:00"', 'hours: "夜10時まで"'),
                      encoding="utf-8")
    line = next(n for n, row in enumerate(crisis.read_text(encoding="utf-8").splitlines(), 1)
                if "夜10時まで" in row)
    result = CliRunner().invoke(faq, ["check", str(folder)])
    assert result.exit_code == 1
    assert (
        f"crisis.yaml:{line}: 電話「inochi」の時間（hours）'夜10時まで' が読めません / "
        "hotline 'inochi' has hours that cannot be read: '夜10時まで' "
        '(hint: "10:00-22:00" のように書いてください'
    ) in result.output, result.output
    assert "1 problem(s)" in result.output
