"""Ids in postback data come from outside: a number no row can have is ignored politely on
both channels, never a 500 or a failed turn (the database refuses numbers beyond its range)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpbot.core.messages import MAX_ROW_ID, row_id
from helpbot.storage.models import QueueState, WebhookEvent
from tests.fakes.line_webhooks import new_user_id, postback_event

NUMBERS = ["99999999999999999999", str(2**63), str(2**63 - 1), str(MAX_ROW_ID + 1), "-1",
           "0", "1e3", "", "٣"]


@pytest.mark.parametrize("number", NUMBERS)
def test_row_ids_outside_the_database_range_are_none(number):
    assert row_id(number) is None


def test_row_ids_in_range_are_read():
    assert row_id("1") == 1 and row_id(str(MAX_ROW_ID)) == MAX_ROW_ID


@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63), str(MAX_ROW_ID + 1)])
@pytest.mark.parametrize("field", ["case", "v"])
def test_web_chat_csat_with_a_huge_number_is_answered_not_a_500(client, number, field):
    values = {"case": "1", "v": "3", field: number}
    response = client.post(
        "/api/playground/messages",
        json={"session": "pg-huge-ids-1", "postback": f"a=csat&case={values['case']}"
                                                      f"&v={values['v']}"},
    )
    assert response.status_code == 200
    assert response.get_json()["replies"][0]["text"]


def test_line_csat_with_a_huge_case_number_is_answered_once(line, fake_line, database):
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    data = "a=csat&case=99999999999999999999&v=3"
    assert line.post(postback_event(data, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    with database.session() as session:
        (row,) = session.scalars(select(WebhookEvent))
        assert (row.status, row.attempts) == (QueueState.DONE, 1)
    assert [r.reply_token for r in fake_line.replies] == [token]
    assert fake_line.pushes == []
