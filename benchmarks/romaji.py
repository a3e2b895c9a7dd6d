"""Recall and false alarms on Japanese written in romaji (``helpbot/crisis/romaji.py``).

The Japanese messages of the crisis evaluation sets (``lang: ja``), and the LocalgovFAQ
questions, are spelt in Hepburn romaji in memory by pykakasi (a kana/kanji -> romaji library,
not the conversion the detector uses the other way), one space between its words, and given
to the detector: recall on the crisis messages, false alarms on the everyday ones and on the
questions. The same messages in hiragana (pykakasi's reading, the same words apart) and as
written are measured beside them: romaji is read through the kana path, so hiragana is what
it can reach. Nothing is written to the data files. Run as a script so that the same file
measures an older tree too (``PYTHONPATH=<tree> python benchmarks/romaji.py``)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/romaji.py tests/data/crisis_*.yaml \\
        --ordinary ../shared/bench/localgovfaq/queries_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def romanize(text: str, kakasi: Any, form: str = "hepburn") -> str:
    """Hepburn romaji, words apart: 「もう死にたい」 -> "mou shinitai"; with ``form`` "hira",
    the same words in hiragana (もう しにたい), what the kana path alone makes of them."""
    return " ".join(part for item in kakasi.convert(text) if (part := item[form].strip()))


def measure(detector: Any, messages: list[str]) -> tuple[int, float]:
    """How many fired, and milliseconds per message (sentence vector included). The messages
    are not printed: the sets are blind checks, and this is a measurement, not a fit."""
    fired = 0
    start = time.perf_counter()
    for text in messages:
        detector.prepare(text)
        fired += detector.detect(text) is not None
    return fired, 1000 * (time.perf_counter() - start) / max(1, len(messages))


def main() -> None:
    import pykakasi

    from benchmarks.crisis import build_detector, load_eval

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--ordinary", type=Path, action="append", default=[])
    parser.add_argument("--faq", type=Path, default=Path("faq"))
    args = parser.parse_args()
    kakasi = pykakasi.kakasi()
    detector = build_detector(args.faq, semantic=True, cache_dir=None)
    for warm_up in ("準備", "I want to die", "mou shinitai"):
        detector.prepare(warm_up)
        detector.assess(warm_up)
    crisis: list[str] = []
    everyday: list[str] = []
    for path in args.sets:
        crises, days = load_eval(path)
        for items, into in ((crises, crisis), (days, everyday)):
            into += [str(item["text"]) for item in items
                     if item.get("lang", "ja") == "ja" and _JAPANESE.search(str(item["text"]))]
    questions = [json.loads(line)["query"] for path in args.ordinary
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    report: dict[str, Any] = {"crisis_messages": len(crisis), "everyday_messages": len(everyday),
                              "ordinary_questions": len(questions)}
    for form in ("romaji", "hiragana", "as_written"):
        def spelt(texts: list[str], form: str = form) -> list[str]:
            if form == "as_written":
                return texts
            return [romanize(t, kakasi, "hepburn" if form == "romaji" else "hira") for t in texts]

        found, ms_crisis = measure(detector, spelt(crisis))
        alarms, ms_everyday = measure(detector, spelt(everyday))
        asked, ms_questions = measure(detector, spelt(questions))
        report[form] = {
            "recall": round(found / max(1, len(crisis)), 4),
            "false_alarm_rate": round(alarms / max(1, len(everyday)), 4),
            "ordinary_alarm_rate": round(asked / max(1, len(questions)), 4),
            "ms_per_message": {"crisis": round(ms_crisis, 2), "everyday": round(ms_everyday, 2),
                               "questions": round(ms_questions, 2)},
        }
    print(json.dumps(report, ensure_ascii=False, indent=1))

if __name__ == "__main__":
    main()
