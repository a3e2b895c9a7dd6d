"""「制度をさがす」 in the person's language: LINE webhook, fake LINE, the sample faq/texts.yaml."""

from __future__ import annotations

from urllib.parse import parse_qsl

from tests.fakes.line_webhooks import new_user_id
from tests.test_programs_conversation import _say, _tap


def _buttons(message: dict) -> dict[str, str]:
    return {i["action"]["label"]: i["action"]["data"] for i in message["quickReply"]["items"]}


def _question(message: dict) -> tuple[str, dict[str, str]]:
    """The question's own words (below what was understood) and its answers by label."""
    return message["text"].split("\n\n")[-1], _buttons(message)


def _japanese(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def _until_results(line, fake_line, user: str, message: dict, dont_know: str) -> dict:
    for _ in range(6):
        if message["type"] != "text" or "quickReply" not in message:
            break
        buttons = _buttons(message)
        if not all(data.startswith("a=pf&") for data in buttons.values()):
            break
        message = _tap(line, fake_line, user, buttons[dont_know])
    return message


def test_an_english_speaker_gets_english_questions_buttons_and_results(line, fake_line):
    user = new_user_id()
    ask = _say(line, fake_line, user, "I want to find support programs")
    assert ask["text"].startswith("I will look for support programs that fit you.")
    message = _say(line, fake_line, user, "I'm a single mother, my part-time pay is low")
    assert message["text"].startswith("What I understood:\n・Household: Single parent & kids")
    text, buttons = _question(message)
    assert "Don't know" in buttons and "Rather not say" in buttons
    assert "わからない" not in buttons and not any("\u3040" <= c <= "\u30ff" for c in text)
    result = _until_results(line, fake_line, user, message, "Don't know")
    assert result["type"] == "flex"
    words = fake_line.replies[-1].messages[0]["text"]  # the words, then the carousel
    assert "\nPrograms that may fit you:\nThe programs' names and details are in Japanese." in words
    assert "児童扶養手当" in words  # the program itself as faq/programs*.yaml writes it
    assert "Why it fits: " in result["altText"] and "What to bring: " in result["altText"]
    why = [line for line in words.splitlines() if line.startswith("Why it fits: ")]
    assert why and "Why it fits: Household: Single parent & kids" in why
    assert not any(_japanese(line) for line in why), why  # the reasons in English too
    assert words.endswith("Please check with the office before you apply.")
    footer = {c["action"]["label"] for b in result["contents"]["contents"]
              for c in b["footer"]["contents"]}
    assert {"Official page", "Show at the office"} <= footer
    after = _buttons(result)
    assert after == {"Show at the office": "a=pshow", "Change an answer": "a=pchange",
                     "Delete my answers": "a=pclear"}
    note = _tap(line, fake_line, user, "a=pshow")["text"]
    # The note for the office stays Japanese, under one line in the person's language.
    assert note.startswith("Show this note at the office.")
    assert "【窓口で見せるメモ】" in note and "・世帯: ひとり親と子ども" in note
    cleared = _tap(line, fake_line, user, "a=pclear")
    assert cleared["text"].startswith("Your answers are deleted.")
    assert _buttons(cleared) == {"Find programs": "a=pfind"}
    assert fake_line.violations == []


def test_the_buttons_postbacks_do_not_depend_on_the_language(line, fake_line):
    datas = {}
    for start, describe, dont_know in (
            ("制度をさがす", "シングルマザーです", "わからない"),
            ("Find programs", "I'm a single mother", "Don't know")):
        user = new_user_id()
        _say(line, fake_line, user, start)
        _until_results(line, fake_line, user, _say(line, fake_line, user, describe), dont_know)
        choose = _buttons(_tap(line, fake_line, user, "a=pchange"))
        question = _tap(line, fake_line, user, choose["世帯" if dont_know == "わからない"
                                                        else "Household"])
        datas[dont_know] = list(_buttons(question).items())
    japanese, english = datas["わからない"], datas["Don't know"]
    assert [data for _label, data in japanese] == [data for _label, data in english]
    assert ("ひとり", "a=pf&f=household&v=alone") in japanese
    assert ("Alone", "a=pf&f=household&v=alone") in english


def test_a_vietnamese_speaker_gets_vietnamese(line, fake_line):
    user = new_user_id()
    # The finder cannot read a situation told in Vietnamese: straight to the questions.
    message = _say(line, fake_line, user, "Tôi muốn tìm hỗ trợ")
    assert message["text"].startswith("Tôi chưa biết rõ tình hình của bạn.")
    text, buttons = _question(message)
    assert {"Không biết", "Không muốn trả lời"} <= set(buttons)
    fact = dict(parse_qsl(next(iter(buttons.values()))))["f"]
    vietnamese = {"household": "Bạn sống cùng ai?", "employment":
                  "Công việc của bạn bây giờ thế nào?", "children": "Bạn sống cùng mấy người con?",
                  "income": "Thu nhập của gia đình bạn khoảng bao nhiêu?", "age":
                  "Bạn bao nhiêu tuổi?"}
    assert text == vietnamese[fact]
    assert all(len(label) <= 20 for label in buttons)
    _until_results(line, fake_line, user, message, "Không biết")
    words = fake_line.replies[-1].messages[0]["text"]
    assert "Các chế độ có thể phù hợp với bạn:" in words or words.startswith(
        "Tôi chưa tìm được chế độ phù hợp.")
    assert fake_line.violations == []


def test_easy_japanese_gets_the_easy_words(line, fake_line):
    user = new_user_id()
    _say(line, fake_line, user, "やさしい日本語で")
    ask = _say(line, fake_line, user, "制度をさがす")
    assert ask["text"].startswith("あなたに あう せいどを さがします。")
    message = _say(line, fake_line, user, "シングルマザーです")
    assert message["text"].startswith("わかった こと:\n・かぞく: ひとりおやと こども")
    _text, buttons = _question(message)
    assert {"わからない", "いいたくない"} <= set(buttons)
    _until_results(line, fake_line, user, message, "わからない")
    words = fake_line.replies[-1].messages[0]["text"]
    assert "あなたに あいそうな せいど:\nせいどの なまえや せつめいは ふつうの にほんごです。" \
        in words


def test_the_rich_menu_postback_keeps_the_persons_language(line, fake_line):
    user = new_user_id()
    _say(line, fake_line, user, "Hello, I need help paying my rent")
    ask = _tap(line, fake_line, user, "a=pfind")  # the rich menu's 「制度をさがす」
    assert ask["text"].startswith("I will look for support programs that fit you.")


def test_a_staff_rewrite_in_texts_yaml_wins(line, fake_line, faq_dir):
    texts = faq_dir / "texts.yaml"
    written = texts.read_text(encoding="utf-8")
    assert 'en: "Who do you live with?"' in written and "en: Find programs," in written
    texts.write_text(written.replace('en: "Who do you live with?"', 'en: "Who lives with you?"')
                     .replace("en: Find programs,", "en: Look for help,"), encoding="utf-8")
    user = new_user_id()
    _say(line, fake_line, user, "find programs")
    message = _tap(line, fake_line, user, "a=pchange")  # no answers yet
    assert message["text"].startswith("There are no answers yet.")
    assert _buttons(message) == {"Look for help": "a=pfind"}
    _say(line, fake_line, user, "I'm a single mother")
    question = _tap(line, fake_line, user, "a=pre&f=household")
    assert question["text"] == "Who lives with you?"
    assert fake_line.violations == []


def test_a_question_that_names_support_is_not_taken_by_the_finder(line, fake_line):
    # "tìm hỗ trợ" (find support) in a question about rent: the question is answered, the
    # finder (which cannot read the rest) is not started; said alone, it starts the finder.
    user = new_user_id()
    message = _say(line, fake_line, user, "Tôi cần tìm hỗ trợ tiền thuê nhà vì mất việc")
    assert not message["text"].startswith("Tôi chưa biết rõ tình hình của bạn.")
    assert all(not data.startswith("a=pf&") for data in _buttons(message).values())

