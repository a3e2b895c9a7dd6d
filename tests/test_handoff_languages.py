"""What a person is told when handed to staff, in their own language only: staff.yaml's
words (expected_reply) only where written in that language, dates as that language writes
them, and English whole where the catalogue has no text in the language (never a mix)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from helpbot.knowledge.policies import read_staff_policy
from helpbot.storage.models import Delivery
from tests.test_knowledge_versions import edit

KANA = re.compile(r"[\u3040-\u30ff]")
SATURDAY_NIGHT = dt.datetime(2026, 12, 5, 13, 30, tzinfo=dt.UTC)  # 22:30 in Tokyo, Sunday closed
MESSAGES = "/api/playground/messages"
# One question per language, long enough for the detector to tell the language.
QUESTIONS = {
    "vi": "Tôi muốn biết cách đăng ký địa chỉ ở tòa thị chính",
    "zh": "我想知道怎么在市政府登记地址",
    "ko": "시청에서 주소 등록하는 방법을 알고 싶어요",
    "pt": "Quero saber como registrar meu endereço na prefeitura",
    "tl": "Gusto kong malaman kung paano magparehistro ng address sa city hall",
    "es": "Quiero saber cómo registrar mi dirección en el ayuntamiento",
    "ne": "नगरपालिकामा ठेगाना कसरी दर्ता गर्ने जान्न चाहन्छु",
    "id": "Saya ingin tahu cara mendaftarkan alamat di balai kota",
}
# faq/staff.yaml's expected_reply in each language
REPLY_TIME = {"vi": "khoảng 1 tiếng", "zh": "1小时左右", "ko": "1시간 정도",
              "pt": "cerca de 1 hora", "es": "aproximadamente 1 hora", "tl": "mga 1 oras",
              "ne": "करिब 1 घण्टा", "id": "sekitar 1 jam"}
# the first words of faq/texts.yaml's case_opened in each language
OPENED = {"vi": "Chúng tôi đã chuyển", "zh": "已经帮您联系", "ko": "직원에게 연결",
          "pt": "Passamos sua mensagem", "es": "Pasamos su mensaje", "tl": "Naipasa na namin",
          "ne": "हामीले तपाईंको सन्देश", "id": "Kami sudah meneruskan"}


def _handed_over(client, session: str, language: str) -> str:
    client.post(MESSAGES, json={"session": session, "text": QUESTIONS[language]})
    body = client.post(MESSAGES, json={"session": session, "postback": "a=human"}).get_json()
    return body["replies"][-1]["text"]


@pytest.mark.parametrize("language", sorted(REPLY_TIME))
def test_in_office_hours_the_reply_time_comes_in_the_persons_language(client, language):
    told = _handed_over(client, f"handoff-lang-{language}", language)
    assert not KANA.search(told) and "時間" not in told, told
    assert told.startswith(OPENED[language]) and REPLY_TIME[language] in told, told


def test_a_language_without_the_text_gets_it_all_in_english(client, faq_dir):
    texts = faq_dir / "texts.yaml"
    edit(texts, re.sub(r"\n  es: Pasamos su mensaje a nuestro personal\. Le responderán aquí en "
                       r"\{expected\}[^\n]*", "", texts.read_text(encoding="utf-8")))
    told = _handed_over(client, "handoff-no-es-text", "es")
    assert not KANA.search(told) and "時間" not in told, told
    assert "They will reply here in about an hour" in told and "aproximadamente" not in told


def test_a_language_staff_did_not_write_a_reply_time_for_gets_a_whole_sentence(
        client, faq_dir):
    staff = faq_dir / "staff.yaml"
    edit(staff, re.sub(r"\n  vi: khoảng 1 tiếng", "", staff.read_text(encoding="utf-8")))
    told = _handed_over(client, "handoff-no-vi", "vi")
    assert not KANA.search(told) and "時間" not in told
    assert "sớm nhất có thể" in told  # case_opened_soon, in Vietnamese


@pytest.mark.parametrize(("language", "when"), [
    ("vi", "7/12 09:00"), ("pt", "7/12 09:00"), ("zh", "12月7日 09:00"),
    ("ko", "12월 7일 09:00"), ("es", "7/12 09:00"), ("id", "7/12 09:00"),
    ("tl", "2026-12-07 09:00"), ("ne", "2026-12-07 09:00"),
])
def test_out_of_hours_the_opening_is_written_as_the_persons_language_writes_dates(
        client, clock, language, when):
    clock.now = SATURDAY_NIGHT
    told = _handed_over(client, f"handoff-closed-{language}", language)
    assert when in told, told
    assert not KANA.search(told) and "（月）" not in told


def test_faq_check_reports_a_reply_time_in_an_unknown_language():
    _, problems = read_staff_policy(
        "expected_reply:\n  ja: 1時間ほど\n  jp: 1時間\n", "staff.yaml")
    assert [p.line for p in problems] == [3] and "jp" in problems[0].message


def test_staff_words_replace_the_built_in_reply_time_whole():
    policy, problems = read_staff_policy("expected_reply:\n  ja: 3日ほど\n", "staff.yaml")
    assert problems == [] and policy is not None
    assert policy.expected_reply == {"ja": "3日ほど"}  # no built-in "about an hour" left


@pytest.mark.parametrize(("language", "contact"), [
    ("vi", "Nếu gấp, hãy gọi cho chúng tôi"), ("es", "Si es urgente, llámenos"),
    ("tl", "Kung apurahan, tawagan kami"), ("id", "Jika mendesak, telepon kami")])
def test_an_apology_carries_the_contact_in_its_own_language_only(app, client, database,
                                                                   language, contact):
    session_id = f"apology-{language}"
    client.post(MESSAGES, json={"session": session_id, "text": QUESTIONS[language]})
    recovery = app.extensions["helpbot"].conversation.recovery
    sorry = recovery.apologize(channel="web", user_id=session_id, what="a test failure",
                               message=None)
    with database.session() as session:
        sorry_and_contact = session.get(Delivery, sorry.delivery_id).text.split("\n")[:2]
    # (the crisis lines follow: every line, as the failed message is not known here)
    assert contact in sorry_and_contact[1] and not KANA.search("".join(sorry_and_contact))


def test_an_apology_without_its_text_in_the_language_is_english_whole(app, client, database,
                                                                      faq_dir):
    texts = faq_dir / "texts.yaml"
    edit(texts, texts.read_text(encoding="utf-8").replace(
        "\n  es: Lo siento, no pude responder ahora. Envíe su mensaje otra vez en un momento.", ""))
    client.post(MESSAGES, json={"session": "apology-no-es", "text": QUESTIONS["es"]})
    recovery = app.extensions["helpbot"].conversation.recovery
    sorry = recovery.apologize(channel="web", user_id="apology-no-es", what="a test failure",
                               message=None)
    with database.session() as session:
        sorry_and_contact = session.get(Delivery, sorry.delivery_id).text.split("\n")[:2]
    assert sorry_and_contact[0].startswith("Sorry, I could not answer just now")
    assert "If it is urgent, please call us" in sorry_and_contact[1]
