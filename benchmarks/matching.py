"""The matching benchmark: rank every entry for every query, report metrics, time and memory."""

from __future__ import annotations

import logging
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.data import Query, load_faq, load_queries
from benchmarks.metrics import RetrievalMetrics, evaluate
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.matching.base import Bands, Decision, Matcher

log = logging.getLogger(__name__)

MatcherFactory = Callable[[KnowledgeBase], Matcher]


@dataclass(slots=True)
class RunResult:
    metrics: RetrievalMetrics
    ms_per_query: float
    build_s: float
    cpu_ms_per_query: float = 0.0  # this thread's CPU time: what a busy shared machine hides
    top: list[tuple[str, float]] = field(default_factory=list)  # (top-1 id, score) per query

    def as_dict(self) -> dict[str, float]:
        return {
            **self.metrics.as_dict(),
            "ms_per_query": round(self.ms_per_query, 3),
            "cpu_ms_per_query": round(self.cpu_ms_per_query, 3),
            "build_s": round(self.build_s, 3),
        }


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_matcher(factory: MatcherFactory, kb: KnowledgeBase, queries: Sequence[Query]) -> RunResult:
    """Build the matcher, rank all entries for each query (one thread) and score the rankings."""
    started = time.perf_counter()
    matcher = factory(kb)
    build_s = time.perf_counter() - started
    limit = len(kb.entries)
    rankings: list[list[str]] = []
    top: list[tuple[str, float]] = []
    elapsed = cpu = 0.0
    for query in queries:
        started, cpu_started = time.perf_counter(), time.thread_time()
        candidates = matcher.rank(query.text, limit=limit)
        elapsed += time.perf_counter() - started
        cpu += time.thread_time() - cpu_started
        rankings.append([c.entry.id for c in candidates])
        top.append((candidates[0].entry.id, candidates[0].score) if candidates else ("", 0.0))
    metrics = evaluate(rankings, [q.relevant for q in queries])
    n = max(len(queries), 1)
    return RunResult(
        metrics=metrics,
        ms_per_query=1000.0 * elapsed / n,
        build_s=build_s,
        cpu_ms_per_query=1000.0 * cpu / n,
        top=top,
    )


def band_report(result: RunResult, queries: Sequence[Query], bands: Bands) -> dict[str, float]:
    """Share of queries answered directly / suggested, and how often a direct answer is wrong."""
    from helpbot.knowledge.entries import Entry, EntryKind
    from helpbot.matching.base import Candidate

    counts = {Decision.ANSWER: 0, Decision.SUGGEST: 0, Decision.FALLBACK: 0}
    wrong = 0
    for (entry_id, score), query in zip(result.top, queries, strict=True):
        fake = Entry(id=entry_id, kind=EntryKind.FAQ, question="", answer="")
        decision = bands.decide([Candidate(entry=fake, score=score)] if entry_id else [])
        counts[decision] += 1
        if decision is Decision.ANSWER and entry_id not in query.relevant:
            wrong += 1
    n = max(len(queries), 1)
    answered = counts[Decision.ANSWER]
    return {
        "answer_threshold": bands.answer,
        "suggest_threshold": bands.suggest,
        "direct_share": round(answered / n, 4),
        "direct_wrong_share": round(wrong / answered, 4) if answered else 0.0,
        "suggest_share": round(counts[Decision.SUGGEST] / n, 4),
        "fallback_share": round(counts[Decision.FALLBACK] / n, 4),
    }


PRECISIONS = (0.80, 0.85, 0.90, 0.95, 0.97, 0.99)
VARIANTS = ("as-is", "kana")


def coverage_at_precision(result: RunResult, queries: Sequence[Query]) -> list[dict[str, float]]:
    """For each precision: the largest share of queries that a threshold on the top score
    answers directly with at most that share of them right, and the threshold."""
    pairs = sorted(
        (
            (score, entry_id in query.relevant)
            for (entry_id, score), query in zip(result.top, queries, strict=True)
            if entry_id
        ),
        key=lambda pair: -pair[0],
    )
    n = max(len(queries), 1)
    rows = []
    for precision in PRECISIONS:
        best_k, threshold, right = 0, 100.0, 0
        for k, (score, correct) in enumerate(pairs, start=1):
            right += correct
            # a cut is only possible between two different scores
            next_score = pairs[k][0] if k < len(pairs) else -1.0
            if right / k >= precision and next_score < score:
                best_k, threshold = k, score
        rows.append(
            {"precision": precision, "coverage": round(best_k / n, 4), "threshold": threshold}
        )
    return rows


def score_bands(result: RunResult, queries: Sequence[Query]) -> list[dict[str, float]]:
    """Queries per band of the top score (0-10, 10-20, ..., 90-100) and how often the top
    entry is right in each: the calibration curve."""
    rows = []
    for low in range(0, 100, 10):
        inside = [
            entry_id in query.relevant
            for (entry_id, score), query in zip(result.top, queries, strict=True)
            if low <= score < low + 10 or (low == 90 and score >= 100)
        ]
        rows.append(
            {
                "from": low,
                "to": low + 10,
                "queries": len(inside),
                "precision": round(sum(inside) / len(inside), 4) if inside else 0.0,
            }
        )
    return rows


def run_bench(
    faq: Path,
    queries_path: Path,
    *,
    factory: MatcherFactory | None = None,
    sample: int = 0,
    variant: str = "as-is",
) -> dict[str, Any]:
    """The whole benchmark as one JSON-ready dict (matcher metrics, baseline, bands, memory).

    ``variant`` "kana" runs the queries as :mod:`benchmarks.make_kana_variant` writes them
    (hiragana readings with one slip, fixed seed), built on the fly in a temporary directory.
    """
    import tempfile

    from benchmarks.baseline import WRatioMatcher
    from benchmarks.make_kana_variant import make_kana_variant

    kb = load_faq(faq)
    if variant == "kana":
        with tempfile.TemporaryDirectory(prefix="helpbot-kana-") as tmp:
            kana_path = Path(tmp) / "queries_kana.jsonl"
            make_kana_variant(queries_path, kana_path)
            queries = load_queries(kana_path)
    elif variant == "as-is":
        queries = load_queries(queries_path)
    else:
        raise ValueError(f"unknown variant {variant!r}: one of {', '.join(VARIANTS)}")
    if sample:
        queries = queries[:sample]
    if factory is None:
        from helpbot.matching import build_matcher

        factory = build_matcher
    result = run_matcher(factory, kb, queries)
    peak = peak_memory_mb()
    baseline = run_matcher(WRatioMatcher, kb, queries)
    matcher_bands = factory(KnowledgeBase(entries=kb.entries[:1])).bands
    return {
        **result.as_dict(),
        "peak_mem_mb": round(peak, 1),
        "queries": len(queries),
        "entries": len(kb.entries),
        "variant": variant,
        "bands": {
            **band_report(result, queries, matcher_bands),
            "by_score": score_bands(result, queries),
        },
        "coverage_at_precision": coverage_at_precision(result, queries),
        "baseline": baseline.as_dict(),
    }
