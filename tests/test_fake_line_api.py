"""The fake LINE Messaging API, driven through the real line-bot-sdk client over real HTTP."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)

from tests.fakes import FakeLineApi
from tests.fakes.contracts import find_contracts_dir
from tests.fakes.line_webhooks import new_user_id

TOKEN = "test-access-token"
needs_contracts = pytest.mark.skipif(
    find_contracts_dir() is None, reason="LINE OpenAPI documents not available"
)


@pytest.fixture
def fake() -> Iterator[FakeLineApi]:
    with FakeLineApi(TOKEN) as server:
        yield server


@pytest.fixture
def api(fake: FakeLineApi) -> Iterator[MessagingApi]:
    with ApiClient(Configuration(host=fake.base_url, access_token=TOKEN)) as client:
        yield MessagingApi(client)


def raw_post(
    fake: FakeLineApi, path: str, body: Any, *, token: str = TOKEN, headers: dict | None = None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        fake.base_url + path,
        data=data,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read()), dict(err.headers)


def error_json(exc: ApiException) -> dict[str, Any]:
    return json.loads(exc.body)


# -- reply ------------------------------------------------------------------------------------
def test_reply_is_delivered_and_attributed_to_the_tokens_user(
    fake: FakeLineApi, api: MessagingApi
) -> None:
    user = new_user_id()
    token = fake.issue_reply_token(user_id=user)

    response = api.reply_message(
        ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="こんにちは")])
    )

    assert len(response.sent_messages) == 1
    assert response.sent_messages[0].id
    assert fake.replies[0].reply_token == token
    assert fake.replies[0].messages == [{"type": "text", "text": "こんにちは"}]
    assert fake.sent_texts(user) == ["こんにちは"]
    assert fake.sent_texts(new_user_id()) == []
    request = fake.requests[0]
    assert (request.method, request.path, request.status) == ("POST", "/v2/bot/message/reply", 200)
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert fake.violations == []


def test_reply_token_is_single_use(fake: FakeLineApi, api: MessagingApi) -> None:
    token = fake.issue_reply_token()
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="1")]))

    with pytest.raises(ApiException) as info:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="2")]))

    assert info.value.status == 400
    assert error_json(info.value) == {"message": "Invalid reply token"}
    assert fake.sent_texts() == ["1"]
    assert fake.violations == []  # a bad token is a runtime condition, not a contract breach


def test_unknown_reply_token_is_rejected(fake: FakeLineApi, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as info:
        api.reply_message(
            ReplyMessageRequest(reply_token=uuid.uuid4().hex, messages=[TextMessage(text="x")])
        )
    assert info.value.status == 400
    assert error_json(info.value)["message"] == "Invalid reply token"
    assert fake.replies == []


def test_reply_token_expires_by_clock() -> None:
    now = [1000.0]
    with (
        FakeLineApi(TOKEN, clock=lambda: now[0]) as fake,
        ApiClient(Configuration(host=fake.base_url, access_token=TOKEN)) as client,
    ):
        api = MessagingApi(client)
        fresh = fake.issue_reply_token(ttl_seconds=60)
        stale = fake.issue_reply_token(ttl_seconds=60)
        now[0] += 59.0
        api.reply_message(ReplyMessageRequest(reply_token=fresh, messages=[TextMessage(text="ok")]))
        now[0] += 1.0
        with pytest.raises(ApiException) as info:
            api.reply_message(
                ReplyMessageRequest(reply_token=stale, messages=[TextMessage(text="late")])
            )
        assert info.value.status == 400
        assert error_json(info.value)["message"] == "Invalid reply token"
        assert fake.sent_texts() == ["ok"]


def test_expire_reply_token(fake: FakeLineApi, api: MessagingApi) -> None:
    token = fake.issue_reply_token()
    fake.expire_reply_token(token)
    with pytest.raises(ApiException) as info:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="x")]))
    assert info.value.status == 400


# -- push -------------------------------------------------------------------------------------
def test_push_with_same_retry_key_twice_is_delivered_once(
    fake: FakeLineApi, api: MessagingApi
) -> None:
    user = new_user_id()
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=user, messages=[TextMessage(text="担当者から連絡します")])

    api.push_message(request, x_line_retry_key=key)
    with pytest.raises(ApiException) as info:
        api.push_message(request, x_line_retry_key=key)

    assert info.value.status == 409
    assert info.value.headers["x-line-accepted-request-id"] == fake.pushes[0].request_id
    assert error_json(info.value)["message"] == "The retry key is already accepted"
    assert len(fake.pushes) == 1
    assert fake.pushes[0].to == user
    assert fake.pushes[0].retry_key == key
    assert fake.sent_texts(user) == ["担当者から連絡します"]
    assert [r.status for r in fake.requests] == [200, 409]
    assert fake.violations == []


def test_retry_key_of_failed_push_can_be_retried(fake: FakeLineApi, api: MessagingApi) -> None:
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="x")])
    fake.fail_next(500)
    with pytest.raises(ApiException) as info:
        api.push_message(request, x_line_retry_key=key)
    assert info.value.status == 500
    assert "message" in error_json(info.value)

    api.push_message(request, x_line_retry_key=key)
    assert len(fake.pushes) == 1


def test_push_without_retry_key_is_delivered_each_time(
    fake: FakeLineApi, api: MessagingApi
) -> None:
    request = PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="x")])
    api.push_message(request)
    api.push_message(request)
    assert len(fake.pushes) == 2
    assert fake.pushes[0].retry_key is None


def test_retry_key_must_be_a_uuid(fake: FakeLineApi, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as info:
        api.push_message(
            PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="x")]),
            x_line_retry_key="not-a-uuid",
        )
    assert info.value.status == 400
    assert fake.violations and "X-Line-Retry-Key" in fake.violations[0]


def test_push_to_malformed_id_is_a_violation(fake: FakeLineApi, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as info:
        api.push_message(PushMessageRequest(to="user-1", messages=[TextMessage(text="x")]))
    assert info.value.status == 400
    assert error_json(info.value)["details"][0]["property"] == "to"
    assert fake.pushes == []


# -- failure injection ------------------------------------------------------------------------
def test_429_with_retry_after_is_visible_to_the_sdk(fake: FakeLineApi, api: MessagingApi) -> None:
    fake.fail_next(429, retry_after=7, paths=("/v2/bot/message/push",))
    request = PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="x")])

    with pytest.raises(ApiException) as info:
        api.push_message(request, x_line_retry_key=str(uuid.uuid4()))

    assert info.value.status == 429
    assert info.value.headers["Retry-After"] == "7"
    assert error_json(info.value)["message"].startswith("The API rate limit has been exceeded")
    assert fake.pushes == []
    api.push_message(request)  # only the next request failed
    assert len(fake.pushes) == 1


def test_fail_next_times_and_paths(fake: FakeLineApi, api: MessagingApi) -> None:
    fake.fail_next(500, times=2, paths=("/v2/bot/message/reply",))
    api.push_message(PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="p")]))
    token = fake.issue_reply_token()
    for _ in range(2):
        with pytest.raises(ApiException) as info:
            api.reply_message(
                ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="r")])
            )
        assert info.value.status == 500
    # the token was not consumed by the failed attempts
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="r")]))
    assert fake.sent_texts() == ["p", "r"]


def test_delay_next_makes_the_client_time_out_but_still_delivers(
    fake: FakeLineApi, api: MessagingApi
) -> None:
    import urllib3

    fake.delay_next(0.5)
    request = PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="slow")])
    with pytest.raises(urllib3.exceptions.HTTPError):  # ReadTimeoutError / MaxRetryError
        api.push_message(request, x_line_retry_key=str(uuid.uuid4()), _request_timeout=0.1)
    assert fake.wait_for_texts(1) == ["slow"]  # like LINE: timed out != not delivered


# -- contract violations ----------------------------------------------------------------------
def test_six_messages_are_rejected(fake: FakeLineApi) -> None:
    # The SDK refuses to build such a request, so send it raw.
    body = {"to": new_user_id(), "messages": [{"type": "text", "text": str(i)} for i in range(6)]}
    status, payload, _ = raw_post(fake, "/v2/bot/message/push", body)
    assert status == 400
    assert payload["message"].startswith("The request body has")
    assert any(d["property"] == "messages" for d in payload["details"])
    assert any("[limits] size must be <= 5" in v for v in fake.violations)
    assert fake.pushes == []


def test_schema_violation_missing_messages(fake: FakeLineApi) -> None:
    token = fake.issue_reply_token()
    status, payload, _ = raw_post(fake, "/v2/bot/message/reply", {"replyToken": token})
    assert status == 400
    assert {"message", "details"} <= payload.keys()
    assert fake.violations
    assert all(v.startswith("POST /v2/bot/message/reply: ") for v in fake.violations)
    assert fake.requests[0].status == 400
    assert fake.replies == []


@needs_contracts
def test_openapi_check_catches_missing_messages(fake: FakeLineApi) -> None:
    raw_post(fake, "/v2/bot/message/reply", {"replyToken": fake.issue_reply_token()})
    assert "POST /v2/bot/message/reply: messages: [openapi] must be specified" in fake.violations


@needs_contracts
def test_openapi_discriminator_checks_subtype_fields(fake: FakeLineApi) -> None:
    """The documents' discriminator-without-oneOf blind spot is closed by contracts.py."""
    body = {"to": new_user_id(), "messages": [{"type": "text"}]}
    status, payload, _ = raw_post(fake, "/v2/bot/message/push", body)
    assert status == 400
    messages = [(d["property"], d["message"]) for d in payload["details"]]
    assert ("messages[0].text", "[openapi] must be specified") in messages
    assert any(m.startswith("[sdk]") for _, m in messages)


def test_sdk_and_limit_checks_run_without_contracts() -> None:
    with FakeLineApi(TOKEN, contracts_dir=None) as fake:
        assert fake.contract is None
        body = {"to": new_user_id(), "messages": [{"type": "text"}, {"type": "nonsense"}]}
        status, _, _ = raw_post(fake, "/v2/bot/message/push", body)
        assert status == 400
        assert any("[sdk]" in v and "messages[0]" in v for v in fake.violations)
        assert any("[sdk]" in v and "messages[1]" in v for v in fake.violations)
        assert not any("[openapi]" in v for v in fake.violations)


@pytest.mark.parametrize(
    ("message", "prop"),
    [
        ({"type": "text", "text": "あ" * 5001}, "messages[0].text"),
        ({"type": "text", "text": ""}, "messages[0].text"),
        (
            {
                "type": "text",
                "text": "choose",
                "quickReply": {
                    "items": [
                        {"type": "action", "action": {"type": "message", "label": "x", "text": "x"}}
                    ]
                    * 14
                },
            },
            "messages[0].quickReply.items",
        ),
        (
            {
                "type": "text",
                "text": "choose",
                "quickReply": {
                    "items": [
                        {
                            "type": "action",
                            "action": {"type": "message", "label": "ラ" * 21, "text": "x"},
                        }
                    ]
                },
            },
            "messages[0].quickReply.items[0].action.label",
        ),
        (
            {
                "type": "text",
                "text": "choose",
                "quickReply": {
                    "items": [
                        {
                            "type": "action",
                            "action": {"type": "postback", "label": "ok", "data": "d" * 301},
                        }
                    ]
                },
            },
            "messages[0].quickReply.items[0].action.data",
        ),
    ],
    ids=["text-5001", "text-empty", "13-quick-replies", "label-21", "postback-301"],
)
def test_documented_limits(fake: FakeLineApi, message: dict[str, Any], prop: str) -> None:
    body = {"to": new_user_id(), "messages": [message]}
    status, payload, _ = raw_post(fake, "/v2/bot/message/push", body)
    assert status == 400
    assert prop in [d["property"] for d in payload["details"]]
    assert any(
        v.startswith(f"POST /v2/bot/message/push: {prop}: [limits]") for v in fake.violations
    )


def test_limits_at_the_boundary_are_accepted(fake: FakeLineApi, api: MessagingApi) -> None:
    items = [
        QuickReplyItem(action=PostbackAction(label="ラ" * 20, data="d" * 300, display_text="x"))
        for _ in range(13)
    ]
    messages = [TextMessage(text="あ" * 5000, quick_reply=QuickReply(items=items))] + [
        TextMessage(text=str(i)) for i in range(4)
    ]
    api.push_message(PushMessageRequest(to=new_user_id(), messages=messages))
    assert fake.violations == []
    assert len(fake.pushes[0].messages) == 5


def test_non_json_body_is_a_violation(fake: FakeLineApi) -> None:
    status, payload, _ = raw_post(fake, "/v2/bot/message/push", b"{not json")
    assert status == 400
    assert "could not be parsed" in payload["details"][0]["message"]
    assert fake.violations


# -- auth, profile, bot info, bookkeeping -----------------------------------------------------
def test_bad_access_token_is_401(fake: FakeLineApi) -> None:
    config = Configuration(host=fake.base_url, access_token="wrong")
    with ApiClient(config) as client, pytest.raises(ApiException) as info:
        MessagingApi(client).push_message(
            PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="x")])
        )
    assert info.value.status == 401
    assert "message" in error_json(info.value)
    assert fake.pushes == []
    assert fake.violations  # a misconfigured token is a bug worth failing a test for


def test_get_profile(fake: FakeLineApi, api: MessagingApi) -> None:
    known, blocked, anyone = new_user_id(), new_user_id(), new_user_id()
    fake.set_profile(known, "山田 花子", language="ja")
    fake.set_profile(blocked, None)

    profile = api.get_profile(known)
    assert (profile.display_name, profile.user_id, profile.language) == ("山田 花子", known, "ja")
    assert api.get_profile(anyone).display_name == f"LINE user {anyone[-4:]}"
    with pytest.raises(ApiException) as info:
        api.get_profile(blocked)
    assert info.value.status == 404


def test_get_bot_info(fake: FakeLineApi, api: MessagingApi) -> None:
    info = api.get_bot_info()
    assert info.user_id == fake.bot_user_id
    assert info.display_name == "helpbot"


def test_unimplemented_endpoint_is_recorded(fake: FakeLineApi, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as info:
        api.get_followers()
    assert info.value.status == 404
    assert "GET /v2/bot/followers/ids: endpoint not implemented by FakeLineApi" in fake.violations


def test_reset_and_wait_for(fake: FakeLineApi, api: MessagingApi) -> None:
    user = new_user_id()
    api.push_message(PushMessageRequest(to=user, messages=[TextMessage(text="a")]))
    fake.fail_next(500)
    fake.reset()
    assert (fake.requests, fake.pushes, fake.violations) == ([], [], [])

    timer = threading.Timer(
        0.1,
        lambda: api.push_message(PushMessageRequest(to=user, messages=[TextMessage(text="b")])),
    )
    timer.start()
    try:
        assert fake.wait_for(lambda: fake.sent_texts(user)) == ["b"]  # reset cleared fail_next
    finally:
        timer.join()
    with pytest.raises(AssertionError, match="not met within"):
        fake.wait_for(lambda: len(fake.pushes) > 1, timeout=0.05)


def test_concurrent_pushes_with_one_retry_key_deliver_once(
    fake: FakeLineApi, api: MessagingApi
) -> None:
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=new_user_id(), messages=[TextMessage(text="once")])
    statuses: list[int] = []

    def push() -> None:
        try:
            api.push_message(request, x_line_retry_key=key)
            statuses.append(200)
        except ApiException as exc:
            statuses.append(exc.status)

    threads = [threading.Thread(target=push) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    assert fake.sent_texts() == ["once"]


def test_stop_is_idempotent_and_port_is_ephemeral() -> None:
    first, second = FakeLineApi(), FakeLineApi()
    with first, second:
        assert first.port != second.port
        assert first.base_url.startswith("http://127.0.0.1:")
    first.stop()
    with pytest.raises(RuntimeError):
        _ = first.base_url


def test_a_client_killed_mid_body_leaves_no_request_and_no_violation(fake: FakeLineApi) -> None:
    """A SIGKILLed worker can leave half a request: a server handles none of it, and it is
    no contract violation of the client."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(fake.base_url)
    with socket.create_connection((address.hostname, address.port)) as sock:
        sock.sendall(
            b"POST /v2/bot/message/push HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"to\": \"U1")
        sock.shutdown(socket.SHUT_WR)  # the process is gone: nothing more comes
        assert sock.recv(100) == b""  # closed without an answer
    assert fake.requests == [] and fake.violations == []
