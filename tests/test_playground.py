"""The playground page and its JSON channel: try the bot without LINE."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpbot.storage.models import Contact, Message

SESSION = "pg-test-session-1"


def test_page_is_served(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"helpbot playground" in response.data


def test_food_question_gets_a_useful_answer(client, database):
    response = client.post(
        "/api/playground/messages", json={"session": SESSION, "text": "食べ物に困っています"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["decision"] in {"answer", "suggest"}
    if body["decision"] == "answer":
        assert body["entry_id"].startswith("food")
    else:
        labels = [q["postback"] for q in body["replies"][0]["quick_replies"]]
        assert any("food" in p for p in labels)
    with database.session() as session:
        contact = session.scalars(select(Contact)).one()
        assert (contact.channel, contact.channel_user_id) == ("web", SESSION)
        directions = [m.direction for m in session.scalars(select(Message).order_by(Message.id))]
        assert directions == ["in", "out"]


def test_follow_then_category_then_entry(client):
    greeting = client.post(
        "/api/playground/messages", json={"session": SESSION, "event": "follow"}
    ).get_json()
    topics = greeting["replies"][0]["quick_replies"]
    assert topics
    listing = client.post(
        "/api/playground/messages", json={"session": SESSION, "postback": topics[0]["postback"]}
    ).get_json()
    entries = listing["replies"][0]["quick_replies"]
    assert entries and all(len(q["label"]) <= 20 for q in entries)
    answer = client.post(
        "/api/playground/messages", json={"session": SESSION, "postback": entries[0]["postback"]}
    ).get_json()
    assert answer["decision"] == "answer"
    assert answer["replies"][0]["text"]


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({}, 415),
        ({"data": "hi", "content_type": "text/plain"}, 415),
        ({"json": None}, 415),
        ({"json": ["text", "hi"]}, 400),
        ({"json": {"session": "x", "text": "hi"}}, 400),
        ({"json": {"session": SESSION}}, 400),
        ({"json": {"session": SESSION, "text": "   "}}, 400),
        ({"json": {"session": SESSION, "text": "あ" * 2001}}, 400),
        ({"json": {"session": SESSION, "text": "あ" * 9000}}, 413),
    ],
)
def test_bad_requests_get_a_clear_error(client, request_kwargs, status):
    response = client.post("/api/playground/messages", **request_kwargs)
    assert response.status_code == status
    assert response.get_json()["error"]
