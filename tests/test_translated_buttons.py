"""question_<language> fields on the buttons that offer an entry to a person who writes in
that language, over the LINE webhook (loading and checking them: test_texts_catalogue.py)."""

from __future__ import annotations

import pytest

from helpbot.conversation.buttons import LABEL_LIMIT, entry_buttons
from helpbot.core.messages import answer_postback, category_postback
from helpbot.knowledge.entries import Entry, EntryKind
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event


def test_a_long_translated_question_is_cut_on_the_label_and_whole_when_tapped():
    long = "I was told to leave my apartment by the end of the month"
    entry = Entry("a", EntryKind.FAQ, "出ていけと言われました", "答え",
                  question_translations=(("en", long),))
    (english,) = entry_buttons([entry], "en")
    assert english.label == long[:LABEL_LIMIT - 1] + "…"
    assert english.display_text == long
    (vietnamese,) = entry_buttons([entry], "vi")  # no question_vi: Japanese, as before
    assert (vietnamese.label, vietnamese.display_text) == ("出ていけと言われました",) * 2
    assert entry_buttons([entry], "vi") == entry_buttons([entry]) == entry_buttons([entry], "ja")


def _send(line, fake_line, event) -> dict:
    assert line.post(event).status_code == 200
    line.settle()
    return fake_line.deliveries[-1].messages[-1]


def _ask(line, fake_line, text: str, user: str) -> dict:
    token = fake_line.issue_reply_token(user_id=user)
    return _send(line, fake_line, text_event(text, user_id=user, reply_token=token))


def _tap(line, fake_line, data: str, user: str) -> dict:
    token = fake_line.issue_reply_token(user_id=user)
    return _send(line, fake_line, postback_event(data, user_id=user, reply_token=token))


def _entry_buttons(message: dict) -> dict[str, tuple[str, str]]:
    """{entry id: (label, displayText)} of the quick replies that open an entry."""
    out = {}
    for item in message.get("quickReply", {}).get("items", []):
        action = item["action"]
        if action["data"].startswith("a=answer&id="):
            out[action["data"].removeprefix("a=answer&id=")] = (
                action["label"], action["displayText"])
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't pay my rent this month", {"housing-rent-arrears": "I can't pay my rent",
                                            "program-jukyo-kakuho": "Help paying rent"}),
        ("Tôi không trả được tiền thuê nhà", {"housing-rent-arrears": "Không đủ tiền nhà",
                                              "program-jukyo-kakuho": "Trợ cấp tiền nhà"}),
    ],
)
def test_suggestions_come_in_the_persons_language(line, fake_line, text, expected):
    message = _ask(line, fake_line, text, new_user_id())
    buttons = _entry_buttons(message)
    for entry_id, question in expected.items():
        assert buttons.get(entry_id) == (question, question), (entry_id, buttons)
    kb, _ = load_dir(SAMPLE_FAQ)
    entries = kb.by_id()
    for entry_id, (_, shown) in buttons.items():  # untranslated ones: Japanese, as before
        if not entries[entry_id].question_translations:
            assert shown == entries[entry_id].question
    assert fake_line.violations == []


def test_a_topic_list_for_an_english_speaker_shows_the_entries_with_english_questions(
    line, fake_line
):
    user = new_user_id()
    _ask(line, fake_line, "I can't pay my rent this month", user)
    buttons = _entry_buttons(_tap(line, fake_line, category_postback("住まい"), user))
    assert buttons["shelter-tonight"] == ("Need a bed tonight", "Need a bed tonight")
    assert buttons["housing-eviction"] == ("Told to move out", "Told to move out")
    assert all(label.isascii() for label, _ in buttons.values()), buttons
    assert fake_line.violations == []


def test_a_person_who_asked_for_easy_japanese_gets_the_easy_questions(line, fake_line):
    user = new_user_id()
    _ask(line, fake_line, "やさしい日本語で", user)
    buttons = _entry_buttons(_tap(line, fake_line, category_postback("住まい"), user))
    assert buttons["housing-rent-arrears"] == ("やちんが はらえません", "やちんが はらえません")
    assert buttons["shelter-tonight"][0] == "こんや とまる ところが ありません"
    assert buttons["shelter-netcafe"][0] == "ネットカフェで寝泊まりしています"  # none written
    # tapping one answers in the easy words
    answer = _tap(line, fake_line, answer_postback("housing-rent-arrears"), user)
    assert answer["text"].startswith("やちんが おくれそうな ときは")


def test_a_japanese_speaker_sees_the_questions_as_written(line, fake_line):
    user = new_user_id()
    kb, _ = load_dir(SAMPLE_FAQ)
    questions = {e.id: e.question for e in kb.entries}
    suggested = _entry_buttons(_ask(line, fake_line, "家賃がはらえなくて困ってる", user))
    listed = _entry_buttons(_tap(line, fake_line, category_postback("住まい"), user))
    assert "housing-rent-arrears" in suggested
    assert "shelter-netcafe" in listed and "housing-rent-arrears" in listed
    for entry_id, (label, shown) in {**suggested, **listed}.items():
        assert shown == questions[entry_id]
        assert label == (shown if len(shown) <= LABEL_LIMIT else shown[:LABEL_LIMIT - 1] + "…")


def test_a_spreadsheets_english_columns_answer_an_english_speaker(line, fake_line, faq_dir):
    """question_en / answer_en columns of a CSV work as the YAML fields do (picked up on the
    next message, as any edit is)."""
    (faq_dir / "city_faq.csv").write_text(
        "ID,質問,回答,question_en,answer_en,所管部署\n"
        "tax-slip,住民税の納付書をなくしました,納付書は再発行できます。税務課へ。,"
        "Lost my tax payment slip,We can issue the slip again. Ask the tax office.,税務課\n",
        encoding="utf-8",
    )
    user = new_user_id()
    buttons = _entry_buttons(_ask(line, fake_line, "I lost my resident tax payment slip", user))
    assert buttons["tax-slip"][1] == "Lost my tax payment slip"
    answer = _tap(line, fake_line, answer_postback("tax-slip"), user)
    assert answer["text"].startswith("We can issue the slip again. Ask the tax office.")
    assert "納付書" not in answer["text"]
    assert fake_line.violations == []
