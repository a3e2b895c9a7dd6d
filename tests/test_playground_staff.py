"""Without Slack, the playground's staff pane plays the case worker's side."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from helpbot.app import create_app

MESSAGES = "/api/playground/messages"


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


def _say(client, text: str) -> dict:
    """Say something as the browser does: the session travels in the cookie it was given."""
    response = client.post(MESSAGES, json={"text": text})
    assert response.status_code == 200
    return response.get_json()


def _cases(client) -> list[dict]:
    response = client.get("/api/playground/cases")
    assert response.status_code == 200
    return response.get_json()["cases"]


def _act(client, number: int, action: str, **kwargs):
    return client.post(f"/api/playground/cases/{number}/{action}", **kwargs)


def test_config_says_the_staff_pane_is_on(client):
    assert client.get("/api/playground/config").get_json() == {"staff_pane": True}


def test_both_sides_of_a_case(client):
    opened = _say(client, "人と話したい")
    assert "スタッフにつなぎました" in opened["replies"][0]["text"]
    last_id = opened["last_message_id"]
    (case,) = _cases(client)
    assert case["state"] == "open" and case["recent"][0]["text"] == "人と話したい"

    assert _act(client, case["number"], "claim").status_code == 200
    assert _cases(client)[0]["state"] == "claimed"
    reply = _act(client, case["number"], "reply",
                 json={"text": "担当の佐藤です。どうしましたか？\n// まず住まいを確認"})
    assert reply.status_code == 200
    new = client.get(f"{MESSAGES}?after={last_id}").get_json()
    texts = [m["text"] for m in new["messages"]]
    assert texts[-1] == "担当の佐藤です。どうしましたか？"
    assert new["messages"][-1]["kind"] == "staff"

    quiet = _say(client, "家賃が払えません")
    assert quiet["replies"] == [], "the bot does not answer while a worker is on the case"
    assert _act(client, case["number"], "resolve").status_code == 200
    closing = client.get(f"{MESSAGES}?after={last_id}").get_json()["messages"][-1]
    assert "終わり" in closing["text"]
    assert [q["postback"] for q in closing["quick_replies"]] == [
        f"a=csat&case={case['number']}&v={score}" for score in (3, 2, 1)
    ]
    assert _cases(client)[0]["state"] == "resolved"


def test_a_reply_to_a_resolved_case_reopens_it_for_the_pane(client, clock):
    _say(client, "人と話したい")
    number = _cases(client)[0]["number"]
    _act(client, number, "resolve")
    clock.advance(days=2)
    assert _act(client, number, "reply", json={"text": "その後いかがですか"}).status_code == 200
    case = _cases(client)[0]
    assert (case["state"], case["state_text"]) == ("claimed", "対応中（担当: あなた）")
    assert _say(client, "大丈夫です")["replies"] == [], "the answer goes to the worker"


def test_claiming_twice_is_a_clear_conflict(client):
    _say(client, "人と話したい")
    number = _cases(client)[0]["number"]
    _act(client, number, "claim")
    again = _act(client, number, "claim")
    assert again.status_code == 409
    assert "cannot claim" in again.get_json()["error"]


def test_another_session_cannot_see_or_touch_the_case(app, client):
    _say(client, "人と話したい")
    number = _cases(client)[0]["number"]
    other = app.test_client()  # another browser, with its own cookie
    _say(other, "こんにちは")
    assert _cases(other) == []
    assert _act(other, number, "claim").status_code == 404
    assert _cases(client)[0]["state"] == "open"


def test_the_old_query_parameter_still_names_a_session(client):
    said = client.post(MESSAGES, json={"session": "pg-staff-session-1", "text": "人と話したい"})
    assert said.status_code == 200 and "Set-Cookie" not in said.headers
    (case,) = client.get("/api/playground/cases?session=pg-staff-session-1").get_json()["cases"]
    claim = client.post(f"/api/playground/cases/{case['number']}/claim?session=pg-staff-session-1")
    assert claim.status_code == 200


def test_staff_pane_is_off_when_slack_is_configured(settings, clock):
    app = create_app(settings, clock=clock)
    try:
        client = app.test_client()
        assert client.get("/api/playground/config").get_json() == {"staff_pane": False}
        _say(client, "人と話したい")
        assert client.get("/api/playground/cases").status_code == 404
    finally:
        app.extensions["helpbot"].close()


def test_the_pane_keeps_crisis_yaml_hotlines_visible_and_masks_the_persons_number(client):
    _say(client, "人と話したい")
    _say(client, "DV相談＋の0120-279-889につながりません。私は090-1234-5678です")
    (case,) = _cases(client)
    person, bot = [m["text"] for m in case["recent"] if "0120-279-889" in m["text"]
                   or "[電話番号]" in m["text"]]
    # A hotline of crisis.yaml is public (faq/README.md), in the person's words and the bot's
    # crisis reply alike; the person's own number is still masked.
    assert "DV相談＋の0120-279-889につながりません" in person
    assert "090-1234-5678" not in person and "私は[電話番号]です" in person
    assert "0120-279-889" in bot and "[電話番号]" not in bot
