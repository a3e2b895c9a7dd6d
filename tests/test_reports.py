"""``helpbot report``: a scenario driven through the LINE webhook and the fake Slack, counted.

People write on LINE (signed webhooks); a worker claims and resolves in Slack (signed
interactivity); the clock is injected; then the CLI counts what was stored.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from helpbot.cli import main
from helpbot.errors import ReportError
from helpbot.reports.figures import percentile
from helpbot.reports.period import parse_since, report_period
from helpbot.storage.models import Case, Message
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event
from tests.fakes.slack_requests import (
    block_action,
    event_callback,
    message_event,
    new_ts,
    slash_command,
)

WORKER = "UWORKER01"
TOKYO = ZoneInfo("Asia/Tokyo")


def say(line, fake_line, user: str, text: str) -> None:
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()


def click(slack, action_id: str, case: Case) -> None:
    response = slack.send(block_action(
        action_id, str(case.id), user_id=WORKER, user_name="sato", channel_id=SLACK_CHANNEL,
        message_ts=case.slack_ts, signing_secret=SLACK_SECRET,
    ))
    assert response.status_code == 200
    slack.settle()


def case_number(database, n: int) -> Case:
    with database.session() as session:
        return session.get(Case, n)


def run_report(settings, *args: str) -> dict:
    env = {"HELPBOT_DATABASE_URL": settings.database_url,
           "HELPBOT_FAQ_DIR": str(settings.faq_dir)}
    result = CliRunner().invoke(main, ["report", *args], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def drive_scenario(line, slack, fake_line, database, clock) -> None:
    """Two FAQ answers, a fallback, a case claimed after 12 min and resolved after 42, a
    crisis alert, a follow-up sent, a satisfaction answer."""
    asker, helper_seeker, in_danger = new_user_id(), new_user_id(), new_user_id()
    say(line, fake_line, asker, "相談できる時間は何時から何時までですか")
    say(line, fake_line, asker, "相談にお金はかかりますか")
    say(line, fake_line, asker, "zzqx vvvv 9999")
    say(line, fake_line, helper_seeker, "人と話したい")
    clock.advance(minutes=12)
    click(slack, "case_claim", case_number(database, 1))
    clock.advance(minutes=30)
    click(slack, "case_resolve", case_number(database, 1))
    token = fake_line.issue_reply_token(user_id=helper_seeker)
    csat = fake_line.pushes[-1].messages[0]["quickReply"]["items"][0]["action"]["data"]
    line.post(postback_event(csat, user_id=helper_seeker, reply_token=token))
    line.settle()
    say(line, fake_line, in_danger, "もう疲れた。死にたい")
    answer = slack.send(slash_command(
        "/helpbot", "remind 2 1時間後 その後いかがですか", user_id=WORKER,
        channel_id=SLACK_CHANNEL, signing_secret=SLACK_SECRET))
    assert "scheduled" in answer.get_data(as_text=True)
    clock.advance(hours=1, minutes=1)
    line.settle()


def test_a_scenarios_numbers_in_report_json(line, slack, fake_line, database, clock, settings):
    drive_scenario(line, slack, fake_line, database, clock)
    report = run_report(settings, "--since", "2026-12-01", "--until", "2026-12-01", "--json")

    assert report["period"] == {"since": "2026-11-30T15:00:00+00:00",
                                "until": "2026-12-01T15:00:00+00:00",
                                "timezone": "Asia/Tokyo"}
    # 3 + 1 + 1 text messages and one satisfaction tap; all on LINE.
    assert report["messages_in"]["total"] == 6
    assert report["messages_in"]["by_channel"] == {"line": 6}
    # By the language helpbot now speaks with each person: the asker's last words were Latin.
    assert report["messages_in"]["by_language"] == {"ja": 3, "en": 3}
    assert report["answers"] == {"answered": 2, "suggested": 0, "fallback": 1}
    assert sorted(report["top_topics"], key=lambda t: t["entry_id"]) == [
        {"entry_id": "about-free", "count": 1}, {"entry_id": "about-hours", "count": 1}]
    assert report["cases"] == {"opened": 2, "claimed": 1, "resolved": 1,
                               "by_state": {"open": 1, "resolved": 1}}
    assert report["minutes_to_claim"] == {"count": 1, "median": 12.0, "p90": 12.0}
    assert report["minutes_to_resolve"] == {"count": 1, "median": 42.0, "p90": 42.0}
    assert report["crisis_alerts"] == {"total": 1, "by_category": {"suicide": 1}}
    assert report["followups"] == {"sent": 1, "failed": 0}
    assert report["satisfaction"] == {"answers": 1, "by_score": {"3": 1, "2": 0, "1": 0},
                                      "average": 3.0}
    assert report["workers"] == [{"id": WORKER, "name": "sato", "claimed": 1, "resolved": 1}]
    assert [g["count"] for g in report["top_gaps"]] == [1]
    (today,) = report["questions_per_day"]
    assert today == {"date": "2026-12-01", "answered": 2, "suggested": 0, "fallback": 1}

    # The day before holds nothing.
    empty = run_report(settings, "--since", "2026-11-30", "--until", "2026-11-30", "--json")
    assert empty["messages_in"]["total"] == 0 and empty["cases"]["opened"] == 0


def test_a_case_reopened_by_a_workers_reply_is_counted_once(line, slack, fake_line, fake_slack,
                                                            database, clock, settings):
    fake_slack.add_user(WORKER, "sato", "さとう")  # users.info names the worker
    person = new_user_id()
    say(line, fake_line, person, "人と話したい")
    clock.advance(minutes=12)
    click(slack, "case_claim", case_number(database, 1))
    click(slack, "case_resolve", case_number(database, 1))
    clock.advance(days=2)
    slack.send(event_callback(
        message_event("その後いかがですか", channel=SLACK_CHANNEL, user=WORKER, ts=new_ts(),
                      thread_ts=case_number(database, 1).slack_ts),
        signing_secret=SLACK_SECRET))
    slack.settle()
    say(line, fake_line, person, "おかげさまで落ち着きました")
    report = run_report(settings, "--since", "2026-12-01", "--until", "2026-12-07", "--json")
    # The resolution happened in the period and stays counted; the state at the end is the
    # worker's again.
    assert report["cases"] == {"opened": 1, "claimed": 1, "resolved": 1,
                               "by_state": {"claimed": 1}}
    assert report["workers"] == [{"id": WORKER, "name": "さとう", "claimed": 1, "resolved": 1}]
    # Opened and first claimed when the person first wrote: not a new case, not a 0-minute claim.
    assert report["minutes_to_claim"] == {"count": 1, "median": 12.0, "p90": 12.0}


def test_counts_survive_a_purge_of_message_texts(line, slack, fake_line, database, clock,
                                                 settings):
    drive_scenario(line, slack, fake_line, database, clock)
    before = run_report(settings, "--since", "2026-12-01", "--until", "2026-12-01", "--json")
    with database.session() as session:  # what a retention purge does: texts gone, rows kept
        session.execute(update(Message).values(text="[purged]"))
        assert session.scalars(select(Message.text).distinct()).all() == ["[purged]"]
    after = run_report(settings, "--since", "2026-12-01", "--until", "2026-12-01", "--json")
    for key in ("messages_in", "answers", "top_topics", "cases", "minutes_to_claim",
                "minutes_to_resolve", "crisis_alerts", "followups", "satisfaction"):
        assert after[key] == before[key], key


def test_text_report_shows_the_same_numbers(line, fake_line, settings):
    say(line, fake_line, new_user_id(), "人と話したい")
    env = {"HELPBOT_DATABASE_URL": settings.database_url,
           "HELPBOT_FAQ_DIR": str(settings.faq_dir)}
    result = CliRunner().invoke(main, ["report", "--since", "2026-12-01", "--until",
                                       "2026-12-01"], env=env)
    assert result.exit_code == 0, result.output
    assert "Cases: opened 1, claimed 0, resolved 0" in result.output


@pytest.mark.parametrize("since", ["7x", "2026-13-01", "0d", "yesterday"])
def test_a_bad_period_is_a_clear_error(since, settings):
    env = {"HELPBOT_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(main, ["report", "--since", since], env=env)
    assert result.exit_code == 2
    assert "--since" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "option"),
    [(["--since", "0001-01-01"], "--since"), (["--since", "9999-12-31"], "--since"),
     (["--since", "7d", "--until", "9999-12-31"], "--until"),
     (["--since", "7d", "--until", "0001-01-01"], "--until")],
)
def test_a_date_beyond_the_calendar_is_a_one_line_error(args, option, settings):
    env = {"HELPBOT_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(main, ["report", *args, "--json"], env=env)
    assert result.exit_code == 2, result.output
    assert option in result.output and "2000-01-01 to 2099-12-31" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_periods():
    now = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    assert parse_since("7d", now=now, zone=TOKYO) == now - dt.timedelta(days=7)
    assert parse_since("2026-11-01", now=now, zone=TOKYO) == dt.datetime(
        2026, 10, 31, 15, tzinfo=dt.UTC)
    with pytest.raises(ReportError, match="empty"):
        report_period("2026-12-05", None, now=now, zone=TOKYO)
    assert len(report_period("30d", None, now=now, zone=TOKYO).days()) == 31


@pytest.mark.parametrize(("values", "p90"), [([], None), ([5.0], 5.0),
                                             ([float(n) for n in range(1, 11)], 9.0),
                                             ([1.0, 2.0, 100.0], 100.0)])
def test_percentile_is_nearest_rank(values, p90):
    assert percentile(values, 0.9) == p90


def test_gap_examples_in_the_report_are_masked(line, fake_line, settings):
    say(line, fake_line, new_user_id(), "zzqx 090-1234-5678 vvvv")
    report = run_report(settings, "--since", "2026-12-01", "--until", "2026-12-01", "--json")
    (gap,) = report["top_gaps"]
    assert gap["example"] == "zzqx [電話番号] vvvv"
