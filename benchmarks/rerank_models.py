"""The reranker's model variants, fitted with numpy: pointwise and pairwise logistic regression,
and LambdaMART-style boosted trees of fixed depth (used by :mod:`benchmarks.fit_rerank`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.rerank import Reranker
from benchmarks.rerank_features import FEATURES

L2 = 1.0
TREES = 60
LEVELS = 2
RATE = 0.1
LEAF_L2 = 1.0
MIN_HESSIAN = 1.0
BINS = 32
ANCHOR = 10.0  # "anchored": weight of the fused score the trees start from
STEEP = False  # discount 1 / (1 + rank) instead of 1 / log2(2 + rank): the top counts more


@dataclass(frozen=True, slots=True)
class Dataset:
    x: np.ndarray  # (queries, candidates, features), candidates in the fused order
    y: np.ndarray  # (queries, candidates): 1 = relevant
    n_relevant: np.ndarray  # relevant entries of each query, in or out of the candidates
    active: np.ndarray  # the matcher reorders this query (words and meaning both present)
    kana: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def subset(self, rows: np.ndarray) -> Dataset:
        return Dataset(*(v[rows] for v in self.arrays().values()))


def evaluate(model: Reranker | None, data: Dataset, depth: int) -> tuple[float, ...]:
    """Mean P@1, SR@5, R@10 and MRR (within the candidates) with ``model``'s order of the top
    ``depth`` (None: the fused order)."""
    p1 = sr5 = r10 = mrr = 0.0
    for q in range(len(data.y)):
        labels = data.y[q]
        if model is not None and data.active[q]:
            order = np.argsort(-model.score(data.x[q, :depth]), kind="stable")
            labels = np.r_[labels[:depth][order], labels[depth:]]
        p1 += labels[0]
        sr5 += labels[:5].any()
        r10 += labels[:10].sum() / max(data.n_relevant[q], 1)
        hits = np.nonzero(labels)[0]
        mrr += 1.0 / (hits[0] + 1) if len(hits) else 0.0
    n = max(len(data.y), 1)
    return p1 / n, sr5 / n, r10 / n, mrr / n


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean, scale


def _newton_logistic(z: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        gradient = z.T @ (p - y) + l2 * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + l2 * np.eye(z.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _pairs(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Differences (relevant - not relevant) of standardised features within each query."""
    diffs = []
    for q in range(len(y)):
        pos, neg = np.nonzero(y[q] > 0)[0], np.nonzero(y[q] == 0)[0]
        if len(pos) and len(neg):
            diffs.append((z[q, pos][:, None, :] - z[q, neg][None, :, :]).reshape(-1, z.shape[2]))
    return np.vstack(diffs) if diffs else np.zeros((0, z.shape[2]))


def _empty_trees() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros((0, 1), dtype=np.int64), np.zeros((0, 1)), np.zeros((0, 2))


def _lambdas(scores: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LambdaRank gradients (to add) and hessians per candidate, NDCG with binary gains."""
    d = scores.shape[1]
    ranks = np.argsort(np.argsort(-scores, axis=1, kind="stable"), axis=1)
    curve = (lambda r: 1.0 / (1.0 + r)) if STEEP else (lambda r: 1.0 / np.log2(2.0 + r))
    discount = curve(ranks)
    n_pos = y.sum(axis=1)
    ideal = np.cumsum(curve(np.arange(d)))
    idcg = np.where(n_pos > 0, ideal[np.maximum(n_pos.astype(int) - 1, 0)], 1.0)
    better = (y[:, :, None] > y[:, None, :]).astype(np.float64)  # i relevant, j not
    delta = np.abs(discount[:, :, None] - discount[:, None, :]) / idcg[:, None, None] * better
    rho = 1.0 / (1.0 + np.exp(scores[:, :, None] - scores[:, None, :]))
    force = rho * delta
    grad = force.sum(axis=2) - force.sum(axis=1)
    weight = rho * (1.0 - rho) * delta
    hess = weight.sum(axis=2) + weight.sum(axis=1)
    return grad, hess


def _fit_tree(
    x: np.ndarray, bins: np.ndarray, edges: list[np.ndarray], grad: np.ndarray, hess: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One tree of depth LEVELS on Newton gains; (features, thresholds, leaf values)."""
    inner = 2**LEVELS - 1
    features = np.zeros(inner, dtype=np.int64)
    thresholds = np.full(inner, np.inf)
    node = np.zeros(len(x), dtype=np.int64)
    for level in range(LEVELS):
        first, count = 2**level - 1, 2**level
        local = node - first
        best = np.full(count, -np.inf)
        for f in range(x.shape[1]):
            key = local * BINS + bins[:, f]
            g = np.bincount(key, grad, count * BINS).reshape(count, BINS)
            h = np.bincount(key, hess, count * BINS).reshape(count, BINS)
            gl, hl = np.cumsum(g, axis=1), np.cumsum(h, axis=1)
            gt, ht = gl[:, -1:], hl[:, -1:]
            gain = gl**2 / (hl + LEAF_L2) + (gt - gl) ** 2 / (ht - hl + LEAF_L2)
            gain[(hl < MIN_HESSIAN) | (ht - hl < MIN_HESSIAN)] = -np.inf
            gain[:, len(edges[f]) :] = -np.inf  # no threshold past the last edge
            cut = gain.argmax(axis=1)
            top = gain[np.arange(count), cut]
            for n in np.nonzero(top > best)[0]:
                best[n] = top[n]
                features[first + n] = f
                thresholds[first + n] = edges[f][cut[n]]
        value = x[np.arange(len(x)), features[node]]
        node = 2 * node + 1 + (value > thresholds[node])
    leaf = node - inner
    g = np.bincount(leaf, grad, inner + 1)
    h = np.bincount(leaf, hess, inner + 1)
    thresholds[~np.isfinite(thresholds)] = 1e9
    return features, thresholds, RATE * g / (h + LEAF_L2)


def _boost(x: np.ndarray, y: np.ndarray, start: np.ndarray, trees: int) -> tuple[np.ndarray, ...]:
    q, d, f = x.shape
    flat = x.reshape(-1, f)
    cuts = np.linspace(0, 1, BINS + 1)[1:-1]
    edges = [np.unique(np.quantile(flat[:, i], cuts)) for i in range(f)]
    bins = np.column_stack([np.searchsorted(edges[i], flat[:, i], side="left") for i in range(f)])
    scores = start.copy()
    out_f, out_t, out_l = [], [], []
    for _ in range(trees):
        grad, hess = _lambdas(scores, y)
        feat, thr, leaves = _fit_tree(flat, bins, edges, grad.ravel(), hess.ravel())
        out_f.append(feat)
        out_t.append(thr)
        out_l.append(leaves)
        node = np.zeros(len(flat), dtype=np.int64)
        for _ in range(LEVELS):
            node = 2 * node + 1 + (flat[np.arange(len(flat)), feat[node]] > thr[node])
        scores = scores + leaves[node - (2**LEVELS - 1)].reshape(q, d)
    return np.asarray(out_f), np.asarray(out_t), np.asarray(out_l)


def fit_variant(name: str, data: Dataset, depth: int) -> Reranker:
    """Fit model variant ``name`` (one of :data:`MODELS`) on the active queries of ``data``."""
    x, y = data.x[data.active, :depth], data.y[data.active, :depth]
    mean, scale = _standardise(x.reshape(-1, x.shape[2]))
    z = (x - mean) / scale
    weights = np.zeros(len(FEATURES))
    trees = _empty_trees()
    if name == "pointwise":
        zz = z.reshape(-1, z.shape[2])
        w = _newton_logistic(np.column_stack([np.ones(len(zz)), zz]), y.ravel(), L2)
        weights = w[1:]
    elif name in ("linear", "linear+trees"):
        diffs = _pairs(z, y)
        # each difference as a positive example and its negation as a negative one
        both = np.vstack([diffs, -diffs])
        labels = np.r_[np.ones(len(diffs)), np.zeros(len(diffs))]
        weights = _newton_logistic(both, labels, L2)
    if name == "anchored":
        # trees that correct the fused order, which they start from (ANCHOR x fused score)
        weights[FEATURES.index("fused")] = ANCHOR * scale[FEATURES.index("fused")]
        trees = _boost(x, y, z @ weights, TREES)
    elif name in ("trees", "linear+trees"):
        trees = _boost(x, y, z @ weights, TREES)
    elif name not in MODELS:
        raise ValueError(f"unknown variant {name!r}: one of {', '.join(MODELS)}")
    return Reranker(depth, mean, scale, weights, *trees)


MODELS = ("pointwise", "linear", "trees", "linear+trees", "anchored")
