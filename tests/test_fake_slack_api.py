"""The fake Slack Web API, driven through the real slack_sdk WebClient over real HTTP."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from tests.fakes.slack_api import FakeSlackApi, check_blocks
from tests.fakes.slack_requests import new_trigger_id

TOKEN = "xoxb-test-token"
CHANNEL = "C0CASES01"
TS = re.compile(r"^\d{10}\.\d{6}$")


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(action_id: str, label: str = "OK", value: str = "v") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }


def modal(**overrides: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "note",
        "title": {"type": "plain_text", "text": "Add a note"},
        "submit": {"type": "plain_text", "text": "Save"},
        "private_metadata": json.dumps({"case": 7}),
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "Note"},
                "element": {"type": "plain_text_input", "action_id": "note_input"},
            }
        ],
    }
    view.update(overrides)
    return view


@pytest.fixture
def fake() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(TOKEN) as server:
        yield server


@pytest.fixture
def client(fake: FakeSlackApi) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.api_url)


def api_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call()
    return info.value


# -- URL building, auth --------------------------------------------------------------------------
def test_base_url_must_include_api_path(fake: FakeSlackApi) -> None:
    assert fake.api_url == fake.base_url + "/api/"
    assert WebClient(token=TOKEN, base_url=fake.api_url).auth_test()["ok"] is True
    assert fake.requests[-1].path == "/api/auth.test"
    # WebClient appends the missing trailing slash itself
    no_slash = WebClient(token=TOKEN, base_url=fake.base_url + "/api")
    assert no_slash.base_url == fake.api_url
    assert no_slash.auth_test()["ok"] is True
    assert fake.violations == []

    bad = WebClient(token=TOKEN, base_url=fake.base_url)  # forgot "/api/"
    err = api_error(bad.auth_test)
    assert err.response.status_code == 404
    assert fake.requests[-1].path == "/auth.test"
    assert "FakeSlackApi.api_url" in fake.violations[0]


def test_auth_test(fake: FakeSlackApi, client: WebClient) -> None:
    response = client.auth_test()
    assert response["user_id"] == "UBOT00001"
    assert response["team_id"] == "T0000TEST"
    assert response["bot_id"].startswith("B")
    assert response["user"] == "helpbot"
    recorded = fake.requests[0]
    assert recorded.api_method == "auth.test"
    assert recorded.http_method == "POST"
    assert recorded.headers["authorization"] == f"Bearer {TOKEN}"
    assert recorded.content_type == "application/x-www-form-urlencoded"
    assert recorded.status == 200 and recorded.ok


def test_wrong_or_missing_token(fake: FakeSlackApi) -> None:
    err = api_error(WebClient(token="xoxb-wrong", base_url=fake.api_url).auth_test)
    assert err.response.status_code == 200
    assert err.response["error"] == "invalid_auth"
    err = api_error(WebClient(base_url=fake.api_url).auth_test)
    assert err.response["error"] == "not_authed"
    assert len(fake.violations) == 2


def test_token_in_form_body_is_accepted(fake: FakeSlackApi) -> None:
    client = WebClient(base_url=fake.api_url)
    assert client.api_call("auth.test", data={"token": TOKEN})["ok"] is True


def test_unknown_method(fake: FakeSlackApi, client: WebClient) -> None:
    err = api_error(lambda: client.api_call("reactions.add", json={"name": "eyes"}))
    assert err.response["error"] == "unknown_method"
    assert fake.violations == ["reactions.add: unknown_method: reactions.add is not implemented"]


# -- chat.postMessage -----------------------------------------------------------------------------
def test_post_message_json_body(fake: FakeSlackApi, client: WebClient) -> None:
    blocks = [section("*New case*"), {"type": "actions", "elements": [button("take")]}]
    response = client.chat_postMessage(channel=CHANNEL, text="New case", blocks=blocks)
    assert response["ok"] is True
    assert response["channel"] == CHANNEL
    assert TS.match(response["ts"])
    assert response["message"]["text"] == "New case"
    assert response["message"]["blocks"] == blocks
    assert response["message"]["bot_id"] == fake.bot_id

    recorded = fake.calls("chat.postMessage")[0]
    assert recorded.content_type == "application/json;charset=utf-8"
    assert recorded.params["blocks"] == blocks

    [message] = fake.messages(CHANNEL)
    assert (message.channel, message.ts, message.text) == (CHANNEL, response["ts"], "New case")
    assert message.blocks == blocks
    assert message.thread_ts is None and message.updated == 0
    assert message.action_ids() == ["take"]
    assert fake.violations == []


def test_post_message_form_body_with_blocks_as_json_string(
    fake: FakeSlackApi, client: WebClient
) -> None:
    blocks = [section("hello")]
    response = client.api_call(
        "chat.postMessage",
        data={"channel": CHANNEL, "text": "hello", "blocks": json.dumps(blocks)},
    )
    assert response["ok"] is True
    assert fake.requests[-1].content_type == "application/x-www-form-urlencoded"
    assert fake.messages()[0].blocks == blocks


def test_ts_unique_and_increasing_even_with_frozen_clock() -> None:
    with FakeSlackApi(TOKEN, clock=lambda: 1732700000.0) as fake:
        client = WebClient(token=TOKEN, base_url=fake.api_url)
        stamps = [client.chat_postMessage(channel=CHANNEL, text=str(i))["ts"] for i in range(3)]
    assert stamps == ["1732700000.000000", "1732700000.000100", "1732700000.000200"]


def test_concurrent_posts_get_distinct_ts(fake: FakeSlackApi, client: WebClient) -> None:
    def post(i: int) -> None:
        client.chat_postMessage(channel=CHANNEL, text=f"m{i}")

    threads = [threading.Thread(target=post, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps = [m.ts for m in fake.messages(CHANNEL)]
    assert len(set(stamps)) == 10
    assert stamps == sorted(stamps)


def test_thread_replies(fake: FakeSlackApi, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="case #1")["ts"]
    first = client.chat_postMessage(channel=CHANNEL, text="reply 1", thread_ts=parent)
    client.chat_postMessage(channel=CHANNEL, text="reply 2", thread_ts=parent, reply_broadcast=True)
    client.chat_postMessage(channel="C0OTHER01", text="elsewhere")
    assert first["message"]["thread_ts"] == parent
    replies = fake.thread(CHANNEL, parent)
    assert [r.text for r in replies] == ["reply 1", "reply 2"]
    assert [r.reply_broadcast for r in replies] == [False, True]
    assert all(r.is_reply for r in replies)
    assert [m.text for m in fake.messages(CHANNEL)] == ["case #1", "reply 1", "reply 2"]
    assert len(fake.messages()) == 4


def test_thread_under_a_seeded_human_message(fake: FakeSlackApi, client: WebClient) -> None:
    human = fake.add_message(CHANNEL, "can someone take this?", user="U0HUMAN01")
    client.chat_postMessage(channel=CHANNEL, text="on it", thread_ts=human.ts)
    assert [m.text for m in fake.thread(CHANNEL, human.ts)] == ["on it"]
    # an unknown parent is accepted (it may only have reached the app as an event)
    client.chat_postMessage(channel=CHANNEL, text="x", thread_ts="1700000000.000100")
    err = api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="x", thread_ts="abc"))
    assert err.response["error"] == "invalid_thread_ts"


def test_post_message_requires_channel_and_text(fake: FakeSlackApi, client: WebClient) -> None:
    # api_call directly: chat_postMessage() without text emits slack_sdk's UserWarning
    err = api_error(lambda: client.api_call("chat.postMessage", json={"channel": CHANNEL}))
    assert err.response["error"] == "no_text"
    err = api_error(lambda: client.api_call("chat.postMessage", json={"text": "hi"}))
    assert err.response["error"] == "channel_not_found"
    assert len(fake.violations) == 2
    assert fake.messages() == []


def test_blocks_without_text_warns_in_slack_sdk(fake: FakeSlackApi, client: WebClient) -> None:
    with pytest.warns(UserWarning, match="top-level `text` argument is missing"):
        client.chat_postMessage(channel=CHANNEL, blocks=[section("only blocks")])
    assert fake.messages()[0].text == ""


def test_message_too_long(fake: FakeSlackApi, client: WebClient) -> None:
    err = api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="x" * 40001))
    assert err.response["error"] == "msg_too_long"


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        ([section("x")] * 51, "no more than 50"),
        ([{"type": "carousel"}], "unknown block type"),
        (["section"], "block must be an object"),
        ([section("x" * 3001)], "less than 3001"),
        ([{"type": "section"}], "section needs text or fields"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "plain_text"),
        ([{"type": "actions", "elements": [button(f"b{i}") for i in range(26)]}], "1..25"),
        ([{"type": "actions", "elements": []}], "1..25"),
        (
            [{"type": "actions", "elements": [{**button("b"), "action_id": None}]}],
            "needs an action_id",
        ),
        ([{"type": "actions", "elements": [button("a" * 256)]}], "action_id must be"),
        ([{"type": "actions", "elements": [button("b", label="L" * 76)]}], "less than 76"),
        ([{"type": "actions", "elements": [button("b", value="v" * 2001)]}], "value must be"),
        (
            [
                {
                    "type": "actions",
                    "elements": [{**button("b"), "text": {"type": "mrkdwn", "text": "*b*"}}],
                }
            ],
            "plain_text",
        ),
        ([{"type": "actions", "elements": [button("b"), button("b")]}], "duplicate action_id"),
        ([{**section("a"), "block_id": "x"}, {**section("b"), "block_id": "x"}], "duplicate"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "fields"),
    ],
)
def test_invalid_blocks(
    fake: FakeSlackApi, client: WebClient, blocks: list[Any], fragment: str
) -> None:
    err = api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="t", blocks=blocks))
    assert err.response["error"] == "invalid_blocks"
    assert any(fragment in m for m in err.response["response_metadata"]["messages"])
    assert fake.violations and all("invalid_blocks" in v for v in fake.violations)
    assert any(fragment in v for v in fake.violations)
    assert fake.messages() == []


def test_valid_block_kit_variety_passes() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Case #7", "emoji": True}},
        section("x" * 3000),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*a*"}] * 10},
        {**section("with button"), "accessory": button("open", "Open", "v" * 2000)},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "from LINE"}]},
        {"type": "actions", "elements": [button(f"b{i}", "L" * 75) for i in range(25)]},
        {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": "t"}]}
            ],
        },
    ]
    assert check_blocks(blocks) == []
    assert check_blocks([section("x")] * 50) == []


def test_invalid_blocks_format_in_form(fake: FakeSlackApi, client: WebClient) -> None:
    err = api_error(
        lambda: client.api_call(
            "chat.postMessage", data={"channel": CHANNEL, "text": "t", "blocks": "[not json"}
        )
    )
    assert err.response["error"] == "invalid_blocks_format"


# -- chat.update / chat.delete / chat.postEphemeral ----------------------------------------------
def test_update_message(fake: FakeSlackApi, client: WebClient) -> None:
    ts = client.chat_postMessage(
        channel=CHANNEL,
        text="New case",
        blocks=[section("New"), {"type": "actions", "elements": [button("take")]}],
    )["ts"]
    response = client.chat_update(channel=CHANNEL, ts=ts, text="Taken by Sato", blocks=[])
    assert response["ok"] is True and response["ts"] == ts
    assert response["text"] == "Taken by Sato"
    [message] = fake.messages()
    assert message.text == "Taken by Sato"
    assert message.blocks is None
    assert message.updated == 1
    [update] = fake.updates
    assert (update.channel, update.ts, update.text) == (CHANNEL, ts, "Taken by Sato")
    client.chat_update(channel=CHANNEL, ts=ts, text="closed", blocks=[section("closed")])
    assert fake.message(CHANNEL, ts).updated == 2  # type: ignore[union-attr]
    assert fake.message(CHANNEL, ts).blocks == [section("closed")]  # type: ignore[union-attr]
    assert fake.violations == []


def test_update_unknown_or_foreign_message(fake: FakeSlackApi, client: WebClient) -> None:
    err = api_error(lambda: client.chat_update(channel=CHANNEL, ts="1700000000.000100", text="x"))
    assert err.response["error"] == "message_not_found"
    human = fake.add_message(CHANNEL, "mine", user="U0HUMAN01")
    err = api_error(lambda: client.chat_update(channel=CHANNEL, ts=human.ts, text="x"))
    assert err.response["error"] == "cant_update_message"
    assert fake.updates == []
    assert fake.violations == []


def test_delete_message(fake: FakeSlackApi, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="oops")["ts"]
    assert client.chat_delete(channel=CHANNEL, ts=ts)["ok"] is True
    assert fake.messages() == []
    assert [m.text for m in fake.deletions] == ["oops"]
    err = api_error(lambda: client.chat_delete(channel=CHANNEL, ts=ts))
    assert err.response["error"] == "message_not_found"


def test_post_ephemeral(fake: FakeSlackApi, client: WebClient) -> None:
    response = client.chat_postEphemeral(channel=CHANNEL, user="U0WORKER1", text="only you")
    assert response["ok"] is True and TS.match(response["message_ts"])
    [eph] = fake.ephemerals
    assert (eph.channel, eph.user, eph.text, eph.message_ts) == (
        CHANNEL,
        "U0WORKER1",
        "only you",
        response["message_ts"],
    )
    assert fake.messages() == []  # ephemeral messages are not channel history
    err = api_error(lambda: client.api_call("chat.postEphemeral", json={"channel": CHANNEL}))
    assert err.response["error"] == "user_not_found"


# -- users.info / conversations.info --------------------------------------------------------------
def test_users_info(fake: FakeSlackApi, client: WebClient) -> None:
    fake.add_user("U0WORKER1", "sato", "佐藤")
    response = client.users_info(user="U0WORKER1")
    user = response["user"]
    assert user["id"] == "U0WORKER1" and user["name"] == "sato"
    assert user["real_name"] == "佐藤"
    assert user["profile"]["display_name"] == "佐藤"
    assert user["profile"]["real_name"] == "佐藤"
    assert fake.requests[-1].params["user"] == "U0WORKER1"
    assert client.users_info(user=fake.bot_user_id)["user"]["is_bot"] is True
    err = api_error(lambda: client.users_info(user="U0NOBODY1"))
    assert err.response["error"] == "user_not_found"
    assert fake.violations == []


def test_conversations_info(fake: FakeSlackApi, client: WebClient) -> None:
    fake.add_channel(CHANNEL, "helpbot-cases")
    assert client.conversations_info(channel=CHANNEL)["channel"]["name"] == "helpbot-cases"
    assert client.conversations_info(channel="C0ANY0001")["channel"]["id"] == "C0ANY0001"
    err = api_error(lambda: client.conversations_info(channel="nope"))
    assert err.response["error"] == "channel_not_found"


# -- views.open ------------------------------------------------------------------------------------
def test_views_open(fake: FakeSlackApi, client: WebClient) -> None:
    trigger = new_trigger_id()
    response = client.views_open(trigger_id=trigger, view=modal())
    view = response["view"]
    assert view["id"].startswith("V") and view["type"] == "modal"
    assert view["callback_id"] == "note"
    assert json.loads(view["private_metadata"]) == {"case": 7}
    [opened] = fake.views
    assert opened.trigger_id == trigger and opened.view_id == view["id"]
    assert opened.callback_id == "note"
    assert fake.requests[-1].content_type == "application/json;charset=utf-8"
    # trigger ids are single use
    err = api_error(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert err.response["error"] == "exchanged_trigger_id"
    assert fake.violations == []


def test_views_open_trigger_errors(fake: FakeSlackApi, client: WebClient) -> None:
    expired = new_trigger_id()
    fake.expire_trigger_id(expired)
    err = api_error(lambda: client.views_open(trigger_id=expired, view=modal()))
    assert err.response["error"] == "expired_trigger_id"
    err = api_error(lambda: client.views_open(trigger_id="garbage", view=modal()))
    assert err.response["error"] == "invalid_trigger_id"
    assert fake.views == [] and fake.violations == []


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"type": "home"}, "type must be 'modal'"),
        ({"title": None}, "missing text object"),
        ({"title": {"type": "plain_text", "text": "T" * 25}}, "less than 25"),
        ({"blocks": [{"type": "nope"}]}, "unknown block type"),
        ({"submit": None}, "needs submit"),
        ({"private_metadata": "m" * 3001}, "private_metadata"),
    ],
)
def test_views_open_invalid(
    fake: FakeSlackApi, client: WebClient, overrides: dict[str, Any], fragment: str
) -> None:
    view = modal(**overrides)
    if overrides.get("title", "") is None:
        del view["title"]
    if "submit" in overrides and overrides["submit"] is None:
        del view["submit"]
    err = api_error(lambda: client.views_open(trigger_id=new_trigger_id(), view=view))
    assert err.response["error"] == "invalid_arguments"
    assert any(fragment in v for v in fake.violations), fake.violations
    assert fake.views == []


def test_views_open_missing_blocks(fake: FakeSlackApi, client: WebClient) -> None:
    view = modal()
    del view["blocks"]
    err = api_error(lambda: client.views_open(trigger_id=new_trigger_id(), view=view))
    assert err.response["error"] == "invalid_arguments"


# -- failure injection -----------------------------------------------------------------------------
def test_default_retry_handlers() -> None:
    handlers = WebClient(token=TOKEN).retry_handlers
    assert [type(h) for h in handlers] == [ConnectionErrorRetryHandler]


def test_rate_limited_raises_with_retry_after(fake: FakeSlackApi, client: WebClient) -> None:
    fake.fail_next(429, retry_after=30, methods="chat.postMessage")
    assert client.auth_test()["ok"] is True  # other methods unaffected
    err = api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="hi"))
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "30"
    assert err.response["error"] == "ratelimited"
    assert fake.messages() == []
    # not retried by default; the next call goes through
    assert len(fake.calls("chat.postMessage")) == 1
    assert client.chat_postMessage(channel=CHANNEL, text="hi")["ok"] is True


def test_rate_limit_retry_handler_resends(fake: FakeSlackApi) -> None:
    client = WebClient(token=TOKEN, base_url=fake.api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    fake.fail_next(429, retry_after=0)
    started = time.monotonic()
    assert client.chat_postMessage(channel=CHANNEL, text="hi")["ok"] is True
    assert time.monotonic() - started < 2  # slept int(Retry-After) + random() seconds
    assert [r.status for r in fake.calls("chat.postMessage")] == [429, 200]
    assert len(fake.messages()) == 1


def test_http_500_not_retried(fake: FakeSlackApi, client: WebClient) -> None:
    fake.fail_next(500, times=2)
    for _ in range(2):
        err = api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="hi"))
        assert err.response.status_code == 500
        assert err.response["error"] == "internal_error"
    assert client.chat_postMessage(channel=CHANNEL, text="hi")["ok"] is True
    assert [r.status for r in fake.requests] == [500, 500, 200]


def test_failures_checked_before_auth(fake: FakeSlackApi) -> None:
    fake.fail_next(503)
    err = api_error(WebClient(token="wrong", base_url=fake.api_url).auth_test)
    assert err.response.status_code == 503
    assert fake.violations == []


def test_error_next(fake: FakeSlackApi, client: WebClient) -> None:
    fake.error_next("channel_not_found", methods=["chat.postMessage"], times=2)
    fake.error_next("not_in_channel", methods="chat.update")
    assert client.auth_test()["ok"] is True
    for _ in range(2):
        err = api_error(lambda: client.chat_postMessage(channel=CHANNEL, text="hi"))
        assert err.response.status_code == 200
        assert err.response["error"] == "channel_not_found"
    ts = client.chat_postMessage(channel=CHANNEL, text="hi")["ts"]
    err = api_error(lambda: client.chat_update(channel=CHANNEL, ts=ts, text="x"))
    assert err.response["error"] == "not_in_channel"
    assert fake.violations == []


def test_error_next_extra_fields_and_auth_first(fake: FakeSlackApi) -> None:
    fake.error_next("ratelimited", needed="chat:write")
    err = api_error(WebClient(token="wrong", base_url=fake.api_url).auth_test)
    assert err.response["error"] == "invalid_auth"  # injected app errors come after auth
    err = api_error(WebClient(token=TOKEN, base_url=fake.api_url).auth_test)
    assert err.response["error"] == "ratelimited" and err.response["needed"] == "chat:write"


def test_delay_next(fake: FakeSlackApi, client: WebClient) -> None:
    fake.delay_next(0.3, methods="chat.postMessage")
    started = time.monotonic()
    client.chat_postMessage(channel=CHANNEL, text="slow")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.chat_postMessage(channel=CHANNEL, text="fast")
    assert time.monotonic() - started < 0.3


# -- response_url, recording helpers ---------------------------------------------------------------
def test_response_url_with_slack_sdk_webhook_client(fake: FakeSlackApi) -> None:
    url = fake.new_response_url()
    response = WebhookClient(url).send(text="Taken", replace_original=True)
    assert response.status_code == 200
    [post] = fake.response_posts
    assert post.url == url
    assert post.body == {"text": "Taken", "replace_original": True}


def test_wait_for_and_reset(fake: FakeSlackApi, client: WebClient) -> None:
    timer = threading.Timer(0.05, lambda: client.chat_postMessage(channel=CHANNEL, text="late"))
    timer.start()
    try:
        [message] = fake.wait_for_messages(1, channel=CHANNEL, timeout=5)
    finally:
        timer.join()
    assert message.text == "late"
    assert fake.wait_for(lambda: fake.texts(CHANNEL)) == ["late"]
    with pytest.raises(AssertionError, match="condition not met"):
        fake.wait_for(lambda: len(fake.messages()) > 5, timeout=0.05)

    fake.add_user("U0WORKER1", "sato")
    fake.fail_next(500)
    fake.reset()
    assert fake.requests == [] and fake.messages() == [] and fake.violations == []
    assert client.users_info(user="U0WORKER1")["ok"] is True  # users survive reset
