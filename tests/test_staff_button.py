"""An answer that mentions staff offers the 「スタッフと話す」 button, on LINE and the web chat."""

from __future__ import annotations

import pytest

from helpbot.conversation.handoff import HUMAN_POSTBACK, mentions_staff
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, postback_event

STAFF_LABEL = "スタッフと話す"


def _sample_entries():
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == []
    return kb.entries


# Chosen by plain substrings, independently of mentions_staff.
MENTIONING = sorted(
    e.id for e in _sample_entries() if "スタッフ" in e.answer or "相談員" in e.answer
)
_STAFF = ("スタッフ", "相談員", "支援員", "担当者")
SILENT = sorted(
    e.id for e in _sample_entries()
    if e.language == "ja" and not any(w in e.answer for w in _STAFF)
)


def test_the_sample_has_both_kinds_of_answers():
    assert "food-today" in MENTIONING and len(MENTIONING) >= 5
    assert "food-bank" in SILENT


@pytest.mark.parametrize("entry_id", MENTIONING)
def test_every_answer_mentioning_staff_carries_the_button_in_the_web_chat(client, entry_id):
    body = client.post(
        "/api/playground/messages",
        json={"session": f"staff-button-{entry_id}", "postback": f"a=answer&id={entry_id}"},
    ).get_json()
    assert body["decision"] == "answer" and body["entry_id"] == entry_id
    (reply,) = body["replies"]
    staff = [q for q in reply["quick_replies"] if q["label"] == STAFF_LABEL]
    assert len(staff) == 1 and staff[0]["postback"] == HUMAN_POSTBACK


@pytest.mark.parametrize("entry_id", SILENT[:3])
def test_an_answer_that_does_not_mention_staff_has_no_staff_button(client, entry_id):
    body = client.post(
        "/api/playground/messages",
        json={"session": f"staff-button-{entry_id}", "postback": f"a=answer&id={entry_id}"},
    ).get_json()
    labels = [q["label"] for q in body["replies"][0]["quick_replies"]]
    assert STAFF_LABEL not in labels


@pytest.mark.parametrize("entry_id", ["food-today", MENTIONING[-1]])
def test_on_line_the_answer_carries_the_quick_reply_and_tapping_it_reaches_staff(
    line, fake_line, entry_id
):
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    line.post(postback_event(f"a=answer&id={entry_id}", user_id=user, reply_token=token))
    line.settle()
    (reply,) = fake_line.replies
    message = reply.messages[-1]
    items = message["quickReply"]["items"]
    staff = [i for i in items if i["action"]["label"] == STAFF_LABEL]
    assert len(staff) == 1
    assert staff[0]["action"]["type"] == "postback"
    assert staff[0]["action"]["data"] == HUMAN_POSTBACK
    # Tapping it opens a case and says what happens next.
    token = fake_line.issue_reply_token(user_id=user)
    line.post(postback_event(HUMAN_POSTBACK, user_id=user, reply_token=token))
    line.settle()
    assert len(fake_line.replies) == 2
    assert "スタッフ" in fake_line.sent_texts(user_id=user)[-1]
    assert fake_line.violations == []


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("「スタッフと話す」と送ってください。", True),
        ("相談員が一緒に考えます。", True),
        ("Tap Talk to staff to reach a person.", True),
        ("Our STAFF can go with you.", True),
        ("フードバンクは食品を無料で配る活動です。", False),
        ("Bring your residence card.", False),
    ],
)
def test_staff_mentions_are_found(text, mentions):
    assert mentions_staff(text) is mentions
