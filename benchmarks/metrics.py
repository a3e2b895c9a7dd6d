"""Retrieval metrics over ranked entry ids (relevant = graded A or B)."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import asdict, dataclass


def precision_at_1(ranking: Sequence[str], relevant: Set[str]) -> float:
    return 1.0 if ranking and ranking[0] in relevant else 0.0


def success_at(ranking: Sequence[str], relevant: Set[str], k: int = 5) -> float:
    return 1.0 if any(doc in relevant for doc in ranking[:k]) else 0.0


def recall_at(ranking: Sequence[str], relevant: Set[str], k: int = 10) -> float:
    if not relevant:
        return 0.0
    return sum(1 for doc in ranking[:k] if doc in relevant) / len(relevant)


def reciprocal_rank(ranking: Sequence[str], relevant: Set[str]) -> float:
    for position, doc in enumerate(ranking, start=1):
        if doc in relevant:
            return 1.0 / position
    return 0.0


@dataclass(frozen=True, slots=True)
class RetrievalMetrics:
    p_at_1: float
    sr_at_5: float
    r_at_10: float
    mrr: float

    def as_dict(self) -> dict[str, float]:
        return {key: round(value, 4) for key, value in asdict(self).items()}


def evaluate(rankings: Sequence[Sequence[str]], relevants: Sequence[Set[str]]) -> RetrievalMetrics:
    """Mean of each metric over the queries (rankings[i] is judged against relevants[i])."""
    if len(rankings) != len(relevants):
        raise ValueError("one ranking per query is needed")
    n = len(rankings) or 1
    pairs = list(zip(rankings, relevants, strict=True))
    return RetrievalMetrics(
        p_at_1=sum(precision_at_1(r, rel) for r, rel in pairs) / n,
        sr_at_5=sum(success_at(r, rel, 5) for r, rel in pairs) / n,
        r_at_10=sum(recall_at(r, rel, 10) for r, rel in pairs) / n,
        mrr=sum(reciprocal_rank(r, rel) for r, rel in pairs) / n,
    )
