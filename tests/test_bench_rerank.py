"""The reranker experiment of benchmarks/: model files, what a model may change in a ranking,
the features it reads, and that the product's ranking is the fused order (it has no reranker)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.data import Query
from benchmarks.fit_rerank import collect
from benchmarks.rerank import Reranker, load_reranker, ranked_ids, reranked
from benchmarks.rerank_features import (
    FEATURES,
    bigram_cover,
    candidate_features,
    rerank_input,
    top_candidates,
    word_cover,
)
from helpbot.errors import MatchingConfigError
from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase
from helpbot.matching.hybrid import HybridMatcher
from helpbot.matching.semantic import SentenceEncoder
from tests.test_matching_semantic import _fake_encoder


def _encoder() -> SentenceEncoder:
    encoder, _model = _fake_encoder(None)  # hash-seeded unit vectors
    return encoder


_KB = KnowledgeBase(
    entries=tuple(
        Entry(id=str(i), kind=EntryKind.FAQ, question=question, answer=f"{question}の案内です。")
        for i, question in enumerate(
            [
                "住民票の写しはどこで取れますか",
                "住民票を郵送で請求したい",
                "印鑑登録の手続き",
                "粗大ごみの出し方",
                "ごみの収集日を知りたい",
                "国民健康保険の加入手続き",
                "国民健康保険料の支払い方法",
                "児童手当の申請",
                "転入届の提出に必要なもの",
                "転出届はいつまでに出すか",
                "犬の登録と狂犬病予防注射",
                "保育園の入園申し込み",
            ]
        )
    )
)
_MESSAGES = ["住民票がほしい", "ごみの日はいつ", "保険料を払いたい", "引っ越しの届け", "犬を飼った"]


def _model(depth: int, weights: np.ndarray) -> Reranker:
    n = len(FEATURES)
    raw = {
        "features": list(FEATURES),
        "depth": depth,
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "weights": weights.tolist(),
    }
    return Reranker.from_dict(raw)


def _fitted_like() -> Reranker:
    """A model shaped like a fitted one: linear weights and two depth-2 trees."""
    n = len(FEATURES)
    rng = np.random.default_rng(7)
    raw = {
        "features": list(FEATURES), "depth": 20, "mean": rng.normal(size=n).tolist(),
        "scale": rng.uniform(0.5, 2.0, size=n).tolist(), "weights": rng.normal(size=n).tolist(),
        "trees": {
            "features": rng.integers(0, n, size=(2, 3)).tolist(),
            "thresholds": rng.normal(size=(2, 3)).tolist(),
            "leaves": rng.normal(size=(2, 4)).tolist(),
        },
    }
    return Reranker.from_dict(raw)


def test_a_model_file_loads_as_written(tmp_path: Path) -> None:
    model = _fitted_like()
    path = tmp_path / "rerank.json"
    path.write_text(json.dumps(model.as_dict()), encoding="utf-8")
    again = load_reranker(path)
    assert again.depth == model.depth
    x = np.random.default_rng(0).standard_normal((model.depth, len(FEATURES)))
    assert np.allclose(again.score(x), model.score(x), atol=1e-4)


def test_an_unreadable_file_says_how_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "rerank.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(MatchingConfigError, match="fit_rerank"):
        load_reranker(path)
    with pytest.raises(MatchingConfigError, match="cannot read"):
        load_reranker(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features": ["fused"]}, "fit_rerank"),
        ({"weights": [1.0]}, "wrong number"),
        ({"mean": "x"}, "not a reranker file"),
        ({"depth": 1}, "depth"),
        ({"trees": {"features": [[0]], "thresholds": [[0.0]], "leaves": [[0.0, 1.0, 2.0]]}},
         "malformed trees"),
        ({"trees": {"features": [[999]], "thresholds": [[0.0]], "leaves": [[0.0, 1.0]]}},
         "malformed trees"),
    ],
)
def test_a_bad_file_says_how_to_fix_it(change: dict[str, object], message: str) -> None:
    good = _fitted_like().as_dict()
    with pytest.raises(MatchingConfigError, match=message) as caught:
        Reranker.from_dict({**good, **change})
    assert "python -m benchmarks.fit_rerank" in str(caught.value)
    with pytest.raises(MatchingConfigError, match="not a reranker file"):
        Reranker.from_dict([1, 2, 3])


def test_trees_are_read_as_written() -> None:
    n = len(FEATURES)
    # one stump on feature 0: value > 0.5 -> +2, else -1; one depth-2 tree on features 1 and 2
    raw = {
        "features": list(FEATURES), "depth": 5, "mean": [0.0] * n, "scale": [1.0] * n,
        "weights": [0.0] * n,
        "trees": {
            "features": [[0, 0, 0], [1, 2, 2]],
            "thresholds": [[0.5, 1e9, 1e9], [0.0, 0.0, 10.0]],
            "leaves": [[-1.0, -1.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0]],
        },
    }
    model = Reranker.from_dict(raw)
    x = np.zeros((3, n))
    x[0, [0, 1, 2]] = [1.0, -1.0, 1.0]  # +2, then left (f1 <= 0), right (f2 > 0): 2
    x[1, [0, 1, 2]] = [0.0, 1.0, 20.0]  # -1, then right, right (f2 > 10): 4
    x[2, [0, 1, 2]] = [0.0, 1.0, 5.0]  # -1, then right, left: 3
    assert model.score(x).tolist() == [4.0, 3.0, 2.0]


def _ids(matcher: HybridMatcher, text: str) -> list[str]:
    return [c.entry.id for c in matcher.rank(text, limit=len(_KB.entries))]


def _reversing(depth: int) -> Reranker:
    """Prefers what the fused order likes least: the top ``depth`` come out reversed."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("fused")] = -1.0
    return _model(depth, weights)


def test_the_product_ranks_by_the_fused_order() -> None:
    matcher = HybridMatcher(_KB, encoder=_encoder())
    for text in [*_MESSAGES, "I want a copy of my residence certificate"]:
        fused = matcher.fuse(matcher.signals(text))[1]
        if text in _MESSAGES:
            assert np.array_equal(matcher.features(text)[0], fused)
        # with no model, the benchmark's ranking is the matcher's own (a foreign message too)
        assert ranked_ids(matcher, None, text, len(_KB.entries)) == _ids(matcher, text)
        assert ranked_ids(matcher, None, text, 3) == _ids(matcher, text)[:3]


def test_only_the_top_candidates_are_reordered() -> None:
    matcher = HybridMatcher(_KB, encoder=_encoder())
    depth = 4
    model = _reversing(depth)
    changed = 0
    for text in _MESSAGES:
        before, after = _ids(matcher, text), ranked_ids(matcher, model, text, len(_KB.entries))
        assert len(before) == len(after) > depth
        assert set(after[:depth]) == set(before[:depth])
        assert after[depth:] == before[depth:]  # the rest keeps its place
        fused = matcher.fuse(matcher.signals(text))[1]
        moved = reranked(matcher, model, text)
        top = np.argsort(-fused, kind="stable")[:depth]
        rest = np.setdiff1d(np.arange(len(fused)), top)
        assert np.array_equal(moved[rest], fused[rest])
        assert sorted(moved[top]) == sorted(fused[top])  # handed out again
        changed += after[:depth] != before[:depth]
    assert changed >= len(_MESSAGES) - 1


def test_words_only_matching_is_not_reordered() -> None:
    matcher = HybridMatcher(_KB, encoder=None)
    model = _reversing(4)
    for text in _MESSAGES:
        assert not model.applies(matcher.signals(text))
        fused = matcher.fuse(matcher.signals(text))[1]
        assert np.array_equal(reranked(matcher, model, text), fused)
        assert ranked_ids(matcher, model, text, len(_KB.entries)) == _ids(matcher, text)


def test_the_features_are_read_from_the_matcher_s_fields() -> None:
    matcher = HybridMatcher(_KB, encoder=_encoder())
    text = _MESSAGES[0]
    signals = matcher.signals(text)
    lexical, fused = matcher.fuse(signals)
    data = rerank_input(matcher, text, signals, lexical, fused)
    assert set(data.covers) == {"question", "words", "bigrams"}
    assert data.question_lengths.tolist() == [len(entry.question) for entry in _KB.entries]
    picked = top_candidates(fused, 5)
    x = candidate_features(data, picked)
    assert x.shape == (5, len(FEATURES)) and np.isfinite(x).all()
    # 住民票 (住民 + 票): entries whose question holds both words cover the message, others none
    holds = [float("住民票" in _KB.entries[i].question) for i in picked.tolist()]
    assert x[:, FEATURES.index("question_cover")].tolist() == holds
    assert sum(holds) == 2
    # the benchmark's rows are these features, with the graded relevance of each candidate
    relevant = _KB.entries[0].id  # 住民票の写しはどこで取れますか
    rows = collect(matcher, [Query("q", text, frozenset({relevant}))], depth=5)
    assert rows["active"].tolist() == [True]
    assert np.array_equal(rows["x"][0], x)
    assert rows["y"][0].tolist() == [float(i == 0) for i in picked.tolist()]


def test_cover_counts_match_a_direct_count() -> None:
    from helpbot.matching.bm25 import BM25Index
    from helpbot.matching.ngrams import BigramIndex, bigram_codes

    questions = [entry.question for entry in _KB.entries]
    bigrams = BigramIndex(questions)
    for text in _MESSAGES:
        share, jaccard = bigram_cover(bigrams, text)
        mine = set(bigram_codes(text).tolist())
        for i, question in enumerate(questions):
            theirs = set(bigram_codes(question).tolist())
            assert share[i] == pytest.approx(len(mine & theirs) / len(mine))
            assert jaccard[i] == pytest.approx(len(mine & theirs) / len(mine | theirs))
    words = BM25Index([["住民票", "取る"], ["ごみ", "ごみ", "出す"], []])
    share, precision = word_cover(words, ["ごみ", "出す", "曜日", "ごみ"])
    assert share.tolist() == pytest.approx([0.0, 2 / 3, 0.0])
    assert precision.tolist() == pytest.approx([0.0, 1.0, 0.0])
