"""Without Slack, the playground's staff pane plays the case worker's side."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from helpbot.app import create_app

SESSION = "pg-staff-session-1"
OTHER = "pg-someone-else-2"


@pytest.fixture
def app(settings, clock) -> Iterator[Flask]:
    app = create_app(
        settings.with_overrides(
            slack_signing_secret=None, slack_bot_token=None, slack_escalation_channel=None
        ),
        clock=clock,
    )
    yield app
    app.extensions["helpbot"].close()


def _say(client, text: str, session: str = SESSION) -> dict:
    response = client.post("/api/playground/messages", json={"session": session, "text": text})
    assert response.status_code == 200
    return response.get_json()


def _cases(client, session: str = SESSION) -> list[dict]:
    response = client.get(f"/api/playground/cases?session={session}")
    assert response.status_code == 200
    return response.get_json()["cases"]


def test_config_says_the_staff_pane_is_on(client):
    assert client.get("/api/playground/config").get_json() == {"staff_pane": True}


def test_both_sides_of_a_case(client):
    opened = _say(client, "人と話したい")
    assert "スタッフにつなぎました" in opened["replies"][0]["text"]
    last_id = opened["last_message_id"]
    (case,) = _cases(client)
    assert case["state"] == "open" and case["recent"][0]["text"] == "人と話したい"

    assert client.post(f"/api/playground/cases/{case['number']}/claim?session={SESSION}"
                       ).status_code == 200
    assert _cases(client)[0]["state"] == "claimed"
    reply = client.post(
        f"/api/playground/cases/{case['number']}/reply?session={SESSION}",
        json={"text": "担当の佐藤です。どうしましたか？\n// まず住まいを確認"},
    )
    assert reply.status_code == 200
    new = client.get(f"/api/playground/messages?session={SESSION}&after={last_id}").get_json()
    texts = [m["text"] for m in new["messages"]]
    assert texts[-1] == "担当の佐藤です。どうしましたか？"
    assert new["messages"][-1]["kind"] == "staff"

    quiet = _say(client, "家賃が払えません")
    assert quiet["replies"] == [], "the bot does not answer while a worker is on the case"
    assert client.post(f"/api/playground/cases/{case['number']}/resolve?session={SESSION}"
                       ).status_code == 200
    closing = client.get(f"/api/playground/messages?session={SESSION}&after={last_id}"
                         ).get_json()["messages"][-1]
    assert "終わり" in closing["text"]
    assert [q["postback"] for q in closing["quick_replies"]] == [
        f"a=csat&case={case['number']}&v={score}" for score in (3, 2, 1)
    ]
    assert _cases(client)[0]["state"] == "resolved"


def test_claiming_twice_is_a_clear_conflict(client):
    _say(client, "人と話したい")
    number = _cases(client)[0]["number"]
    client.post(f"/api/playground/cases/{number}/claim?session={SESSION}")
    again = client.post(f"/api/playground/cases/{number}/claim?session={SESSION}")
    assert again.status_code == 409
    assert "cannot claim" in again.get_json()["error"]


def test_another_session_cannot_see_or_touch_the_case(client):
    _say(client, "人と話したい")
    number = _cases(client)[0]["number"]
    assert _cases(client, OTHER) == []
    response = client.post(f"/api/playground/cases/{number}/claim?session={OTHER}")
    assert response.status_code == 404


def test_staff_pane_is_off_when_slack_is_configured(settings, clock):
    app = create_app(settings, clock=clock)
    try:
        client = app.test_client()
        assert client.get("/api/playground/config").get_json() == {"staff_pane": False}
        assert client.get(f"/api/playground/cases?session={SESSION}").status_code == 404
    finally:
        app.extensions["helpbot"].close()
