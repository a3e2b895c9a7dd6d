"""A foreign resident talking to the web chat as they write on a phone: Spanish that the model
took for Portuguese, Japanese words in Latin letters inside Indonesian or Vietnamese. Every
reply, and its buttons, come in the person's own language (through the real app)."""

from __future__ import annotations

import pytest

MESSAGES = "/api/playground/messages"


def _say(client, session: str, text: str) -> list[dict]:
    return client.post(MESSAGES, json={"session": session, "text": text}).get_json()["replies"]


def test_spanish_that_looks_portuguese_gets_the_crisis_lines_and_the_handoff_in_spanish(client):
    lines, handoff = _say(client, "foreign-es-dv", "mi esposo me pega")
    assert lines["text"].startswith("Su seguridad es lo primero"), lines["text"]
    assert "segurança" not in lines["text"] and "Você" not in lines["text"]
    assert handoff["text"].startswith("Pasamos su mensaje a nuestro personal"), handoff["text"]


def test_an_indonesian_asking_for_a_line_by_its_japanese_name_stays_indonesian(client):
    (line,) = _say(client, "foreign-id-line", "nomor telepon inochi no denwa")
    assert "layanan pencegahan bunuh diri" in line["text"] and "0570-783-556" in line["text"]
    (suggest,) = _say(client, "foreign-id-line", "saya butuh makanan")
    assert suggest["text"].startswith("Apakah maksud Anda"), suggest["text"]
    labels = [button["label"] for button in suggest["quick_replies"]]
    assert labels[-1] == "Bicara dengan staf"


def test_a_vietnamese_without_accents_asking_for_a_doctor_is_answered_in_vietnamese(client):
    (reply,) = _say(client, "foreign-vi-doctor", "toi can di kham bac si")
    labels = [button["label"] for button in reply["quick_replies"]]
    assert "Sorry" not in reply["text"] and "Did you mean" not in reply["text"], reply["text"]
    assert labels[-1] == "Gặp nhân viên"


def test_a_spanish_speaker_is_asked_to_rate_the_help_in_spanish(app, client, database):
    from sqlalchemy import select

    from helpbot.storage.models import Case, Delivery

    _say(client, "foreign-es-rate", "quiero hablar con alguien del personal")
    with database.session() as session:
        case_id = session.scalars(select(Case.id)).one()
    app.extensions["helpbot"].cases.resolve(case_id, worker_id="U1", worker_name="Sato")
    with database.session() as session:
        closing = session.scalars(select(Delivery).where(Delivery.case_id == case_id)
                                  .order_by(Delivery.id.desc())).first()
        text, extra = closing.text, closing.extra
    assert text.startswith("Cerramos esta conversación por ahora"), text
    assert [q["label"] for q in extra["quick_replies"]] == ["Bien", "Regular", "Mal"], extra


@pytest.mark.parametrize("text", [
    "toi can thuc an",  # Vietnamese without accents: "I need food"
    "kailangan ko ng pagkain",  # Tagalog
    "मलाई खाना चाहियो",  # Nepali
])
def test_i_need_food_in_everyday_words_is_offered_the_food_answers(client, text):
    (reply,) = _say(client, f"foreign-food-{len(text)}", text)
    postbacks = [button["postback"] for button in reply["quick_replies"]]
    assert "a=answer&id=food-today" in postbacks[:3], (reply["text"], postbacks)
