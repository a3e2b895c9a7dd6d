"""The audit trail: each audited action writes exactly one row, with its author and no text."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from helpbot.storage.audit import audit_lines
from helpbot.storage.models import AuditEvent, Case
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id
from tests.fakes.slack_requests import (
    block_action,
    event_callback,
    message_event,
    new_ts,
    slash_command,
)
from tests.test_cases_slack import _case, _say

WORKER = "UWORKER01"
OTHER = "UWORKER02"


def _click(slack, action_id: str, case: Case, user: str = WORKER) -> None:
    response = slack.send(
        block_action(action_id, str(case.id), user_id=user, user_name="sato",
                     channel_id=SLACK_CHANNEL, message_ts=case.slack_ts,
                     signing_secret=SLACK_SECRET)
    )
    assert response.status_code == 200
    slack.settle()


def _command(slack, words: str, user: str = WORKER) -> None:
    response = slack.send(slash_command("/helpbot", words, user_id=user,
                                        channel_id=SLACK_CHANNEL, signing_secret=SLACK_SECRET))
    assert response.status_code == 200
    slack.settle()


def _worker_writes(slack, case: Case, words: str, user: str = WORKER) -> None:
    request = event_callback(
        message_event(words, channel=SLACK_CHANNEL, user=user, ts=new_ts(),
                      thread_ts=case.slack_ts),
        signing_secret=SLACK_SECRET,
    )
    assert slack.send(request).status_code == 200
    slack.settle()


def _new_rows(database, seen: int) -> list[tuple[str, str, int | None]]:
    return [(a.action, a.actor, a.case_id) for a in audit_lines(database)[seen:]]


def test_each_action_writes_exactly_one_row(line, slack, fake_line, database, app, clock):
    person = new_user_id()
    _say(line, fake_line, person, "家賃が払えなくて、人と話したいです")
    case = _case(database)
    # the opening, by the system, with no words of the person (the report counts from it)
    assert [(a.action, a.actor, a.case_id, a.detail) for a in audit_lines(database)] == [
        ("open", "system", case.id, "reason=asked urgency=normal")]
    steps = [
        (lambda: _click(slack, "case_claim", case), ("claim", WORKER)),
        (lambda: _command(slack, f"release {case.id}"), ("release", WORKER)),
        (lambda: _click(slack, "case_claim", case, OTHER), ("claim", OTHER)),
        (lambda: _worker_writes(slack, case, "佐藤です。給付金の話をしましょう", OTHER),
         ("reply", OTHER)),
        (lambda: _worker_writes(slack, case, "// 家賃3か月滞納"), ("note", WORKER)),
        (lambda: _command(slack, f"remind {case.id} 3日後 窓口に行けましたか？"),
         ("followup_created", WORKER)),
        (lambda: _click(slack, "case_resolve", case), ("resolve", WORKER)),
        (lambda: _say(line, fake_line, person, "すみません、もう一つ聞きたいです"),
         ("reopen", "system")),
    ]
    for act, (action, actor) in steps:
        seen = len(audit_lines(database))
        act()
        assert _new_rows(database, seen) == [(action, actor, case.id)], action
    services = app.extensions["helpbot"]
    followup = services.reminders.schedule_followup(
        case_id=case.id, when=clock() + dt.timedelta(days=1), text="お元気ですか", created_by=WORKER
    )
    seen = len(audit_lines(database))
    assert services.reminders.cancel_followup(followup.id, by="cli:tester")
    assert _new_rows(database, seen) == [("followup_cancelled", "cli:tester", case.id)]
    every = audit_lines(database)
    assert all(line.contact_id == case.contact_id for line in every)
    details = " ".join(str(line.detail) for line in every)
    for words in ("給付金", "滞納", "窓口", "お元気", person):
        assert words not in details, "audit rows carry no message text or user id"


def test_resolve_keeps_who_claimed_and_records_who_resolved(line, slack, fake_line, database):
    _say(line, fake_line, new_user_id(), "スタッフと話したい")
    case = _case(database)
    _click(slack, "case_claim", case, OTHER)
    _click(slack, "case_resolve", case, WORKER)
    resolved = _case(database)
    assert (resolved.claimed_by, resolved.resolved_by) == (OTHER, WORKER)


def test_a_crisis_false_alarm_mark_is_audited_once(line, slack, fake_line, database):
    _say(line, fake_line, new_user_id(), "もう死にたい")
    case = _case(database)
    _click(slack, "case_not_crisis", case)
    _click(slack, "case_not_crisis", case)  # a second click changes nothing
    assert [(a.action, a.actor, a.detail) for a in audit_lines(database)] == [
        ("open", "system", "reason=crisis urgency=urgent category=suicide"),
        ("false_alarm", WORKER, None)]


def test_the_trail_is_append_only(database, clock):
    with database.session() as session:
        session.add(AuditEvent(at=clock(), actor="system", action="purge"))
    for statement in ("UPDATE audit_events SET actor = 'someone'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), database.session() as session:
            session.execute(text(statement))
    assert [a.actor for a in audit_lines(database)] == ["system"]
