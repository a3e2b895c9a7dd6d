"""The crisis detector's learned layer: the shipped model, its guards, and its arithmetic."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from helpbot.crisis.foreign import DIM as E5_DIM
from helpbot.crisis.foreign import ENCODER_ID, load_foreign_model
from helpbot.crisis.learned import MODEL_FILE, NONE, CrisisModel, load_model, write_weights
from helpbot.knowledge.loader import load_dir
from helpbot.matching.semantic import DIM, MODEL_ID
from tests.conftest import SAMPLE_FAQ


def test_the_shipped_model_is_for_this_encoder_and_every_category():
    model = load_model()
    assert model is not None
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.crisis is not None
    assert set(model.classes) == {NONE} | {c.key for c in kb.crisis.categories}
    assert model.weights.shape == (len(model.classes), DIM)
    assert 0.5 <= model.threshold < 1.0


def test_a_danger_no_list_or_example_holds_is_found_by_the_model(detector):
    text = "押し入れの中で息をひそめてる。あの人の車の音がした"
    hit = detector.detect(text)
    assert hit is not None and hit.layer == "learned" and hit.category == "violence", hit
    assert hit.why.startswith("learned model (") and "nearest example 「" in hit.why
    assert hit.rule in _examples("violence")


def _examples(category: str) -> set[str]:
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.crisis is not None
    return {e for c in kb.crisis.categories if c.key == category for e in c.exemplars}


def test_a_learned_hit_shows_an_example_of_its_own_category(detector):
    # No food for days, said in a way no list holds: the example the case worker sees is one
    # of no_food's, though the nearest example of all was a suicide one (「明日なんて来なけれ
    # ばいい」) before.
    hit = detector.detect("お金ない 明日のごはんない")
    assert hit is not None and hit.layer == "learned", hit
    assert hit.rule in _examples(hit.category), hit


@pytest.mark.parametrize(
    "text",
    ["ゴミの日はいつですか", "児童手当の振込日を教えてください",
     "家賃の支払いが遅れそうです。相談できますか", "保育園の入園申し込みはいつまでですか"],
)
def test_everyday_questions_stay_under_the_threshold(detector, text):
    assert detector.detect(text) is None
    likely = detector._meaning.likely(text)
    assert likely is not None and likely.probability < 0.5


def _save(path: Path, *, encoder: str = MODEL_ID, classes=(NONE, "suicide"), weights=None,
          threshold: float = 0.9) -> Path:
    weights = np.zeros((len(classes), DIM), np.float32) if weights is None else weights
    np.savez(path, encoder=np.array(encoder), classes=np.array(classes), weights=weights,
             bias=np.zeros(len(classes), np.float32), threshold=np.array(threshold))
    return path


def test_a_model_fitted_for_another_encoder_is_ignored_with_a_warning(tmp_path, caplog):
    path = _save(tmp_path / "other.npz", encoder="another-encoder")
    with caplog.at_level(logging.WARNING, logger="helpbot.crisis.learned"):
        assert load_model(path) is None
    assert "fit_crisis_model" in caplog.text
    assert load_model(tmp_path / "missing.npz") is None


def test_the_most_alarming_piece_decides_with_its_category(tmp_path):
    weights = np.zeros((3, DIM), np.float32)
    weights[1, 0] = 10.0  # dimension 0 means suicide
    weights[2, 1] = 10.0  # dimension 1 means violence
    model = load_model(_save(tmp_path / "m.npz", classes=(NONE, "suicide", "violence"),
                             weights=weights))
    assert isinstance(model, CrisisModel)
    calm, violent = np.zeros(DIM, np.float32), np.zeros(DIM, np.float32)
    violent[1] = 1.0
    likely = model.likely([calm, violent])
    # exp(10) / (exp(0) + exp(0) + exp(10)) of danger, in the second piece, as violence
    assert likely.category == "violence" and likely.fires
    assert likely.probability == pytest.approx(1 - 1 / (2 + np.exp(10)), rel=1e-5)
    assert model.likely([calm]).probability == pytest.approx(2 / 3, rel=1e-5)
    assert not model.likely([calm]).fires


def test_what_the_fit_scripts_write_is_what_the_layers_read(tmp_path):
    """``write_weights`` (both fit scripts) and ``read_weights`` (both layers): one format."""
    weights = np.arange(2 * DIM, dtype=np.float64).reshape(2, DIM) / DIM
    fitted = SimpleNamespace(classes_=np.array([NONE, "suicide"]), coef_=weights,
                             intercept_=np.array([0.5, -0.5]))  # what scikit-learn fits
    write_weights(tmp_path / "m.npz", encoder=MODEL_ID, fitted=fitted, threshold=0.9,
                  foreign_threshold=0.95)
    model = load_model(tmp_path / "m.npz")
    assert model is not None and model.classes == (NONE, "suicide")
    assert np.array_equal(model.weights, weights.astype(np.float32))
    assert (model.threshold, model.foreign_threshold) == (pytest.approx(0.9), pytest.approx(0.95))
    e5 = SimpleNamespace(classes_=fitted.classes_, coef_=np.zeros((2, E5_DIM)),
                         intercept_=fitted.intercept_)
    write_weights(tmp_path / "e5.npz", encoder=ENCODER_ID, fitted=e5, languages=("vi", "tl"),
                  thresholds=[0.98, 0.99])
    foreign = load_foreign_model(tmp_path / "e5.npz")
    assert foreign is not None and foreign.thresholds == {"vi": 0.98, "tl": 0.99}


def test_the_model_file_is_the_one_shipped_in_the_package():
    assert MODEL_FILE.parent.name == "data" and MODEL_FILE.is_file()


def test_the_bench_counts_how_often_ordinary_questions_set_it_off(detector, tmp_path):
    from benchmarks.crisis import ordinary_alarms

    path = tmp_path / "questions.jsonl"
    rows = [{"qid": 1, "query": "引っ越してきました。転入の手続きを教えてください"},
            {"qid": 2, "query": "死にたい"},
            {"qid": 3, "query": "How do I renew my residence card?", "language": "en"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    report = ordinary_alarms(detector, path)
    assert (report["messages"], report["alarms"]) == (3, 1)
    assert report["by_language"] == {"en": 0.0, "ja": 0.5}
    assert report["alarmed"][0]["fired"] == "suicide"
    kana = ordinary_alarms(detector, path, kana=True)  # the Japanese ones, in hiragana
    assert kana["messages"] == 2 and all(
        not any("\u4e00" <= c <= "\u9fff" for c in row["text"]) for row in kana["alarmed"])


def test_a_kana_only_message_is_read_back_into_kanji_for_the_model(detector):
    """The encoder cannot place kana alone; read back with the example sentences' words it
    can, and the model judges it at the stricter KANA_THRESHOLD (crisis/kana.py)."""
    from helpbot.crisis.kana import KANA_THRESHOLD, read_back
    from helpbot.matching.kana import kana_only

    text = "へやの かぎ しめられて そとに でられない"
    assert kana_only(text) and detector._meaning.applies_to(text) is False
    spelt = read_back(detector._meaning._kana, text)
    assert spelt is not None and "部屋" in spelt and "鍵" in spelt
    hit = detector.detect(text)
    assert hit is not None and hit.layer == "learned", hit
    assert hit.score >= KANA_THRESHOLD
    for everyday in ("じどうてあての ふりこみは いつですか", "やちんの しはらいを まってほしい",
                     "ほいくえんの もうしこみ どこで できますか"):
        assert detector.detect(everyday) is None, everyday
    assert read_back(detector._meaning._kana, "ぬぬぬぬ") is None  # no word it knows


def test_the_npos_own_question_is_left_to_its_answer(detector):
    """「今日食べるものがありません」 is the sample FAQ's food-today question (where to get food
    today): the model finds it alarming, but the message is the NPO's own question."""
    text = "今日食べるものがありません"
    likely = detector._meaning.likely(text)
    assert likely is not None and likely.probability >= likely.threshold and likely.everyday
    assert detector.detect(text) is None
    hit = detector.detect("もう3日も何も食べていなくて、立ち上がれない")
    assert hit is not None and hit.category == "no_food", hit


@pytest.mark.parametrize("closing", ["よろしくお願いします。", "ありがとうございました。",
                                     "夜分にすみません。", "Thank you very much."])
def test_a_courtesy_at_the_end_does_not_make_a_question_alarming(detector, closing):
    """Scored alone, 「よろしくお願いします。」 was near 「今までありがとう。さようなら」: 78 of
    200 city-office questions with it at the end fired as suicide."""
    for question in ("児童扶養手当の申請に必要な書類を教えてください。",
                     "引っ越しの手続きは、どこの窓口に行けばいいですか？",
                     "生活保護の申請について相談したいのですが、予約は必要ですか？"):
        assert detector.detect(f"{question}{closing}") is None, (question, closing)


def test_a_damaged_model_or_everyday_file_turns_the_layer_off_not_the_detector(tmp_path, caplog):
    from helpbot.crisis.learned import builtin_everyday

    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip file")
    with caplog.at_level(logging.WARNING, logger="helpbot.crisis.learned"):
        assert load_model(broken) is None
    bad_yaml = tmp_path / "everyday.yaml"
    bad_yaml.write_text("everyday:\n  - {text: [unclosed\n", "utf-8")
    assert builtin_everyday(bad_yaml) == ()
    odd_rows = tmp_path / "odd.yaml"
    odd_rows.write_text("everyday:\n  - just a string\n  - {text: 'ok'}\n  - {lang: ja}\n", "utf-8")
    assert builtin_everyday(odd_rows) == ("ok",)
