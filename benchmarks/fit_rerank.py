"""Fit a reranker of the matcher's top candidates on graded queries, with cross-validation.

    python -m benchmarks.fit_rerank --faq ../shared/bench/localgovfaq/faq.jsonl \\
        --queries ../shared/bench/localgovfaq/queries_dev.jsonl [--write FILE] [--cache FILE]

Ranks every query (and its kana variant) with the matcher's fused order, takes the
:data:`benchmarks.rerank_features.FEATURES` of the top candidates, and runs a 5-fold
cross-validation split by query (fixed seed; a query and its kana twin always on the same side):
each model variant is fitted on four folds and judged on the fifth, against the fused order on
the same queries, repeated for each seed of ``--seeds``. The variants
(:mod:`benchmarks.rerank_models`) are pointwise and pairwise (RankNet) logistic models,
LambdaMART-style boosted trees, trees boosted from the pairwise scores, and trees boosted from
the fused score ("anchored"). ``--sample-eval`` also judges each variant, fitted on all
queries, on the sample ``faq/`` evaluation, reordering the matcher's rankings here
(:func:`benchmarks.rerank.ranked_ids`): the product has no reranker (docs/benchmarks.md: the
LocalgovFAQ model lowered P@1 on the sample ``faq/`` from 0.80 to 0.72). ``--write FILE`` stores
the chosen variant, fitted on all queries (:func:`benchmarks.rerank.load_reranker` reads it).
``--cache`` keeps the features in an npz file (outside the repository) so that the variants can
be compared without ranking again.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.data import Query, load_faq, load_queries
from benchmarks.rerank import Reranker, ranked_ids
from benchmarks.rerank_features import FEATURES, candidate_features, rerank_input, top_candidates
from benchmarks.rerank_models import MODELS, Dataset, evaluate, fit_variant

MAX_DEPTH = 30
FOLDS = 5
SEED = 20261130
CHOSEN = "linear+trees"


def collect(matcher: object, queries: Sequence[Query], depth: int = MAX_DEPTH) -> dict:
    """Features of the top ``depth`` candidates of each query in the fused order, their
    relevance, the number of relevant entries, and whether the query is reordered at all."""
    entries = matcher.entries  # type: ignore[attr-defined]
    x = np.zeros((len(queries), depth, len(FEATURES)))
    y = np.zeros((len(queries), depth))
    n_relevant = np.zeros(len(queries))
    active = np.zeros(len(queries), dtype=bool)
    for row, query in enumerate(queries):
        text = query.text
        signals = matcher.signals(text)  # type: ignore[attr-defined]
        lexical, fused = matcher.fuse(signals)  # type: ignore[attr-defined]
        n_relevant[row] = len(query.relevant)
        if not fused.any():
            continue
        picked = top_candidates(fused, depth)
        y[row, : len(picked)] = [entries[i].id in query.relevant for i in picked.tolist()]
        active[row] = Reranker.applies(signals)
        if active[row]:
            data = rerank_input(matcher, text, signals, lexical, fused)  # type: ignore[arg-type]
            x[row, : len(picked)] = candidate_features(data, picked)
    return {"x": x, "y": y, "n_relevant": n_relevant, "active": active}


def load_or_collect(args: object) -> Dataset:
    cache: Path | None = args.cache  # type: ignore[attr-defined]
    if cache is not None and cache.is_file():
        with np.load(cache) as raw:
            if list(raw["features"]) == list(FEATURES):
                return Dataset(**{k: raw[k] for k in ("x", "y", "n_relevant", "active", "kana")})
            print("feature list changed: collecting again", file=sys.stderr)
    from benchmarks.make_kana_variant import make_kana_variant
    from helpbot.matching.hybrid import HybridMatcher
    from helpbot.matching.semantic import shared_encoder

    kb = load_faq(args.faq)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        kana_path = Path(tmp) / "queries_kana.jsonl"
        make_kana_variant(args.queries, kana_path)  # type: ignore[attr-defined]
        kana = load_queries(kana_path)
    dev = load_queries(args.queries)  # type: ignore[attr-defined]
    encoder = shared_encoder(args.embedding_cache)  # type: ignore[attr-defined]
    matcher = HybridMatcher(kb, encoder=encoder)
    data = rerank_dataset(matcher, dev, kana)
    if cache is not None:
        np.savez(cache, features=np.asarray(FEATURES), **data.arrays())
    return data


def rerank_dataset(matcher: object, dev: Sequence[Query], kana: Sequence[Query]) -> Dataset:
    """The dev queries' candidates, then their kana twins' (in the matcher's fused order)."""
    parts = [collect(matcher, dev), collect(matcher, kana)]
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    merged["kana"] = np.r_[np.zeros(len(dev), dtype=bool), np.ones(len(kana), dtype=bool)]
    return Dataset(**merged)


def folds_of(n: int, seed: int = SEED) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::FOLDS] for i in range(FOLDS)]


def cross_validate(
    data: Dataset, variants: Sequence[str], depth: int, seeds: Sequence[int] = (SEED,)
) -> dict[str, dict]:
    """Mean held-out metrics of each variant and of the fused order, per query set, over
    5-fold splits with each of ``seeds`` (repeated cross-validation)."""
    n = len(data.y) // 2  # dev queries, then their kana twins
    splits = [(seed, i, test, folds_of(n, seed)) for seed in seeds for i, test in
              enumerate(folds_of(n, seed))]
    sums: dict[str, dict[str, np.ndarray]] = {}
    for _, i, test, folds in splits:
        train = np.concatenate([f for j, f in enumerate(folds) if j != i])
        train_rows = np.r_[train, train + n]
        for name in ("fused", *variants):
            model = None if name == "fused" else fit_variant(name, data.subset(train_rows), depth)
            for part, rows in (("dev", test), ("kana", test + n)):
                metrics = evaluate(model, data.subset(rows), depth)
                bucket = sums.setdefault(name, {}).setdefault(part, np.zeros(4))
                bucket += np.asarray(metrics) / len(splits)
    return {
        name: {
            part: dict(zip(("p_at_1", "sr_at_5", "r_at_10", "mrr"), np.round(v, 4).tolist(),
                           strict=True))
            for part, v in parts.items()
        }
        for name, parts in sums.items()
    }


def sample_matcher(cache: Path | None) -> object:
    """The matcher of the sample ``faq/`` (with the sentence encoder)."""
    from helpbot.knowledge.loader import load_dir
    from helpbot.matching.hybrid import HybridMatcher
    from helpbot.matching.semantic import shared_encoder

    kb, _ = load_dir(Path(__file__).resolve().parents[1] / "faq")
    return HybridMatcher(kb, encoder=shared_encoder(cache))


def sample_eval(matcher: object, model: Reranker | None) -> dict:
    """P@1 and SR@3 on ``tests/data/sample_eval.yaml`` with ``matcher`` (of the sample ``faq/``)
    and its rankings reordered by ``model`` (None: as the matcher ranks)."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    cases = yaml.safe_load((root / "tests" / "data" / "sample_eval.yaml").read_text("utf-8"))
    top1 = top3 = 0
    for case in cases:
        expected = case["expected"]
        expected = {expected} if isinstance(expected, str) else set(expected)
        ids = ranked_ids(matcher, model, str(case["text"]), 3)  # type: ignore[arg-type]
        top1 += bool(ids) and ids[0] in expected
        top3 += any(i in expected for i in ids)
    return {"p_at_1": round(top1 / len(cases), 4), "sr_at_3": round(top3 / len(cases), 4)}


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faq", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None, help="npz file for the features")
    parser.add_argument("--embedding-cache", type=Path, default=None, help="entry vectors dir")
    parser.add_argument("--variants", default=",".join(MODELS), help="comma-separated")
    parser.add_argument("--depth", type=int, default=20, help="candidates reordered")
    parser.add_argument("--seeds", default=f"{SEED},1,2,3", help="CV splits, comma-separated")
    parser.add_argument("--write", type=Path, default=None, metavar="FILE",
                        help="write the chosen variant's model (JSON) to FILE")
    parser.add_argument("--chosen", default=CHOSEN, help="variant written with --write")
    parser.add_argument("--drop", default="", help="features left out (comma-separated)")
    parser.add_argument(
        "--sample-eval", action="store_true",
        help="also judge each variant, fitted on all queries, on the sample faq/ evaluation",
    )
    args = parser.parse_args(argv)
    data = load_or_collect(args)
    dropped = [FEATURES.index(name) for name in args.drop.split(",") if name]
    data.x[..., dropped] = 0.0  # a constant column: no weight, no split
    variants = [v for v in args.variants.split(",") if v]
    seeds = [int(s) for s in args.seeds.split(",") if s]
    report = cross_validate(data, variants, args.depth, seeds)
    if args.sample_eval:
        matcher = sample_matcher(args.embedding_cache)
        for name in ("fused", *variants):
            model = None if name == "fused" else fit_variant(name, data, args.depth)
            report[name]["sample_faq"] = sample_eval(matcher, model)
    print(json.dumps({"depth": args.depth, "seeds": seeds, "cv": report}, indent=1))
    if args.write is not None:
        model = fit_variant(args.chosen, data, args.depth)
        args.write.write_text(json.dumps(model.as_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"written {args.write} ({args.chosen}, depth {args.depth})", file=sys.stderr)


if __name__ == "__main__":
    main()
