"""Signed Slack request builders, checked against slack_sdk's verifier and slack_bolt."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import (
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    WEBHOOK_PATH,
    SlackRequest,
    block_action,
    event_callback,
    message_event,
    new_trigger_id,
    retry_headers,
    sign_slack,
    slash_command,
    url_verification,
    view_submission,
)

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "xoxb-test-token"
CHANNEL = "C0CASES01"
TS = "1732700000.000100"


def all_requests() -> dict[str, SlackRequest]:
    return {
        "url_verification": url_verification("abc", signing_secret=SECRET),
        "event_callback": event_callback(
            message_event("help me", channel=CHANNEL, user="U0WORKER1", ts=TS),
            signing_secret=SECRET,
        ),
        "block_action": block_action(
            "take_case",
            "case:7",
            user_id="U0WORKER1",
            user_name="sato",
            channel_id=CHANNEL,
            message_ts=TS,
            signing_secret=SECRET,
        ),
        "view_submission": view_submission(
            "note",
            {"note": {"note_input": "called back"}},
            user_id="U0WORKER1",
            signing_secret=SECRET,
        ),
        "slash_command": slash_command(
            "/helpbot", "status 7", user_id="U0WORKER1", channel_id=CHANNEL, signing_secret=SECRET
        ),
    }


def verify(req: SlackRequest, secret: str = SECRET) -> bool:
    return SignatureVerifier(secret).is_valid(req.body, req.timestamp, req.signature)


def bolt_request(req: SlackRequest) -> BoltRequest:
    return BoltRequest(body=req.text, headers=req.headers)


# -- signing ---------------------------------------------------------------------------------------
def test_sign_slack_matches_slack_sdk() -> None:
    body = b'{"type":"url_verification"}'
    headers = sign_slack(body, SECRET, timestamp=1732700000)
    assert headers["X-Slack-Request-Timestamp"] == "1732700000"
    expected = SignatureVerifier(SECRET).generate_signature(timestamp="1732700000", body=body)
    assert headers["X-Slack-Signature"] == expected
    assert headers["X-Slack-Signature"].startswith("v0=") and len(expected or "") == 3 + 64
    now = sign_slack("x", SECRET)
    assert abs(int(now["X-Slack-Request-Timestamp"]) - time.time()) < 5


@pytest.mark.parametrize("kind", list(all_requests()))
def test_builders_are_signed_and_variants_are_rejected(kind: str) -> None:
    req = all_requests()[kind]
    assert verify(req)
    assert SignatureVerifier(SECRET).is_valid_request(req.body, req.headers)
    assert req.headers["Content-Type"] == req.content_type
    assert req.path == WEBHOOK_PATH
    assert not verify(req, "another-secret")
    assert not verify(req.forged())
    assert not verify(req.stale())  # 10 minutes old
    assert not verify(req.stale(age_seconds=301))
    assert verify(req.stale(age_seconds=200))  # within Slack's 5 minutes
    assert not verify(req.tampered(req.body + b" "))
    assert not SignatureVerifier(SECRET).is_valid_request(req.body, req.without_signature().headers)
    assert verify(req.signed("rotated-secret"), "rotated-secret")
    retried = req.with_retry(2, "http_error")
    assert verify(retried)
    assert retried.headers["X-Slack-Retry-Num"] == "2"
    assert retried.headers["X-Slack-Retry-Reason"] == "http_error"
    assert retried.body == req.body


def test_explicit_timestamp() -> None:
    old = url_verification("c", signing_secret=SECRET, timestamp=time.time() - 3600)
    assert not verify(old)
    assert verify(old.signed(timestamp=time.time()))


def test_retry_headers() -> None:
    assert retry_headers(1) == {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


# -- shapes, as bolt reads them --------------------------------------------------------------------
def test_url_verification_shape() -> None:
    req = all_requests()["url_verification"]
    assert req.content_type == JSON_CONTENT_TYPE
    body = bolt_request(req).body
    assert body["type"] == "url_verification" and body["challenge"] == "abc"


def test_event_callback_shape() -> None:
    req = event_callback(
        message_event(
            "hi", channel=CHANNEL, user="U0WORKER1", ts=TS, thread_ts="1732600000.000100"
        ),
        event_id="Ev0TEST0001",
        signing_secret=SECRET,
    )
    assert req.content_type == JSON_CONTENT_TYPE
    body = bolt_request(req).body
    assert body["type"] == "event_callback"
    assert body["event_id"] == "Ev0TEST0001"
    assert isinstance(body["event_time"], int)
    assert body["team_id"] == "T0000TEST" and body["api_app_id"] == "A0000TEST"
    assert body["authorizations"][0]["user_id"] == "UBOT00001"
    event = body["event"]
    assert event["type"] == "message" and event["text"] == "hi"
    assert (event["channel"], event["user"], event["ts"]) == (CHANNEL, "U0WORKER1", TS)
    assert event["thread_ts"] == "1732600000.000100"
    assert "client_msg_id" in event and "bot_id" not in event and "subtype" not in event
    assert req.data() == body


def test_message_event_variants() -> None:
    bot = message_event("echo", channel=CHANNEL, user="UBOT00001", ts=TS, bot_id="B0000BOT1")
    assert bot["bot_id"] == "B0000BOT1" and "client_msg_id" not in bot
    changed = message_event("x", channel=CHANNEL, user="U1", ts=TS, subtype="message_changed")
    assert changed["subtype"] == "message_changed"
    generated = message_event("x", channel=CHANNEL, user="U1")
    assert generated["ts"] == generated["event_ts"]
    assert len(generated["ts"].split(".")[1]) == 6


def test_block_action_shape() -> None:
    req = block_action(
        "take_case",
        "case:7",
        user_id="U0WORKER1",
        user_name="sato",
        channel_id=CHANNEL,
        message_ts=TS,
        trigger_id="111.222.abc",
        block_id="case_7",
        response_url="http://127.0.0.1:1/actions/T/1/x",
        signing_secret=SECRET,
    )
    assert req.content_type == FORM_CONTENT_TYPE
    assert set(req.form()) == {"payload"}
    body = bolt_request(req).body
    assert body["type"] == "block_actions"
    assert body["user"]["id"] == "U0WORKER1" and body["user"]["username"] == "sato"
    assert body["container"] == {
        "type": "message",
        "message_ts": TS,
        "channel_id": CHANNEL,
        "is_ephemeral": False,
    }
    assert body["channel"]["id"] == CHANNEL
    assert body["message"]["ts"] == TS
    assert body["trigger_id"] == "111.222.abc"
    assert body["response_url"] == "http://127.0.0.1:1/actions/T/1/x"
    [action] = body["actions"]
    assert action["action_id"] == "take_case" and action["value"] == "case:7"
    assert action["block_id"] == "case_7" and action["type"] == "button"
    assert action["action_ts"]
    assert req.data() == body


def test_view_submission_shape() -> None:
    req = view_submission(
        "note",
        {"note": {"note_input": "called back"}, "when": {"pick": {"type": "datepicker"}}},
        user_id="U0WORKER1",
        private_metadata='{"case": 7}',
        signing_secret=SECRET,
    )
    body = bolt_request(req).body
    assert body["type"] == "view_submission"
    view = body["view"]
    assert view["callback_id"] == "note" and view["private_metadata"] == '{"case": 7}'
    assert view["state"]["values"]["note"]["note_input"] == {
        "type": "plain_text_input",
        "value": "called back",
    }
    assert view["state"]["values"]["when"]["pick"] == {"type": "datepicker"}
    assert body["user"]["id"] == "U0WORKER1"


def test_slash_command_shape() -> None:
    req = all_requests()["slash_command"]
    assert req.content_type == FORM_CONTENT_TYPE
    body = bolt_request(req).body
    assert body["command"] == "/helpbot" and body["text"] == "status 7"
    assert body["user_id"] == "U0WORKER1" and body["channel_id"] == CHANNEL
    assert body["trigger_id"] and body["response_url"].startswith("https://hooks.slack.com/")
    assert req.data() == body


# -- end to end: a real bolt App whose WebClient talks to FakeSlackApi -----------------------------
@pytest.fixture
def fake() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(TOKEN) as server:
        yield server


@pytest.fixture
def bolt_app(fake: FakeSlackApi) -> App:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=TOKEN, base_url=fake.api_url),
        process_before_response=True,
    )

    @app.action("take_case")
    def take(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["container"]["message_ts"],
            text=f"Taken by <@{body['user']['id']}>",
        )
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "note",
                "title": {"type": "plain_text", "text": "Note"},
                "blocks": [section_block("ok")],
            },
        )

    @app.view("note")
    def note(ack: Any, view: dict[str, Any]) -> None:
        ack()
        text = view["state"]["values"]["note"]["note_input"]["value"]
        app.client.chat_postMessage(channel=CHANNEL, text=f"note: {text}")

    @app.command("/helpbot")
    def command(ack: Any, command: dict[str, Any]) -> None:
        ack(text=f"got {command['text']}")

    @app.event("message")
    def on_message(event: dict[str, Any], say: Any) -> None:
        if event.get("bot_id"):
            return
        say(text=f"echo: {event['text']}", thread_ts=event["ts"])

    return app


def section_block(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_bolt_app_handles_built_requests(fake: FakeSlackApi, bolt_app: App) -> None:
    posted = fake_post(fake, "New case")
    response = bolt_app.dispatch(
        bolt_request(
            block_action(
                "take_case",
                "case:7",
                user_id="U0WORKER1",
                channel_id=CHANNEL,
                message_ts=posted,
                trigger_id=new_trigger_id(),
                signing_secret=SECRET,
            )
        )
    )
    assert response.status == 200
    assert fake.message(CHANNEL, posted).text == "Taken by <@U0WORKER1>"  # type: ignore[union-attr]
    assert [v.callback_id for v in fake.views] == ["note"]

    response = bolt_app.dispatch(
        bolt_request(
            view_submission(
                "note", {"note": {"note_input": "called"}}, user_id="U0W", signing_secret=SECRET
            )
        )
    )
    assert response.status == 200
    assert fake.texts(CHANNEL)[-1] == "note: called"

    response = bolt_app.dispatch(bolt_request(all_requests()["slash_command"]))
    assert response.status == 200 and response.body == "got status 7"  # bolt: text-only ack

    event = message_event("hello", channel=CHANNEL, user="U0WORKER1", ts=TS)
    response = bolt_app.dispatch(bolt_request(event_callback(event, signing_secret=SECRET)))
    assert response.status == 200
    assert [m.text for m in fake.thread(CHANNEL, TS)] == ["echo: hello"]

    response = bolt_app.dispatch(bolt_request(all_requests()["url_verification"]))
    assert response.status == 200 and json.loads(response.body) == {"challenge": "abc"}
    assert fake.violations == []


@pytest.mark.parametrize("variant", ["forged", "stale", "without_signature"])
def test_bolt_app_rejects_bad_signatures(fake: FakeSlackApi, bolt_app: App, variant: str) -> None:
    req = getattr(all_requests()["slash_command"], variant)()
    assert bolt_app.dispatch(bolt_request(req)).status == 401


def fake_post(fake: FakeSlackApi, text: str) -> str:
    return WebClient(token=TOKEN, base_url=fake.api_url).chat_postMessage(
        channel=CHANNEL, text=text
    )["ts"]


# -- Flask's test client sends the bytes and headers unchanged -------------------------------------
def test_post_kwargs_with_flask_test_client() -> None:
    app = Flask(__name__)
    verifier = SignatureVerifier(SECRET)

    @app.post(WEBHOOK_PATH)
    def webhook() -> tuple[dict[str, Any], int]:
        ok = verifier.is_valid_request(request.get_data(), dict(request.headers))
        return {
            "ok": ok,
            "content_type": request.mimetype,
            "retry": request.headers.get("X-Slack-Retry-Num"),
        }, 200 if ok else 401

    client = app.test_client()
    for req in all_requests().values():
        response = client.post(req.path, **req.post_kwargs())
        assert response.status_code == 200, req.content_type
        assert response.json["content_type"] == req.content_type  # type: ignore[index]
    req = all_requests()["event_callback"]
    assert client.post(req.path, **req.forged().post_kwargs()).status_code == 401
    assert client.post(req.path, **req.stale().post_kwargs()).status_code == 401
    retried = client.post(req.path, **req.with_retry(1).post_kwargs())
    assert retried.json["retry"] == "1"  # type: ignore[index]
