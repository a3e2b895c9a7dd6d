"""Asking for staff in every language of the catalogue opens a case: staff.yaml's
handoff_phrases, with ``*`` for the small words that differ and accents optional."""

from __future__ import annotations

import pytest

from helpbot.cases.triage import asks_for_human
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ


def _phrases() -> tuple[str, ...]:
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.staff is not None
    return kb.staff.handoff_phrases


ASKING = [
    "可以让我跟你们的工作人员说一下吗？",
    "请帮我转人工",
    "상담원이랑 연결해 주실 수 있나요?",
    "직원분과 직접 얘기하고 싶습니다",
    "Cho tôi gặp nhân viên tư vấn được không?",
    "toi muon noi chuyen voi nguoi that",  # no accents, as many type
    "Posso falar com alguém, por favor?",
    "Preciso falar com uma pessoa da equipe",
    "¿Puedo hablar con una persona de verdad?",
    "Necesito hablar con alguien",
    "Pwede ko bang makausap ang isang staff?",
    "Gusto kong kausapin ang tao dyan",
    "मलाई कर्मचारीसँग कुरा गर्नु छ",
    "Bisakah saya bicara dengan petugas?",
    "Can I speak with one of your staff please",
]
NOT_ASKING = [
    "我想知道怎么在市政府登记地址",
    "직원이 없어요",  # "there are no employees": the word alone is not a request
    "Tôi muốn biết cách đăng ký địa chỉ",
    "Quero saber como registrar meu endereço",
    "¿Dónde puedo conseguir comida?",
    "Saan ako makakakuha ng pagkain?",
    "Saya tidak punya uang untuk makan",
]


@pytest.mark.parametrize("text", ASKING)
def test_a_request_for_staff_is_recognised_in_every_language(text):
    assert asks_for_human(text, _phrases())


@pytest.mark.parametrize("text", NOT_ASKING)
def test_an_ordinary_question_is_not_a_request_for_staff(text):
    assert not asks_for_human(text, _phrases())


def test_a_star_stands_for_a_few_words_not_for_a_whole_message():
    phrases = ("falar com * atendente",)
    assert asks_for_human("Quero falar com um atendente", phrases)
    assert asks_for_human("FALAR COM A ATENDENTE", phrases)
    assert not asks_for_human(
        "Quero falar com meu chefe sobre o salário que o atendente da loja não pagou", phrases)


def test_asking_in_vietnamese_on_the_web_chat_opens_a_case_told_in_vietnamese(client):
    body = client.post("/api/playground/messages", json={
        "session": "phrases-vi", "text": "Tôi muốn nói chuyện với nhân viên"}).get_json()
    told = body["replies"][-1]["text"]
    assert "Chúng tôi đã chuyển tin nhắn cho nhân viên" in told
