"""A Burmese speaker over LINE (many are technical intern trainees) is answered in Burmese:
thanks, the handoff to staff, the fallback and its staff button, and the same for a message
typed in Zawgyi as for its Unicode form (faq/texts.yaml's `my` texts); an NPO's entry may have
its answer in Burmese (answer_my)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpbot.conversation.language import answer_for
from helpbot.core.texts import use_catalogue
from helpbot.knowledge.loader import load_dir
from helpbot.storage.models import Contact
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event

SATURDAY_NIGHT = dt.datetime(2026, 12, 5, 13, 30, tzinfo=dt.UTC)  # 22:30 in Tokyo, Sunday closed
THANKS = "ကျေးဇူးတင်ပါတယ်"  # thank you
THANKS_ZAWGYI = "ေက်းဇူးတင္ပါတယ္"
# "I want to talk with staff", typed with the digit ၀ for the letter ဝ, as people often do
STAFF = "၀န်ထမ်းနဲ့ စကားပြောချင်ပါတယ်"
STAFF_ZAWGYI = "၀န္ထမ္းနဲ႔ စကားေျပာခ်င္ပါတယ္"
# "What colour is my cat?": nothing in the sample faq/ answers it
NO_ANSWER = "ကျွန်တော့် ကြောင်က ဘာအရောင်လဲ ပြောပါ"
# faq/texts.yaml's my texts
THANKS_REPLY = "ရပါတယ်။ အကူအညီ လိုတဲ့အခါ"
HANDED_OVER = "သင့်စာကို ဝန်ထမ်းတွေဆီ ပို့ပြီးပါပြီ။"
FALLBACK = "တောင်းပန်ပါတယ်၊ အဖြေ ရှာမတွေ့ပါဘူး။"
STAFF_BUTTON = "ဝန်ထမ်းနဲ့ ပြောမယ်"


def _say(line, fake_line, person: str, text: str) -> list[dict]:
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event(text, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    return fake_line.replies[-1].messages


def _labels(message: dict) -> list[str]:
    return [item["action"]["label"] for item in message.get("quickReply", {}).get("items", [])]


@pytest.mark.parametrize("text", [THANKS, THANKS_ZAWGYI])
def test_burmese_thanks_gets_burmese_thanks(line, fake_line, text):
    (reply,) = _say(line, fake_line, new_user_id(), text)
    assert reply["text"].startswith(THANKS_REPLY), reply["text"]


@pytest.mark.parametrize("text", [STAFF, STAFF_ZAWGYI])
def test_asking_for_staff_in_burmese_gets_the_burmese_handoff(line, fake_line, text):
    messages = _say(line, fake_line, new_user_id(), text)
    told = messages[-1]["text"]
    assert told.startswith(HANDED_OVER) and "1 နာရီလောက်" in told, told  # staff.yaml's my


def test_out_of_hours_the_burmese_handoff_says_when_in_burmese(line, fake_line, clock):
    clock.now = SATURDAY_NIGHT
    told = _say(line, fake_line, new_user_id(), STAFF)[-1]["text"]
    assert told.startswith(HANDED_OVER) and "12လ 7ရက် 09:00" in told, told
    assert "Monday" not in told and "（月）" not in told


def test_a_burmese_question_without_an_answer_gets_the_burmese_fallback_and_button(
        line, fake_line):
    person = new_user_id()
    reply = _say(line, fake_line, person, NO_ANSWER)[-1]
    assert reply["text"].startswith(FALLBACK), reply["text"]
    assert _labels(reply)[-1] == STAFF_BUTTON
    # the button hands over in Burmese too
    token = fake_line.issue_reply_token(user_id=person)
    line.post(postback_event("a=human", user_id=person, reply_token=token))
    line.settle()
    assert fake_line.replies[-1].messages[-1]["text"].startswith(HANDED_OVER)


def test_zawgyi_gets_what_its_unicode_form_gets(line, fake_line):
    unicode = [m["text"] for m in _say(line, fake_line, new_user_id(), STAFF)]
    zawgyi = [m["text"] for m in _say(line, fake_line, new_user_id(), STAFF_ZAWGYI)]
    assert zawgyi == unicode


def test_a_burmese_person_still_waiting_at_night_is_told_in_burmese_when_staff_are_back(
        app, line, fake_line, clock):
    clock.now = SATURDAY_NIGHT
    person = new_user_id()
    _say(line, fake_line, person, STAFF)
    _say(line, fake_line, person, "ကျွန်တော် စောင့်နေပါတယ်")  # "I am waiting"
    clock.now = SATURDAY_NIGHT + dt.timedelta(minutes=15)
    services = app.extensions["helpbot"]
    assert services.cases.acknowledge_waiting(services.knowledge.snapshot().kb.staff) == 1
    told = fake_line.sent_texts(user_id=person)[-1]
    assert told.startswith("သင့်စာ ရောက်ပါပြီ။") and "12လ 7ရက် 09:00" in told, told


def test_an_entry_with_answer_my_is_sent_in_burmese_and_one_without_in_easy_japanese(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "- id: rent\n  question: 家賃が払えない\n  answer: 区役所に相談してください。\n"
        "  answer_easy: くやくしょに そうだん してください。\n"
        "  question_my: အိမ်လခ မပေးနိုင်ဘူး\n  answer_my: ရပ်ကွက်ရုံးမှာ တိုင်ပင်ပါ။\n"
        "- id: food\n  question: 食べ物がない\n  answer: フードバンクがあります。\n"
        "  answer_easy: たべものを もらえる ところが あります。\n",
        encoding="utf-8")
    kb, problems = load_dir(tmp_path)
    assert problems == []
    use_catalogue(load_dir(SAMPLE_FAQ)[0].texts)
    try:
        person = Contact(language="my", easy_japanese=False)
        rent, food = kb.entries
        assert answer_for(rent, person) == ("ရပ်ကွက်ရုံးမှာ တိုင်ပင်ပါ။", False)
        text, offer_staff = answer_for(food, person)
        assert text.startswith("ဒီအဖြေ မြန်မာလို မရှိသေးလို့") and offer_staff
        assert text.endswith("たべものを もらえる ところが あります。")
    finally:
        use_catalogue(None)
