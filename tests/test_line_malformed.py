"""Signed LINE events whose members are not what LINE documents: stored (LINE gets its 200),
then recognised as malformed once by the worker: failed without retries, nothing sent to
anyone, and the log names the event, never a user id or a message."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from helpbot.storage.models import QueueState, WebhookEvent
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event

MALFORMED = {
    "message is a string": {"message": "家賃が払えない"},
    "message is a list": {"message": [1, 2]},
    "timestamp 1e30": {"timestamp": 1e30},
    "timestamp 2**63-1": {"timestamp": 9223372036854775807},
    "timestamp negative": {"timestamp": -1},
    "timestamp text": {"timestamp": "1700000000000"},
    "userId a number": {"source": {"type": "user", "userId": 123}},
    "userId empty": {"source": {"type": "user", "userId": ""}},
    "source a string": {"source": "user"},
    "replyToken a number": {"replyToken": 7},
}


@pytest.mark.parametrize("members", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_event_fails_once_and_sends_nothing(line, fake_line, database, caplog,
                                                        members):
    person = new_user_id()
    event = dict(text_event("家賃が払えない", user_id=person), **members)
    assert line.post(event).status_code == 200
    with caplog.at_level(logging.INFO):
        line.settle()
    with database.session() as session:
        (row,) = session.scalars(select(WebhookEvent))
        assert (row.status, row.attempts) == (QueueState.FAILED, 1)
        assert row.error.startswith("malformed")
    assert fake_line.deliveries == []
    logged = caplog.text
    assert "malformed" in logged and row.event_id in logged
    assert person not in logged and "家賃" not in logged and "123" not in logged.replace(
        row.event_id, "")


def test_a_postback_that_is_not_an_object_is_malformed(line, fake_line, database):
    event = dict(postback_event("a=topics"), postback="a=topics")
    assert line.post(event).status_code == 200
    line.settle()
    with database.session() as session:
        (row,) = session.scalars(select(WebhookEvent))
        assert row.status == QueueState.FAILED
    assert fake_line.deliveries == []


def test_a_well_formed_neighbour_is_still_answered(line, fake_line, database):
    person = new_user_id()
    bad = dict(text_event("こんにちは", user_id=new_user_id()), timestamp=1e30)
    good = text_event("こんにちは", user_id=person, reply_token=fake_line.issue_reply_token(
        user_id=person))
    assert line.post(bad, good).status_code == 200
    line.settle()
    assert [d.user_id for d in fake_line.deliveries] == [person]


def test_a_stray_postback_on_a_text_message_does_not_keep_the_text_from_an_answer(
    line, fake_line
):
    """Only a postback event needs its postback; on a text message an odd one is ignored."""
    person = new_user_id()
    event = text_event("今日食べるものがありません", user_id=person,
                       reply_token=fake_line.issue_reply_token(user_id=person))
    event["postback"] = "x"
    assert line.post(event).status_code == 200
    line.settle()
    assert fake_line.sent_texts(user_id=person)
