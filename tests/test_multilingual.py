"""Questions in other languages and やさしい日本語, over the LINE webhook (the fake LINE API)."""

from __future__ import annotations

from sqlalchemy import select

from helpbot.storage.models import Contact
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event


def _ask(line, fake_line, text: str, user: str | None = None) -> tuple[str, dict]:
    """Send one text as ``user``; return the user and the last message the bot sent."""
    user = user or new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()
    deliveries = [d for d in fake_line.deliveries if d.user_id == user]
    return user, deliveries[-1].messages[-1]


def _postback(line, fake_line, data: str, user: str) -> dict:
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(postback_event(data, user_id=user, reply_token=token)).status_code == 200
    line.settle()
    return [d for d in fake_line.deliveries if d.user_id == user][-1].messages[-1]


def _items(message: dict) -> list[dict]:
    return message.get("quickReply", {}).get("items", [])


def _topics(message: dict) -> list[str]:
    return [i["action"]["data"] for i in _items(message) if "a=category" in i["action"]["data"]]


def test_i_lost_my_job_gets_an_english_reply_with_choices_and_staff(line, fake_line):
    _, message = _ask(line, fake_line, "I lost my job, can I get money?")
    assert message["text"].startswith(("Did you mean", "Sorry", "This answer", "If you"))
    labels = [item["action"]["label"] for item in _items(message)]
    assert len(labels) >= 3
    assert "Talk to staff" in labels
    assert fake_line.violations == []


def test_the_english_fallback_offers_the_same_topics_as_the_japanese_one(line, fake_line):
    english_user, _ = _ask(line, fake_line, "I lost my job, can I get money?")
    japanese_user, _ = _ask(line, fake_line, "仕事をなくしました。お金をもらえますか")
    # a button from an older knowledge base: the topic list, in the person's language
    english = _postback(line, fake_line, "a=answer&id=gone-entry", english_user)
    japanese = _postback(line, fake_line, "a=answer&id=gone-entry", japanese_user)
    assert english["text"].startswith("Sorry")
    assert japanese["text"].startswith("ごめんなさい")
    assert 3 <= len(_topics(japanese)) <= 5  # a few topics at a glance, not 1 or 9
    assert _topics(english) == _topics(japanese)
    english_labels = [i["action"]["label"] for i in _items(english)]
    assert "Food" in english_labels and "Housing" in english_labels


def test_a_vietnamese_question_about_an_existing_entry_gets_suggestions(line, fake_line):
    _, message = _ask(line, fake_line, "Tôi không trả được tiền thuê nhà")
    assert "Có phải bạn muốn hỏi" in message["text"]
    suggested = [i["action"]["data"] for i in _items(message) if "a=answer" in i["action"]["data"]]
    assert "a=answer&id=housing-rent-arrears" in suggested
    assert "Gặp nhân viên" in [i["action"]["label"] for i in _items(message)]


def test_an_answer_comes_in_the_persons_language_or_in_easy_japanese_with_a_note(
    line, fake_line
):
    user, _ = _ask(line, fake_line, "Tôi không trả được tiền thuê nhà")
    translated = _postback(line, fake_line, "a=answer&id=housing-rent-arrears", user)
    assert translated["text"].startswith("Nếu sắp trễ tiền nhà")
    untranslated = _postback(line, fake_line, "a=answer&id=about-hours", user)
    assert untranslated["text"].startswith("Câu trả lời này chưa có bằng tiếng Việt")
    assert "Gặp nhân viên" in [i["action"]["label"] for i in _items(untranslated)]


def test_easy_japanese_on_request_is_remembered_across_messages(line, fake_line, database):
    user, confirmation = _ask(line, fake_line, "やさしい日本語で")
    assert "やさしい にほんご" in confirmation["text"]
    _, later = _ask(line, fake_line, "今日食べるものがありません", user=user)
    assert later["text"].startswith("つらいですね。まず きょうの たべもの")
    staff = [i["action"]["label"] for i in _items(_postback(line, fake_line, "a=x", user))]
    assert any("たべもの" in label for label in staff), staff  # the topics, in easy words
    with database.session() as session:
        contact = session.scalars(select(Contact).where(Contact.channel_user_id == user)).one()
        assert contact.easy_japanese is True and contact.language == "easy"
    _, plain = _ask(line, fake_line, "ふつうの日本語で", user=user)
    assert "ふつうの" in plain["text"]
    _, after = _ask(line, fake_line, "今日食べるものがありません", user=user)
    assert after["text"].startswith("つらいですね。まず今日の食べ物")


def test_hiragana_request_inside_a_question_switches_and_answers(line, fake_line, database):
    user, message = _ask(line, fake_line, "ひらがなで おしえて。フードバンクは どこですか")
    # the rest of the message is answered (or suggested), in the easy words
    assert message["text"].startswith(("つらいですね。まず きょうの たべもの", "この なかに",
                                       "フードバンク")), message["text"]
    with database.session() as session:
        contact = session.scalars(select(Contact).where(Contact.channel_user_id == user)).one()
        assert contact.easy_japanese is True
    # No food today, with the request before it: the sample FAQ's own food-today question,
    # answered (or suggested) in the easy words, as without the request.
    _, food = _ask(line, fake_line, "ひらがなで おしえて。今日食べるものがありません", user=user)
    assert food["text"].startswith(("つらいですね。まず きょうの たべもの", "この なかに")), food


def test_the_case_view_shows_the_easy_japanese_choice(line, fake_line, fake_slack):
    from tests.conftest import SLACK_CHANNEL

    user, _ = _ask(line, fake_line, "ひらがなで")
    _ask(line, fake_line, "家賃が払えなくて、人と話したいです", user=user)
    (posted,) = fake_slack.messages(channel=SLACK_CHANNEL)
    assert "やさしい日本語を希望" in str(posted.blocks)


def test_a_few_latin_letters_stay_with_the_japanese_matcher():
    from helpbot.matching.crosslingual import written_in_another_language

    assert not written_in_another_language("DV")
    assert not written_in_another_language("NHK")
    assert written_in_another_language("I lost my job")
    assert written_in_another_language("Tôi mất việc")
    assert not written_in_another_language("生活保護の申請")
    assert not written_in_another_language("住民票")


def test_a_person_who_asked_for_easy_japanese_gets_the_crisis_lines_in_it(line, fake_line):
    user, _ = _ask(line, fake_line, "やさしい日本語で")
    _ask(line, fake_line, "もう しにたい", user=user)
    texts = "\n".join(fake_line.sent_texts(user_id=user))
    assert "よりそい ホットライン" in texts, texts  # the crisis lines' easy wording


def test_an_entry_written_in_the_persons_language_is_not_outranked_by_glossary_words(
    line, fake_line
):
    # "no money" and "welfare" are glossary terms (生活困窮, 生活保護): their Japanese entries
    # must not push the NPO's own English entries (faq/english.yaml) below them.
    for text, entry, words in (
        ("my fridge is empty and i have no money for groceries", "en-food", "food pantry"),
        ("I'm foreign, can I apply for welfare in Japan?", "en-welfare", "public assistance"),
    ):
        user, message = _ask(line, fake_line, text)
        if "quickReply" in message:  # did you mean: the English entry first
            first = _items(message)[0]["action"]["data"]
            assert first == f"a=answer&id={entry}", (text, first)
        else:  # answered directly, with the English entry's answer (faq/english.yaml)
            assert words in " ".join(fake_line.sent_texts(user_id=user)), text
