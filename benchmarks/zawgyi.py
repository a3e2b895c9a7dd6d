"""Burmese typed in Zawgyi: does the crisis detector still find the people in danger?

The Burmese (``lang: my``) messages of the crisis evaluation sets are turned into Zawgyi with
python-myanmar (Unicode -> Zawgyi; the files are not changed), then read by the crisis
detector three ways: the Unicode originals (the reference), the Zawgyi text as it came (before
``matching/zawgyi.py``), and the Zawgyi text after ``to_unicode`` (what the core reads now).
Beside recall and false alarms it counts what must never happen, Unicode text that
``to_unicode`` would change (on the sets' originals and on every Burmese line of
``faq/crisis.yaml`` and ``helpbot/crisis/data/everyday.yaml``), how often Unicode -> Zawgyi ->
Unicode gives the original back, and what the check costs a message without Myanmar letters.

    python -m benchmarks.zawgyi [--faq-dir faq] [--words-only] [--json]

Nothing here is fitted: the threshold is ``ZAWGYI_THRESHOLD``; the sets stay blind checks.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.crisis import build_detector
from helpbot.crisis.detector import CrisisDetector
from helpbot.matching.zawgyi import (
    ZAWGYI_THRESHOLD,
    convert_zawgyi,
    has_myanmar,
    to_unicode,
    zawgyi_probability,
)

ROOT = Path(__file__).resolve().parent.parent
EVAL_SETS = sorted((ROOT / "tests" / "data").glob("crisis_*.yaml"))
# Unicode Burmese that is not an evaluation set: more text the conversion must leave alone.
OTHER_UNICODE = (ROOT / "faq" / "crisis.yaml",
                 ROOT / "helpbot" / "crisis" / "data" / "everyday.yaml")


def to_zawgyi(text: str) -> str:
    """Unicode Burmese as a Zawgyi phone types it (python-myanmar's tables)."""
    from myanmar.converter import convert

    return convert(text, "unicode", "zawgyi")


def eval_messages(paths: list[Path]) -> list[tuple[bool, str, str]]:
    """(is a crisis, text, language) for every message of the sets."""
    rows: list[tuple[bool, str, str]] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rows += [(key == "crisis", str(item["text"]), str(item.get("lang", "ja")))
                 for key in ("crisis", "everyday") for item in data.get(key) or []]
    return rows


def from_zawgyi_raw(text: str) -> str:
    """python-myanmar's Zawgyi -> Unicode alone, without ``convert_zawgyi``'s vowel order."""
    from myanmar.converter import convert

    return convert(text, "zawgyi", "unicode")


def burmese_messages(paths: list[Path]) -> list[tuple[bool, str]]:
    """(is a crisis, text) for every ``lang: my`` message of the sets."""
    return [(crisis, text) for crisis, text, lang in eval_messages(paths) if lang == "my"]


def burmese_lines(path: Path) -> list[str]:
    """Every string of a YAML file that has a Myanmar letter (word lists, examples)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str) and has_myanmar(node):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _score(detector: CrisisDetector, rows: list[tuple[bool, str]]) -> dict[str, Any]:
    found = alarms = 0
    for crisis, text in rows:
        detector.prepare(text)
        hit = detector.detect(text) is not None
        found += crisis and hit
        alarms += (not crisis) and hit
    n_crisis = sum(crisis for crisis, _ in rows)
    n_everyday = len(rows) - n_crisis
    return {"found": found, "crisis": n_crisis, "recall": round(found / max(1, n_crisis), 3),
            "false_alarms": alarms, "everyday": n_everyday}


def _cost_without_myanmar(paths: list[Path], repeat: int = 20) -> dict[str, float]:
    texts = [text for _, text, _ in eval_messages(paths) if not has_myanmar(text)]
    start = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            to_unicode(text)
    each = (time.perf_counter() - start) / max(1, repeat * len(texts))
    return {"messages": len(texts), "us_per_message": round(each * 1e6, 3)}


def _cost_burmese(texts: list[str], repeat: int = 20) -> float:
    """Median ms of ``to_unicode`` per message (the libraries already loaded)."""
    times: list[float] = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            to_unicode(text)
            times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 3)


def run(faq_dir: Path, *, semantic: bool) -> dict[str, Any]:
    rows = burmese_messages(EVAL_SETS)
    zawgyi = [(crisis, to_zawgyi(text)) for crisis, text in rows]
    others = [line for path in OTHER_UNICODE for line in burmese_lines(path)]
    unicode_texts = [text for _, text in rows] + others
    detector = build_detector(faq_dir, semantic=semantic, cache_dir=None)
    return {
        "threshold": ZAWGYI_THRESHOLD,
        "sets": [str(path.relative_to(ROOT)) for path in EVAL_SETS],
        "unicode_originals": _score(detector, rows),
        "zawgyi_before": _score(detector, zawgyi),
        "zawgyi_after": _score(detector, [(c, to_unicode(t)) for c, t in zawgyi]),
        "zawgyi_differs_from_unicode": sum(z != t for (_, z), (_, t) in zip(zawgyi, rows,
                                                                            strict=True)),
        "zawgyi_detected": sum(zawgyi_probability(t) >= ZAWGYI_THRESHOLD for _, t in zawgyi),
        "zawgyi_min_probability": round(min(zawgyi_probability(t) for _, t in zawgyi), 4),
        "unicode_checked": len(unicode_texts),
        "unicode_wrongly_converted": sum(to_unicode(t) != t for t in unicode_texts),
        "unicode_max_probability": round(max(zawgyi_probability(t) for t in unicode_texts), 4),
        "round_trip_same": sum(convert_zawgyi(to_zawgyi(t)) == t for t in unicode_texts),
        "round_trip_same_without_reorder": sum(
            from_zawgyi_raw(to_zawgyi(t)) == t for t in unicode_texts),
        # the word lists' short phrases (2-4 syllables) typed in Zawgyi: less sure
        "zawgyi_short_lines_detected": sum(
            zawgyi_probability(to_zawgyi(t)) >= ZAWGYI_THRESHOLD for t in others),
        "short_lines": len(others),
        "cost_without_myanmar": _cost_without_myanmar(EVAL_SETS),
        "ms_median_unicode_burmese": _cost_burmese([text for _, text in rows]),
        "ms_median_zawgyi": _cost_burmese([text for _, text in zawgyi]),
    }


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    faq_dir = Path(args[args.index("--faq-dir") + 1]) if "--faq-dir" in args else ROOT / "faq"
    report = run(faq_dir, semantic="--words-only" not in args)
    if "--json" in args:
        print(json.dumps(report, ensure_ascii=False))
        return
    for key in ("unicode_originals", "zawgyi_before", "zawgyi_after"):
        s = report[key]
        print(f"{key:<18} recall {s['found']}/{s['crisis']} ({s['recall']:.3f})  "
              f"false alarms {s['false_alarms']}/{s['everyday']}")
    print(f"Zawgyi detected (>= {report['threshold']}): {report['zawgyi_detected']}/"
          f"{len(burmese_messages(EVAL_SETS))} (lowest {report['zawgyi_min_probability']})")
    print(f"Unicode wrongly converted: {report['unicode_wrongly_converted']}/"
          f"{report['unicode_checked']} (highest {report['unicode_max_probability']})")
    print(f"round trip Unicode->Zawgyi->Unicode same: {report['round_trip_same']}/"
          f"{report['unicode_checked']} (python-myanmar alone: "
          f"{report['round_trip_same_without_reorder']})")
    print(f"word-list lines typed in Zawgyi detected: {report['zawgyi_short_lines_detected']}/"
          f"{report['short_lines']}")
    cost = report["cost_without_myanmar"]
    print(f"to_unicode on {cost['messages']} messages without Myanmar letters: "
          f"{cost['us_per_message']} us each; Unicode Burmese "
          f"{report['ms_median_unicode_burmese']} ms, Zawgyi {report['ms_median_zawgyi']} ms "
          f"(median)")


if __name__ == "__main__":
    main()
