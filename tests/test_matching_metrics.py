"""Retrieval metrics on tiny hand-made rankings."""

from __future__ import annotations

import pytest

from benchmarks.metrics import (
    evaluate,
    precision_at_1,
    recall_at,
    reciprocal_rank,
    success_at,
)

RANKING = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]


@pytest.mark.parametrize(
    ("relevant", "p1", "sr5", "r10", "rr"),
    [
        ({"a"}, 1.0, 1.0, 1.0, 1.0),
        ({"c"}, 0.0, 1.0, 1.0, 1 / 3),
        ({"f"}, 0.0, 0.0, 1.0, 1 / 6),
        ({"k"}, 0.0, 0.0, 0.0, 1 / 11),
        ({"b", "k"}, 0.0, 1.0, 0.5, 0.5),
        ({"e", "j", "x", "y"}, 0.0, 1.0, 0.5, 0.2),
        ({"z"}, 0.0, 0.0, 0.0, 0.0),
    ],
)
def test_single_query_metrics(
    relevant: set[str], p1: float, sr5: float, r10: float, rr: float
) -> None:
    assert precision_at_1(RANKING, relevant) == p1
    assert success_at(RANKING, relevant, 5) == sr5
    assert recall_at(RANKING, relevant, 10) == pytest.approx(r10)
    assert reciprocal_rank(RANKING, relevant) == pytest.approx(rr)


def test_empty_ranking_and_relevance() -> None:
    assert precision_at_1([], {"a"}) == 0.0
    assert success_at([], {"a"}) == 0.0
    assert recall_at(RANKING, set()) == 0.0
    assert reciprocal_rank([], {"a"}) == 0.0


def test_evaluate_averages_over_queries() -> None:
    metrics = evaluate([["a", "b"], ["b", "a"]], [{"a"}, {"a"}])
    assert metrics.p_at_1 == 0.5
    assert metrics.sr_at_5 == 1.0
    assert metrics.r_at_10 == 1.0
    assert metrics.mrr == pytest.approx(0.75)
    assert metrics.as_dict() == {"p_at_1": 0.5, "sr_at_5": 1.0, "r_at_10": 1.0, "mrr": 0.75}


def test_evaluate_needs_one_ranking_per_query() -> None:
    with pytest.raises(ValueError, match="one ranking per query"):
        evaluate([["a"]], [{"a"}, {"b"}])
