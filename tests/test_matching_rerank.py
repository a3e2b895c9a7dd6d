"""The reranker of the top candidates: the shipped model, bad files, and what it may change."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpbot.errors import MatchingConfigError
from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase
from helpbot.matching.hybrid import HybridMatcher
from helpbot.matching.rerank import FEATURES, Reranker, default_reranker, load_reranker
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
    # none ships: the fused order is kept (docs/benchmarks.md says why)
    assert default_reranker() is None


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


def _ranking(matcher: HybridMatcher, text: str) -> list[tuple[str, float]]:
    return [(c.entry.id, c.score) for c in matcher.rank(text, limit=len(_KB.entries))]


def test_only_the_top_candidates_are_reordered() -> None:
    encoder = _encoder()
    plain = HybridMatcher(_KB, encoder=encoder, reranker=False)
    depth = 4
    # prefer what the fused order likes least: the top `depth` come out reversed
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("fused")] = -1.0
    reversing = HybridMatcher(_KB, encoder=encoder, reranker=_model(depth, weights))
    changed = 0
    for text in _MESSAGES:
        before, after = _ranking(plain, text), _ranking(reversing, text)
        assert len(before) == len(after) > depth
        head_before = [entry for entry, _ in before[:depth]]
        head_after = [entry for entry, _ in after[:depth]]
        assert set(head_after) == set(head_before)
        # the rest keeps its place (displayed scores follow the new top's confidence)
        assert [e for e, _ in after[depth:]] == [e for e, _ in before[depth:]]
        fused_before, fused_after = plain.features(text)[0], reversing.features(text)[0]
        top = np.argsort(-fused_before, kind="stable")[:depth]
        rest = np.setdiff1d(np.arange(len(fused_before)), top)
        assert np.array_equal(fused_after[rest], fused_before[rest])
        assert sorted(fused_after[top]) == sorted(fused_before[top])  # handed out again
        changed += head_after != head_before
    assert changed >= len(_MESSAGES) - 1


def test_words_only_matching_is_not_reordered() -> None:
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("fused")] = -1.0
    plain = HybridMatcher(_KB, encoder=None, reranker=False)
    reversing = HybridMatcher(_KB, encoder=None, reranker=_model(4, weights))
    for text in _MESSAGES:
        assert _ranking(reversing, text) == _ranking(plain, text)


def test_cover_counts_match_a_direct_count() -> None:
    from helpbot.matching.bm25 import BM25Index
    from helpbot.matching.ngrams import BigramIndex, bigram_codes

    questions = [entry.question for entry in _KB.entries]
    bigrams = BigramIndex(questions)
    for text in _MESSAGES:
        share, jaccard = bigrams.cover(text)
        mine = set(bigram_codes(text).tolist())
        for i, question in enumerate(questions):
            theirs = set(bigram_codes(question).tolist())
            assert share[i] == pytest.approx(len(mine & theirs) / len(mine))
            assert jaccard[i] == pytest.approx(len(mine & theirs) / len(mine | theirs))
    words = BM25Index([["住民票", "取る"], ["ごみ", "ごみ", "出す"], []])
    share, precision = words.cover(["ごみ", "出す", "曜日", "ごみ"])
    assert share.tolist() == pytest.approx([0.0, 2 / 3, 0.0])
    assert precision.tolist() == pytest.approx([0.0, 1.0, 0.0])
