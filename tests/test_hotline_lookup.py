"""Asking for one of crisis.yaml's lines (by its name, or a phone line for a crisis topic)
gets its name, number and hours; danger is still looked for first."""

from __future__ import annotations

import pytest

from helpbot.conversation.hotlines import asked_lines
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ

MESSAGES = "/api/playground/messages"


def _rules():
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.crisis is not None
    return kb.crisis


@pytest.mark.parametrize(("text", "line"), [
    ("いのちの電話の番号教えて", "inochi"),
    ("よりそいホットラインって何番？", "yorisoi"),
    ("What's the number for the Yorisoi Hotline", "yorisoi"),
    ("số điện thoại Inochi no Denwa", "inochi"),
    ("DV相談ナビ", "dv_navi"),
    ("police number please", "police"),
])
def test_a_line_named_in_any_language_is_found(text, line):
    assert line in asked_lines(_rules(), text)


def test_a_phone_line_for_a_crisis_topic_gives_that_topics_lines():
    rules = _rules()
    assert asked_lines(rules, "ストーカーの相談電話はありますか") == rules.category("stalking").call


@pytest.mark.parametrize("text", ["フードバンクの電話番号", "where is the police station",
                                  "家賃が払えない", "ストーカーの映画を見た"])
def test_other_messages_ask_for_no_line(text):
    assert asked_lines(_rules(), text) == ()


@pytest.mark.parametrize(("session", "text", "shown"), [
    ("hotline-ja", "いのちの電話の番号教えて", "いのちの電話（10時〜22時）: 0570-783-556"),
    ("hotline-vi", "Cho tôi số điện thoại của Yorisoi Hotline",
     "Yorisoi Hotline (24 giờ, miễn phí"),
])
def test_the_web_chat_answers_with_the_line_in_the_persons_language(client, session, text,
                                                                     shown):
    body = client.post(MESSAGES, json={"session": session, "text": text}).get_json()
    (reply,) = body["replies"]
    assert shown in reply["text"] and ("0570-783-556" in reply["text"]
                                       or "0120-279-338" in reply["text"])


def test_danger_in_the_same_message_is_still_a_crisis_first(client):
    body = client.post(MESSAGES, json={"session": "hotline-crisis",
                                       "text": "もう死にたい。いのちの電話の番号は？"}).get_json()
    texts = [r["text"] for r in body["replies"]]
    assert "0570-783-556" in texts[0] and any("スタッフ" in t for t in texts[1:])
