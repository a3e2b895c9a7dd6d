"""`/helpbot export 12` and `/helpbot erase 12`: a dialog first, then the file or the erasure."""

from __future__ import annotations

import json
import logging

import pytest

from helpbot.storage.audit import audit_lines
from helpbot.storage.models import Contact
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id
from tests.fakes.slack_requests import (
    event_callback,
    message_event,
    new_ts,
    slash_command,
    view_submission,
)
from tests.test_cases_slack import _case, _say
from tests.test_personal_data import dump

WORKER = "UWORKER01"


def _command(slack, words: str, channel: str = SLACK_CHANNEL):
    response = slack.send(slash_command("/helpbot", words, user_id=WORKER, channel_id=channel,
                                        signing_secret=SLACK_SECRET))
    assert response.status_code == 200
    slack.settle()
    return response


def _confirm(slack, fake_slack):
    opened = fake_slack.views[-1]
    response = slack.send(view_submission(opened.callback_id, {}, user_id=WORKER,
                                          private_metadata=opened.private_metadata,
                                          signing_secret=SLACK_SECRET))
    assert response.status_code == 200
    slack.settle()


def test_export_asks_first_then_sends_a_private_file(line, slack, fake_line, fake_slack,
                                                     database):
    person = new_user_id()
    _say(line, fake_line, person, "zqxmarke1 のことで人と話したいです")
    case = _case(database)
    _command(slack, f"export {case.id}")
    assert fake_slack.files == [] and not [a for a in audit_lines(database)
                                           if a.action == "export"], "nothing before the dialog"
    assert "unmasked" in json.dumps(fake_slack.views[-1].view)
    _confirm(slack, fake_slack)
    (shared,) = fake_slack.files
    assert shared.channel == "D" + WORKER.removeprefix("U"), "to the requester alone"
    record = json.loads(shared.content)
    assert record["person"]["user_id"] == person
    assert "zqxmarke1" in json.dumps(record, ensure_ascii=False)
    (row,) = [a for a in audit_lines(database) if a.action == "export"]
    assert (row.actor, row.contact_id) == (WORKER, case.contact_id)
    assert fake_slack.violations == []


def test_erase_asks_first_then_erases(line, slack, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "zqxmarke2 のことで人と話したいです")
    _say(line, fake_line, person, "zqxmarke3 よろしくお願いします")
    case = _case(database)
    _command(slack, f"erase {case.id}")
    assert person in dump(database), "nothing erased before the confirmation"
    _confirm(slack, fake_slack)
    after = dump(database)
    assert person not in after and "zqxmarke2" not in after and "zqxmarke3" not in after
    thread = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
    assert not any("zqxmarke3" in m.text for m in thread)
    told = [m.text for m in fake_slack.messages("D" + WORKER.removeprefix("U"))]
    assert any(t.startswith("Erased person #") for t in told)
    with database.session() as session:
        assert session.get(Contact, case.contact_id).erased_at is not None
    (row,) = [a for a in audit_lines(database) if a.action == "erase"]
    assert row.actor == WORKER
    assert fake_slack.violations == []


def test_export_and_erase_only_in_the_case_channel(line, slack, fake_line, fake_slack,
                                                   database):
    _say(line, fake_line, new_user_id(), "スタッフと話したい")
    case = _case(database)
    response = _command(slack, f"erase {case.id}", channel="C0OTHER01")
    assert "only in the case channel" in response.get_data(as_text=True)
    response = _command(slack, "export 999")
    assert "no case #999" in response.get_data(as_text=True)
    assert fake_slack.views == []


@pytest.mark.parametrize(
    ("words", "told"),
    [("記録を消してほしいです", "まだ何も消していません"),
     ("Please delete my data", "Nothing has been deleted yet")],
)
def test_a_person_asking_is_told_and_staff_asked_nothing_erased(
    line, slack, fake_line, fake_slack, database, words, told
):
    person = new_user_id()
    _say(line, fake_line, person, "zqxmarkf1 こんにちは")
    _say(line, fake_line, person, words)
    assert any(told in sent for sent in fake_line.sent_texts(user_id=person))
    case = _case(database)
    thread = " ".join(m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts))
    assert f"/helpbot erase {case.id}" in thread
    assert [a.action for a in audit_lines(database)] == ["open", "erase_requested"]
    with database.session() as session:
        assert session.get(Contact, case.contact_id).erased_at is None
    assert person in dump(database) and "zqxmarkf1" in dump(database)


@pytest.mark.parametrize("words", ["メッセージを消してしまった", "データを送ってほしい"])
def test_other_messages_about_deleting_are_not_requests(line, fake_line, database, words):
    _say(line, fake_line, new_user_id(), words)
    assert not [a for a in audit_lines(database) if a.action == "erase_requested"]


def test_show_original_is_for_the_asking_worker_only_and_audited(line, slack, fake_line,
                                                                fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したいです")
    _say(line, fake_line, person, "電話は090-1234-5678です")
    case = _case(database)
    thread = " ".join(m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts))
    assert "090-1234-5678" not in thread and "[電話番号]" in thread
    response = _command(slack, f"original {case.id}")
    assert "090-1234-5678" in response.get_data(as_text=True)
    assert "in_channel" not in response.get_data(as_text=True), "an ephemeral answer"
    (row,) = [a for a in audit_lines(database) if a.action == "show_original"]
    assert (row.actor, row.case_id) == (WORKER, case.id)
    assert "090" not in (row.detail or "")


def test_a_first_message_in_danger_that_asks_to_erase_gets_both(
    line, slack, fake_line, fake_slack, database
):
    # A person first seen in this turn: their case is opened by the crisis step and must be
    # found again by the erasure step in the same transaction (no lookup skipped wrongly).
    person = new_user_id()
    _say(line, fake_line, person, "死にたい。記録を消してほしいです")
    case = _case(database)
    assert case.urgency == "urgent"
    assert any("まだ何も消していません" in sent for sent in fake_line.sent_texts(user_id=person))
    thread = " ".join(m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts))
    assert f"/helpbot erase {case.id}" in thread
    assert [a.action for a in audit_lines(database)] == ["open", "erase_requested"]


def test_debug_logging_carries_no_text_of_the_person_or_the_worker(
        line, slack, fake_line, fake_slack, database, caplog):
    """At DEBUG slack_bolt logs response bodies (the unmasked `/helpbot original`) and
    slack_sdk request and response bodies (case posts, replies): none of it may reach the logs."""
    person = new_user_id()
    with caplog.at_level(logging.DEBUG):
        _say(line, fake_line, person, "人と話したいです")
        _say(line, fake_line, person, "電話は090-1234-5678です zqxperson")
        case = _case(database)
        shown = _command(slack, f"original {case.id}").get_data(as_text=True)
        assert "090-1234-5678" in shown
        slack.send(event_callback(
            message_event("zqxworker 明日お電話します", channel=SLACK_CHANNEL, user=WORKER,
                          ts=new_ts(), thread_ts=case.slack_ts),
            signing_secret=SLACK_SECRET))
        slack.settle()
    assert "zqxworker" in fake_line.sent_texts(user_id=person)[-1]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "zqxperson" not in logged and "090-1234" not in logged
    assert "zqxworker" not in logged and "人と話したいです" not in logged
    assert person not in logged
