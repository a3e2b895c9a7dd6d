"""POST /webhooks/line end to end: signed bodies in, replies at the fake LINE API out."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from helpbot.knowledge.loader import load_dir
from helpbot.storage.models import (
    Contact,
    Delivery,
    Message,
    UnansweredQuestion,
    WebhookEvent,
)
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import (
    callback_body,
    follow_event,
    image_event,
    location_event,
    new_user_id,
    postback_event,
    sign,
    sticker_event,
    text_event,
    unfollow_event,
    unknown_event,
)


def _entry(entry_id: str):
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == []
    return kb.by_id()[entry_id]


def _count(database, model) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("entry_id", ["food-today", "food-bank", "food-pantry"])
def test_sample_question_gets_exactly_one_reply_even_when_delivered_three_times(
    line, fake_line, database, entry_id
):
    entry = _entry(entry_id)
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    event = text_event(entry.question, user_id=user, reply_token=token)
    for attempt in range(3):
        redelivered = dict(event, deliveryContext={"isRedelivery": attempt > 0})
        assert line.post(redelivered).status_code == 200
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    assert len(fake_line.replies) == 1 and fake_line.pushes == []
    assert fake_line.violations == []
    assert _count(database, WebhookEvent) == 1


def test_forged_signature_is_rejected_and_nothing_is_stored(line, fake_line, database):
    user = new_user_id()
    event = text_event("食べ物に困っています", user_id=user, reply_token="x" * 32)
    response = line.post(event, secret="not-the-channel-secret")
    assert response.status_code == 400
    assert "signature" in response.get_json()["error"].lower()
    missing = line.post_raw(callback_body(event), signature="")
    assert missing.status_code == 400
    line.settle()
    assert _count(database, WebhookEvent) == 0
    assert _count(database, Contact) == 0
    assert fake_line.requests == []


def test_console_verification_with_no_events_is_ok(line, database):
    response = line.post()
    assert response.status_code == 200
    assert _count(database, WebhookEvent) == 0


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"destination": "U1"}', b'{"events": "nope"}', b"[1, 2]", b"\xff\xfe"],
)
def test_malformed_body_with_valid_signature_is_a_clear_400(line, database, body):
    from tests.conftest import LINE_SECRET

    response = line.post_raw(body, signature=sign(body, LINE_SECRET))
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert _count(database, WebhookEvent) == 0


def test_unknown_event_type_is_stored_ignored_and_answered_200(line, fake_line, database, caplog):
    caplog.set_level(logging.INFO)
    assert line.post(unknown_event()).status_code == 200
    line.settle()
    assert fake_line.requests == []
    with database.session() as session:
        stored = session.scalars(select(WebhookEvent)).one()
        assert stored.status == "done"
    assert "ignoring LINE event" in caplog.text


@pytest.mark.parametrize("make_event", [sticker_event, image_event, location_event])
def test_non_text_messages_get_a_short_request_for_text(line, fake_line, make_event):
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(make_event(user_id=user, reply_token=token)).status_code == 200
    line.settle()
    (reply,) = fake_line.sent_texts(user_id=user)
    assert "文字" in reply
    assert fake_line.violations == []


def test_follow_greets_with_topic_buttons_and_unfollow_marks_unreachable(
    line, fake_line, database
):
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    line.post(follow_event(user_id=user, reply_token=token))
    line.settle()
    (reply,) = fake_line.replies
    (message,) = reply.messages
    items = message["quickReply"]["items"]
    assert 1 <= len(items) <= 13
    assert all(item["action"]["type"] == "postback" for item in items)
    line.post(unfollow_event(user_id=user))
    line.settle()
    with database.session() as session:
        contact = session.scalars(select(Contact)).one()
        assert contact.reachable is False
    assert fake_line.violations == []


def test_postback_from_a_suggestion_answers_that_entry(line, fake_line):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    line.post(postback_event(f"a=answer&id={entry.id}", user_id=user, reply_token=token))
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]


def test_gibberish_gets_the_fallback_and_is_recorded_as_unanswered(line, fake_line, database):
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    line.post(text_event("zzqx vvvv 9999", user_id=user, reply_token=token))
    line.settle()
    (reply,) = fake_line.replies
    assert reply.messages[0]["quickReply"]["items"], "fallback offers topics"
    with database.session() as session:
        (gap,) = session.scalars(select(UnansweredQuestion)).all()
        assert gap.decision == "fallback"


def test_spent_reply_token_falls_back_to_push(line, fake_line):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    fake_line.expire_reply_token(token)
    line.post(text_event(entry.question, user_id=user, reply_token=token))
    line.settle()
    assert [p.to for p in fake_line.pushes] == [user]
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    assert fake_line.pushes[0].retry_key


@pytest.mark.parametrize("status", [500, 429])
def test_line_api_failure_is_recorded_never_a_5xx_and_retried_by_push(
    line, fake_line, database, clock, status
):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    # One failure (the reply); the retry by push, later, goes through.
    fake_line.fail_next(status, times=1, retry_after=30 if status == 429 else None)
    response = line.post(text_event(entry.question, user_id=user, reply_token=token))
    assert response.status_code == 200
    line.settle()
    with database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "pending"
        assert str(status) in (out.delivery_error or "")
        assert out.text == entry.answer, "the answer is kept for a later retry"
        event = session.scalars(select(WebhookEvent)).one()
        assert event.status == "done"
        (queued,) = session.scalars(select(Delivery)).all()
        assert queued.state == "scheduled" and queued.message_id == out.id
    assert fake_line.sent_texts(user_id=user) == []
    if status == 429:
        clock.advance(seconds=20)
        line.settle()
        assert fake_line.sent_texts(user_id=user) == [], "Retry-After is honoured"
    clock.advance(minutes=2)
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    assert len(fake_line.pushes) == 1
    with database.session() as session:
        assert session.get(Message, out.id).delivery_status == "sent"


def test_long_answers_are_split_within_line_limits(line, fake_line, faq_dir):
    long_answer = "\n".join(f"{i}行目: " + "あ" * 90 for i in range(160))  # ~15,000 chars
    (faq_dir / "long.yaml").write_text(
        "- id: long-one\n  question: とても長い説明のテスト項目\n  answer: |\n"
        + "".join(f"    {line_}\n" for line_ in long_answer.splitlines())
        + "  category: テスト\n",
        encoding="utf-8",
    )
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    line.post(postback_event("a=answer&id=long-one", user_id=user, reply_token=token))
    line.settle()
    assert fake_line.violations == []
    texts = fake_line.sent_texts(user_id=user)
    assert len(texts) >= 3
    assert all(len(t) <= 5000 for t in texts)
    assert "\n".join(texts) == long_answer


def test_logs_carry_no_message_text_or_user_id(line, fake_line, caplog):
    caplog.set_level(logging.DEBUG)
    user = new_user_id()
    secret_text = "借金が300万円あって家賃も払えない"
    token = fake_line.issue_reply_token(user_id=user)
    line.post(text_event(secret_text, user_id=user, reply_token=token))
    line.settle()
    assert fake_line.sent_texts(user_id=user)
    assert user not in caplog.text
    assert secret_text not in caplog.text
    assert "u-" in caplog.text


def test_without_line_credentials_the_webhook_answers_503(settings, tmp_path):
    from helpbot.app import create_app

    app = create_app(
        settings.with_overrides(line_channel_secret=None, line_channel_access_token=None)
    )
    try:
        body = json.dumps({"destination": "U0", "events": []}).encode()
        response = app.test_client().post(
            "/webhooks/line", data=body, headers={"X-Line-Signature": "x"}
        )
        assert response.status_code == 503
        assert "LINE_CHANNEL_SECRET" in response.get_json()["error"]
        assert app.test_client().get("/").status_code == 200
    finally:
        app.extensions["helpbot"].close()


def test_database_errors_do_not_carry_message_texts_into_logs(database):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    secret_text = "借金が300万円あって家賃も払えない"
    with pytest.raises(DBAPIError) as caught, database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": secret_text}
        )
    assert secret_text not in str(caught.value)
