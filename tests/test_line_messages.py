"""The LINE messages and request bodies helpbot builds as plain dicts are the SDK's own.

``replies.py`` builds LINE's JSON objects directly and ``LineSender`` posts them through the
SDK's HTTP client without its models (per-message pydantic work cost more CPU than the HTTP
call); these tests hold them to what the SDK's models and ``MessagingApi`` would send."""

from __future__ import annotations

import uuid

from linebot.v3.messaging import (
    Message,
    PostbackAction,
    PushMessageRequest,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging import QuickReply as LineQuickReply

from helpbot.channels.line.replies import MAX_LABEL, MAX_QUICK_REPLIES, split_text, to_line_messages
from helpbot.channels.line.sender import LineSender
from helpbot.core.messages import Card, CardButton, QuickReply, Reply
from tests.conftest import LINE_TOKEN
from tests.fakes.line_api import check_limits, check_with_sdk

BUTTONS = tuple(QuickReply(f"とても長いボタンの名前です{i}" * 2, f"a=x&i={i}",
                           display_text="押した" if i % 2 else "") for i in range(15))
CARD = Card("制度", ("合う理由: 子どもがいる", ""),
            (CardButton("電話する", uri="tel:0120000123"), CardButton("見せる", postback="a=p")))
REPLIES = [
    Reply(text="こんにちは"),
    Reply(text="ご質問ありがとうございます", quick_replies=BUTTONS[:3]),
    Reply(text="長い\n" * 3000, quick_replies=BUTTONS),  # cut in two; buttons on the last
    Reply(text="結果", quick_replies=BUTTONS[:2], cards=(CARD,)),
    Reply(text="", cards=(CARD, CARD)),
]


def _sdk_text_messages(reply: Reply) -> list[Message]:
    """What the SDK's models made of a reply without cards (the code before the dicts)."""
    quick = LineQuickReply(items=[
        QuickReplyItem(action=PostbackAction(label=q.label[:MAX_LABEL], data=q.postback[:300],
                                             displayText=(q.display_text or q.label)[:300]))
        for q in reply.quick_replies[:MAX_QUICK_REPLIES]
    ]) if reply.quick_replies else None
    pieces = split_text(reply.text)
    return [TextMessage(text=p, quickReply=quick if i == len(pieces) - 1 else None)
            for i, p in enumerate(pieces)]


def test_text_messages_are_what_the_sdks_models_serialise_to():
    for reply in REPLIES[:3]:
        assert to_line_messages([reply]) == [m.to_dict() for m in _sdk_text_messages(reply)]


def test_every_message_reads_back_through_the_sdks_models_unchanged():
    messages = to_line_messages(REPLIES)
    assert [m["type"] for m in messages] == ["text"] * 5 + ["flex", "flex"]
    for message in messages:
        assert Message.from_dict(message).to_dict() == message
    assert messages[5]["quickReply"]["items"][0]["action"]["data"] == "a=x&i=0"
    for start in range(0, len(messages), 5):
        body = {"replyToken": "t" * 32, "messages": messages[start:start + 5]}
        assert check_with_sdk("reply", body) == []
        assert check_limits("reply", body) == []


def test_reply_and_push_send_what_the_sdks_calls_send(fake_line):
    user = "U" + uuid.uuid4().hex
    messages = to_line_messages(REPLIES[1:2])
    sender = LineSender(access_token=LINE_TOKEN, base_url=fake_line.base_url)
    ours, theirs = (fake_line.issue_reply_token(user_id=user) for _ in range(2))
    sender._reply(ours, messages)
    sender.api.reply_message(ReplyMessageRequest(
        replyToken=theirs, messages=[Message.from_dict(m) for m in messages]))
    sender.push(user, messages, retry_key=str(uuid.uuid4()))
    sender.api.push_message(PushMessageRequest(
        to=user, messages=[Message.from_dict(m) for m in messages]),
        x_line_retry_key=str(uuid.uuid4()))
    sent = fake_line.requests
    assert [r.status for r in sent] == [200] * 4 and fake_line.violations == []
    for mine, sdk in (sent[0], sent[1]), (sent[2], sent[3]):
        assert mine.path == sdk.path
        assert {**mine.body, "replyToken": None} == {**sdk.body, "replyToken": None}
        unique = {"x-line-retry-key", "content-length"}
        assert ({k: v for k, v in mine.headers.items() if k not in unique}
                == {k: v for k, v in sdk.headers.items() if k not in unique})
        assert ("x-line-retry-key" in mine.headers) == ("x-line-retry-key" in sdk.headers)
