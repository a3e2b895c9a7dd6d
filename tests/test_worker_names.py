"""Worker names from users.info (the fake Slack), cached: in the case view, in relayed replies
when faq/staff.yaml says ``introduce_workers: true``, and in the report."""

from __future__ import annotations

import pytest

from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import new_user_id
from tests.test_cases_slack import _case, _click, _say, _worker_writes
from tests.test_reports import run_report

WORKER = "UWORKER01"


@pytest.fixture
def faq_dir(faq_dir):
    staff = faq_dir / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + "\nintroduce_workers: true\n",
                     encoding="utf-8")
    return faq_dir


def test_names_in_the_case_view_the_relay_and_the_report(
    line, slack, fake_line, fake_slack, database, settings
):
    fake_slack.add_user(WORKER, "sato", "さとう", real_name="佐藤 花子")
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    _click(slack, "case_claim", case)
    assert "claimed by <@UWORKER01> (さとう)" in str(
        fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)

    _worker_writes(slack, case, "住居確保給付金が使えるかもしれません。")
    first = fake_line.sent_texts(user_id=person)[-1]
    assert first == "相談員のさとうです。\n住居確保給付金が使えるかもしれません。"
    _worker_writes(slack, case, "窓口は市役所の2階です。")
    assert fake_line.sent_texts(user_id=person)[-1] == "窓口は市役所の2階です。", "once a case"
    assert len(fake_slack.calls("users.info")) == 1, "cached"

    report = run_report(settings, "--since", "2026-12-01", "--until", "2026-12-01", "--json")
    assert report["workers"] == [{"id": WORKER, "name": "さとう", "claimed": 1, "resolved": 0}]


def test_without_the_setting_no_introduction(line, slack, fake_line, fake_slack, database,
                                             faq_dir):
    staff = faq_dir / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("introduce_workers: true", ""),
                     encoding="utf-8")
    fake_slack.add_user(WORKER, "sato", "さとう")
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    _worker_writes(slack, _case(database), "こんにちは")
    assert fake_line.sent_texts(user_id=person)[-1] == "こんにちは"


def test_an_unknown_worker_keeps_the_mention(line, slack, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    _click(slack, "case_claim", case)  # users.info: user_not_found; the handle is shown
    assert "claimed by <@UWORKER01> (sato)" in str(
        fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    _worker_writes(slack, case, "こんにちは")
    assert fake_line.sent_texts(user_id=person)[-1] == "こんにちは"


def test_a_note_alone_sends_no_introduction(line, slack, fake_line, fake_slack, database):
    """`//` lines stay in Slack: a note-only reply neither reaches the person with the
    introduction nor uses it up for the first real reply."""
    fake_slack.add_user(WORKER, "sato", "さとう")
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    before = fake_line.sent_texts(user_id=person)
    _worker_writes(slack, case, "// 内部メモ: 本人には見せない")
    assert fake_line.sent_texts(user_id=person) == before, "nothing reaches the person"
    _worker_writes(slack, case, "こんにちは")
    assert fake_line.sent_texts(user_id=person)[-1] == "相談員のさとうです。\nこんにちは"
