"""Thanks, closings and greetings get a short kind reply: never a failed question, never a
case, never a crisis entry suggested."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpbot.conversation.small_talk import courtesy
from helpbot.core.texts import phrases
from helpbot.storage.models import Case
from tests.fakes.line_webhooks import new_user_id, text_event

MESSAGES = "/api/playground/messages"
THANKS = ["ありがとう", "ありがとうございました！", "了解です", "thanks", "Thank you so much!",
          "obrigado", "Muito obrigada pela ajuda", "gracias", "Maraming salamat po", "cảm ơn",
          "cam on nhieu", "감사합니다", "谢谢", "धन्यवाद", "terima kasih", "ok 👍", "わかりました〜"]
GREETINGS = ["こんばんは", "おはようございます", "hello", "Hi there", "xin chào", "olá, bom dia",
             "안녕하세요", "你好", "नमस्ते", "Selamat pagi", "Buenas tardes", "Kumusta"]
QUESTIONS = ["ありがとう、でも家賃が払えません", "hola, necesito comida",
             "thanks, where is the food bank", "家賃払えない", "this",
             "obrigado por nada, ainda não tenho onde morar"]


@pytest.mark.parametrize("text", THANKS + GREETINGS)
def test_courtesies_in_any_language_are_recognised(text):
    assert courtesy(text) is not None


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_message_with_a_question_in_it_is_not_small_talk(text):
    assert courtesy(text) is None


def _cases(database) -> list[Case]:
    with database.session() as session:
        return list(session.scalars(select(Case)))


@pytest.mark.parametrize("thanks", ["ありがとう", "obrigado", "감사합니다"])
def test_on_line_thanks_after_an_unanswered_question_opens_no_case(
        line, fake_line, database, thanks):
    user = new_user_id()
    for text in ("家賃払えない", thanks, "ありがとうございました"):
        token = fake_line.issue_reply_token(user_id=user)
        line.post(text_event(text, user_id=user, reply_token=token))
        line.settle()
    told = fake_line.sent_texts(user_id=user)
    assert _cases(database) == []
    assert not any("スタッフにつなぎました" in t or "passed your message" in t for t in told)
    assert phrases("ja").thanks_reply in told[-1]


@pytest.mark.parametrize(("text", "language"), [
    ("谢谢", "zh"), ("obrigado", "pt"), ("cảm ơn", "vi"), ("gracias", "es"), ("thanks", "en")])
def test_thanks_get_a_reply_in_the_language_they_were_said_in(client, text, language):
    body = client.post(MESSAGES, json={"session": f"thanks-{language}", "text": text}).get_json()
    assert [r["text"] for r in body["replies"]] == [phrases(language).thanks_reply]
    assert body["decision"] is None


@pytest.mark.parametrize(("session", "text"), [
    ("greeting-ja", "こんばんは"), ("greeting-en", "hello"), ("greeting-vi", "xin chào")])
def test_a_greeting_invites_the_person_to_write_and_suggests_no_entry(client, session, text):
    body = client.post(MESSAGES, json={"session": session, "text": text}).get_json()
    (reply,) = body["replies"]
    labels = [q["label"] for q in reply["quick_replies"]]
    assert not any("危な" in label for label in labels)
    assert body["decision"] is None and body["entry_id"] is None
    assert reply["text"] in {phrases(lang).greeting_reply for lang in ("ja", "en", "vi")}


def test_one_search_rules_out_exactly_the_messages_no_word_is_in():
    # courtesy() first asks one pattern of all the words; it may say "none" only when each
    # word's own pattern finds nothing (then the word-by-word pass would find nothing either).
    from pathlib import Path

    from helpbot.conversation.small_talk import _any_phrase, _phrases, normalised
    from helpbot.knowledge.loader import load_dir

    kb, _problems = load_dir(Path(__file__).resolve().parent.parent / "faq")
    texts = [t for entry in kb.entries for t in entry.phrasings()]
    texts += THANKS + GREETINGS + QUESTIONS + ["hi", "this", "chào", "ok", "👍", ""]
    found = 0
    for text in texts:
        rest = normalised(text)
        any_word = any(p.pattern.search(rest) for p in _phrases())
        assert (_any_phrase().search(rest) is not None) == any_word, text
        found += any_word
    assert 0 < found < len(texts)
