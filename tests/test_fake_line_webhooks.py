"""Webhook builders: shaped like LINE's (webhook.yml) and accepted by the SDK's parser."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import SignatureValidator, WebhookParser
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from tests.fakes import line_webhooks as wh
from tests.fakes.contracts import OpenApiContract, find_contracts_dir, webhook_contract

SECRET = "0123456789abcdef0123456789abcdef"
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
USER_ID = re.compile(r"^U[0-9a-f]{32}$")

BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "text": lambda: wh.text_event("パスワードを忘れました 🙏", user_id=wh.new_user_id()),
    "text-redelivery": lambda: wh.text_event("again", redelivery=True, event_id=wh.new_event_id()),
    "text-group": lambda: wh.text_event("hi", group_id=wh.new_group_id()),
    "sticker": wh.sticker_event,
    "image": wh.image_event,
    "location": wh.location_event,
    "follow": wh.follow_event,
    "follow-unblocked": lambda: wh.follow_event(is_unblocked=True),
    "unfollow": wh.unfollow_event,
    "postback": lambda: wh.postback_event("action=handoff&case=1"),
    "postback-params": lambda: wh.postback_event("date", params={"date": "2025-01-31"}),
    "unknown": wh.unknown_event,
}

# What WebhookParser yields for each builder (class, message-content class or None).
EXPECTED_SDK_TYPES: dict[str, tuple[type, type | None]] = {
    "text": (MessageEvent, TextMessageContent),
    "text-redelivery": (MessageEvent, TextMessageContent),
    "text-group": (MessageEvent, TextMessageContent),
    "sticker": (MessageEvent, StickerMessageContent),
    "image": (MessageEvent, ImageMessageContent),
    "location": (MessageEvent, LocationMessageContent),
    "follow": (FollowEvent, None),
    "follow-unblocked": (FollowEvent, None),
    "unfollow": (UnfollowEvent, None),
    "postback": (PostbackEvent, None),
    "postback-params": (PostbackEvent, None),
}


@pytest.fixture(scope="module")
def contract() -> OpenApiContract:
    found = webhook_contract()
    if found is None:
        pytest.skip("LINE OpenAPI documents not available")
    return found


def parse(body: bytes) -> list[Event]:
    # WebhookParser.parse takes the body as text (it encodes it itself to check the signature).
    return WebhookParser(SECRET).parse(body.decode("utf-8"), wh.sign(body, SECRET))


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builder_matches_webhook_yml(name: str, contract: OpenApiContract) -> None:
    body = json.loads(wh.callback_body(BUILDERS[name]()))
    assert contract.validate_schema("CallbackRequest", body) == []


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builder_common_fields_look_like_lines(name: str) -> None:
    event = BUILDERS[name]()
    assert event["mode"] == "active"
    assert isinstance(event["timestamp"], int)
    assert event["timestamp"] > 1_600_000_000_000  # milliseconds
    assert ULID.match(event["webhookEventId"])
    assert isinstance(event["deliveryContext"]["isRedelivery"], bool)
    assert USER_ID.match(event["source"]["userId"])
    if name in ("unfollow", "unknown"):
        assert "replyToken" not in event
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", event["replyToken"])
    if event["type"] == "message":
        assert re.fullmatch(r"\d{18}", event["message"]["id"])


@pytest.mark.parametrize("name", list(EXPECTED_SDK_TYPES))
def test_sdk_parses_builder_into_concrete_models(name: str) -> None:
    event_class, content_class = EXPECTED_SDK_TYPES[name]
    built = BUILDERS[name]()

    (event,) = parse(wh.callback_body(built))

    # Beware: WebhookParser turns *any* event it fails to validate into UnknownEvent, so an
    # exact class check is what proves the builder is right.
    assert type(event) is event_class
    assert event.webhook_event_id == built["webhookEventId"]
    assert event.delivery_context.is_redelivery is built["deliveryContext"]["isRedelivery"]
    if content_class is not None:
        assert type(event.message) is content_class
    if "replyToken" in built:
        assert event.reply_token == built["replyToken"]


def test_text_event_details_survive_parsing() -> None:
    user, token = wh.new_user_id(), "0" * 32
    built = wh.text_event("パスワードを忘れました 🙏", user_id=user, reply_token=token)
    (event,) = parse(wh.callback_body(built))
    assert event.message.text == "パスワードを忘れました 🙏"
    assert event.message.quote_token == built["message"]["quoteToken"]
    assert isinstance(event.source, UserSource)
    assert event.source.user_id == user
    assert event.reply_token == token


def test_unknown_event_becomes_sdk_unknown_event() -> None:
    """Documented behaviour: unknown types parse as ``linebot.v3.models.events.UnknownEvent``
    (a ``linebot.v3.webhooks.Event`` subclass keeping the original ``type``), not an error."""
    from linebot.v3.models.events import UnknownEvent

    (event,) = parse(wh.callback_body(wh.unknown_event("somethingnew", foo={"bar": 1})))
    assert isinstance(event, UnknownEvent)
    assert isinstance(event, Event)
    assert event.type == "somethingnew"


def test_callback_body_is_utf8_json_without_escapes() -> None:
    body = wh.callback_body(wh.text_event("こんにちは"), destination=wh.DEFAULT_DESTINATION)
    assert isinstance(body, bytes)
    assert "こんにちは".encode() in body
    assert b"\\u" not in body
    payload = json.loads(body.decode("utf-8"))
    assert payload["destination"] == wh.DEFAULT_DESTINATION
    assert [e["type"] for e in payload["events"]] == ["message"]


def test_several_events_in_one_body_keep_order() -> None:
    user = wh.new_user_id()
    body = wh.callback_body(
        wh.follow_event(user_id=user), wh.text_event("a", user_id=user), wh.unfollow_event()
    )
    assert [type(e) for e in parse(body)] == [FollowEvent, MessageEvent, UnfollowEvent]


def test_verification_body_has_no_events(contract: OpenApiContract) -> None:
    body = wh.callback_body()
    assert parse(body) == []
    assert contract.validate_schema("CallbackRequest", json.loads(body)) == []


def test_signature_is_what_the_sdk_expects() -> None:
    body = wh.callback_body(wh.text_event("署名"))
    signature = wh.sign(body, SECRET)
    assert SignatureValidator(SECRET).validate(body.decode("utf-8"), signature)
    assert not SignatureValidator("other-secret").validate(body.decode("utf-8"), signature)
    assert wh.webhook_headers(body, SECRET)["X-Line-Signature"] == signature
    with pytest.raises(InvalidSignatureError):
        WebhookParser(SECRET).parse(body.decode("utf-8"), wh.sign(body + b" ", SECRET))


def test_ids_are_unique_and_well_formed() -> None:
    users = {wh.new_user_id() for _ in range(100)}
    assert len(users) == 100
    assert all(USER_ID.match(u) for u in users)
    event_ids = [wh.new_event_id(1_700_000_000_000) for _ in range(50)]
    assert len(set(event_ids)) == 50
    assert all(e.startswith(event_ids[0][:10]) for e in event_ids)  # same ms -> same prefix
    assert wh.new_event_id(1) < wh.new_event_id(2**40)  # ULIDs sort by time


# -- the contract validator itself is not vacuous ---------------------------------------------
def test_contract_catches_subtype_errors_despite_discriminator_without_oneof(
    contract: OpenApiContract,
) -> None:
    event = wh.text_event("x")
    del event["message"]["quoteToken"]
    event["message"]["text"] = 42
    errors = contract.validate_schema("CallbackRequest", json.loads(wh.callback_body(event)))
    assert {(e.property, e.message) for e in errors} >= {
        ("events[0].message.quoteToken", "must be specified"),
        ("events[0].message.text", "42 is not of type 'string'"),
    }


def test_contract_checks_common_fields_of_unknown_events(contract: OpenApiContract) -> None:
    event = wh.unknown_event()
    del event["deliveryContext"]
    event["mode"] = "sleeping"
    body = {"destination": "bot", "events": [event]}
    properties = {e.property for e in contract.validate_schema("CallbackRequest", body)}
    assert properties == {"destination", "events[0].deliveryContext", "events[0].mode"}


def test_contracts_dir_path_math() -> None:
    from tests.fakes.contracts import default_contracts_dir

    directory = default_contracts_dir()
    assert directory.parts[-3:] == ("shared", "contracts", "line")
    if find_contracts_dir() is not None:
        assert (directory / "webhook.yml").is_file()
