"""``helpbot bench crisis``: recall per category, false alarms and time, on an evaluation set.

The set (``tests/data/crisis_eval.yaml`` by default) has two lists: ``crisis`` messages, each
with the ``category`` a case worker would give it, and ``everyday`` messages that contain
risky-looking words but are not crises. Recall counts a crisis message found in any category
(the person gets help either way); ``category_accuracy`` is reported beside it. Time is the
detector's own time per message, what triage adds to a turn (the sentence vector is shared with the
matcher in the service, so it is timed apart: ``ms_sentence_vector``).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from helpbot.crisis.detector import CrisisDetector, CrisisHit, detector_for
from helpbot.knowledge.loader import load_dir
from helpbot.matching import build_matcher


def load_eval(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("crisis") or []), list(data.get("everyday") or [])


def build_detector(faq_dir: Path, *, semantic: bool, cache_dir: Path | None) -> CrisisDetector:
    kb, _ = load_dir(faq_dir)
    if kb.crisis is None:
        raise ValueError(f"{faq_dir} has no crisis.yaml")
    return detector_for(kb.crisis, kb, build_matcher(kb, semantic=semantic, cache_dir=cache_dir))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def ordinary_alarms(detector: CrisisDetector, path: Path, *, kana: bool = False) -> dict[str, Any]:
    """How often ordinary questions set the detector off: a JSONL file of ``query`` lines
    (``language`` optional, else Japanese), e.g. the LocalgovFAQ questions people ask a city
    office, or their translations; with ``kana``, each as hiragana with one slip of the thumb
    (``benchmarks/make_kana_variant.py``, by its ``qid``). Nothing in them is a crisis."""
    from benchmarks.make_kana_variant import kana_query

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if kana:  # Japanese questions only
        rows = [row for row in rows if row.get("language", "ja") == "ja"]
    asked: Counter[str] = Counter()
    alarmed: Counter[str] = Counter()
    fired: list[dict[str, str]] = []
    for row in rows:
        text = str(row["query"])
        if kana:
            text = kana_query(text, str(row.get("qid", "")))
        language = str(row.get("language", "ja"))
        hit = detector.detect(text)
        asked[language] += 1
        if hit is not None:
            alarmed[language] += 1
            fired.append({"text": text, "fired": hit.category, "why": hit.why})
    return {
        "messages": sum(asked.values()),
        "alarms": sum(alarmed.values()),
        "alarm_rate": _share(sum(alarmed.values()), sum(asked.values())),
        "by_language": {k: _share(alarmed[k], asked[k]) for k in sorted(asked)},
        "alarmed": fired,
    }


def run_crisis_bench(
    eval_path: Path, faq_dir: Path, *, semantic: bool = True, cache_dir: Path | None = None,
    ordinary: Sequence[Path] = (), ordinary_kana: bool = False,
) -> dict[str, Any]:
    crisis, everyday = load_eval(eval_path)
    detector = build_detector(faq_dir, semantic=semantic, cache_dir=cache_dir)
    for warm_up in ("準備", "I want to die"):  # load Sudachi, the encoder, the language model
        detector.prepare(warm_up)
        detector.assess(warm_up)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    right_category = 0
    by_layer: Counter[str] = Counter()
    by_style: dict[str, Counter[str]] = defaultdict(Counter)
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[dict[str, str]] = []
    alarms: list[dict[str, str]] = []
    elapsed = encoding = 0.0

    def timed(text: str) -> CrisisHit | None:
        nonlocal elapsed, encoding
        start = time.perf_counter()
        detector.prepare(text)  # the sentence vector: shared with matching in the service
        ready = time.perf_counter()
        hit = detector.detect(text)
        elapsed += time.perf_counter() - ready
        encoding += ready - start
        return hit

    for item in crisis:
        hit = timed(str(item["text"]))
        category = str(item.get("category", "?"))
        total[category] += 1
        for key, table in ((item.get("style"), by_style), (item.get("lang"), by_lang)):
            table[str(key)]["n"] += 1
            table[str(key)]["found"] += hit is not None
        if hit is None:
            misses.append({"text": item["text"], "category": category})
            continue
        found[category] += 1
        by_layer[hit.layer] += 1
        right_category += hit.category == category
    false_alarms = 0
    for item in everyday:
        hit = timed(str(item["text"]))
        if hit is not None:
            false_alarms += 1
            alarms.append({"text": item["text"], "fired": hit.category, "why": hit.why})
    n_crisis = sum(total.values())
    questions = {str(path): ordinary_alarms(detector, path) for path in ordinary}
    if ordinary_kana:
        kana = {f"{path} (kana)": ordinary_alarms(detector, path, kana=True) for path in ordinary}
        questions |= {name: report for name, report in kana.items() if report["messages"]}
    return {
        "eval": str(eval_path),
        "crisis_messages": n_crisis,
        "everyday_messages": len(everyday),
        "recall": _share(sum(found.values()), n_crisis),
        "recall_by_category": {k: _share(found[k], total[k]) for k in sorted(total)},
        "category_accuracy": _share(right_category, sum(found.values())),
        "false_alarm_rate": _share(false_alarms, len(everyday)),
        "ms_per_message": round(1000 * elapsed / max(1, n_crisis + len(everyday)), 3),
        "ms_sentence_vector": round(1000 * encoding / max(1, n_crisis + len(everyday)), 3),
        "found_by_layer": dict(by_layer),
        "recall_by_style": {k: _share(v["found"], v["n"]) for k, v in sorted(by_style.items())},
        "recall_by_language": {k: _share(v["found"], v["n"]) for k, v in sorted(by_lang.items())},
        "semantic": semantic,
        "misses": misses,
        "false_alarms": alarms,
        "ordinary": questions,
    }
