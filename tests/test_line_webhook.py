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


def _new_message_type(*, user_id: str, reply_token: str) -> dict:
    event = text_event("x", user_id=user_id, reply_token=reply_token)
    event["message"] = {"type": "newfancytype", "id": "1"}
    return event


def test_a_message_type_line_adds_later_gets_the_same_request_for_text(line, fake_line):
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(_new_message_type(user_id=user, reply_token=token)).status_code == 200
    line.settle()
    sticker_user = new_user_id()
    sticker_token = fake_line.issue_reply_token(user_id=sticker_user)
    line.post(sticker_event(user_id=sticker_user, reply_token=sticker_token))
    line.settle()
    (reply,) = fake_line.sent_texts(user_id=user)
    assert [reply] == fake_line.sent_texts(user_id=sticker_user)
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


def test_a_reply_refused_with_a_500_is_tried_again_with_the_same_token(line, fake_line, database):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    fake_line.fail_next(500, times=1, paths=("/v2/bot/message/reply",))
    assert line.post(text_event(entry.question, user_id=user, reply_token=token)).status_code == 200
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    assert [r.reply_token for r in fake_line.replies] == [token] and fake_line.pushes == []
    with database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "sent" and out.delivery_error is None
        assert session.scalars(select(Delivery)).all() == []


def test_a_rate_limited_reply_waits_for_retry_after_and_still_uses_the_token(
    line, fake_line, database, clock
):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    fake_line.fail_next(429, times=1, retry_after=30)
    response = line.post(text_event(entry.question, user_id=user, reply_token=token))
    assert response.status_code == 200
    line.settle()
    with database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "pending" and "429" in (out.delivery_error or "")
        assert out.text == entry.answer, "the answer is kept for the retry"
        event = session.scalars(select(WebhookEvent)).one()
        assert event.status == "pending" and event.turn is not None
    clock.advance(seconds=20)
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [], "Retry-After is honoured"
    clock.advance(seconds=15)  # 35 s after the webhook: the token is still good
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    assert len(fake_line.replies) == 1 and fake_line.pushes == []
    with database.session() as session:
        assert session.get(Message, out.id).delivery_status == "sent"
        assert session.scalars(select(WebhookEvent)).one().status == "done"
        assert _count(database, Message) == 2, "the retry resent the turn, it did not answer again"


def test_line_failing_until_the_token_expires_pushes_once_and_records_the_doubt(
    line, fake_line, database, clock
):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    fake_line.fail_next(503, times=2, paths=("/v2/bot/message/reply",))
    assert line.post(text_event(entry.question, user_id=user, reply_token=token)).status_code == 200
    line.settle()
    assert fake_line.sent_texts(user_id=user) == []
    clock.advance(minutes=2)  # LINE's reply window is over: only a push can reach the person
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    assert len(fake_line.pushes) == 1 and fake_line.replies == []
    with database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "sent"
        assert "may have arrived twice" in (out.delivery_error or "")
        event = session.scalars(select(WebhookEvent)).one()
        assert event.status == "done" and "may have arrived twice" in (event.error or "")


def test_a_push_that_fails_after_the_token_expired_is_queued_and_pushed_once(
    line, fake_line, database, clock
):
    entry = _entry("food-bank")
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    fake_line.expire_reply_token(token)
    fake_line.fail_next(500, times=1, paths=("/v2/bot/message/push",))
    line.post(text_event(entry.question, user_id=user, reply_token=token))
    line.settle()
    with database.session() as session:
        (queued,) = session.scalars(select(Delivery)).all()
        assert queued.state == "pending" and "500" in (queued.last_error or "")
        assert session.scalars(select(WebhookEvent)).one().status == "done"
    assert fake_line.sent_texts(user_id=user) == []
    clock.advance(minutes=2)
    line.settle()
    assert fake_line.sent_texts(user_id=user) == [entry.answer]
    with database.session() as session:
        assert session.scalars(select(Delivery)).one().state == "done"


def test_long_answers_are_split_within_line_limits(line, fake_line, faq_dir):
    long_answer = "\n".join(f"{i}行目: " + "あ" * 90 for i in range(160))  # ~15,000 chars
    (faq_dir / "long.yaml").write_text(
        "- id: long-one\n  question: とても長い説明のテスト項目\n  answer: |\n"
        + "".join(f"    {line_}\n" for line_ in long_answer.splitlines())
        + "  category: 暮らしの困りごと\n",
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
