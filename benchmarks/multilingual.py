"""The multilingual variant of the matching benchmark: the same dev questions, asked in eight
languages (``benchmarks/data/queries_dev_multilingual.jsonl``, see its README).

Relevance comes from the Japanese dev file, joined by ``qid``; the translations hold no
grades and no FAQ text. Reported per language and overall: P@1, SR@5, R@10, MRR, the share of
each decision (direct answer, suggestions, fallback), how often a direct answer is wrong,
ms per query, and how often the language detector named the language.

``strip_accents`` asks the same questions the way many phones type them: the Latin-script
languages (en, vi, pt, es, tl) without diacritics and with đ as d ("tro cap nuoi con",
"pensao"), made on the fly from the written queries (no stripped copy is stored).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.data import Query, load_faq, load_queries
from benchmarks.matching import MatcherFactory, band_report, peak_memory_mb, run_matcher
from helpbot.errors import BenchFormatError
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.matching.accents import plain

DEFAULT_TRANSLATIONS = Path(__file__).parent / "data" / "queries_dev_multilingual.jsonl"
LANGUAGES = ("en", "zh", "ko", "vi", "pt", "es", "tl", "ne")
LATIN_LANGUAGES = frozenset({"en", "vi", "pt", "es", "tl"})


def without_accents(text: str) -> str:
    """The text with the diacritics of Latin letters dropped and đ as d (marks on other
    scripts, such as a Japanese word in brackets, are kept): the folding glossary matching
    uses (``matching/accents.plain``), on the composed text."""
    return plain(unicodedata.normalize("NFC", text))


def load_translations(path: Path, dev: Sequence[Query]) -> dict[str, list[Query]]:
    """Translated queries by language, each with the relevance of its Japanese original."""
    by_qid = {query.qid: query for query in dev}
    out: dict[str, list[Query]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                qid, language, text = str(row["qid"]), str(row["language"]), str(row["query"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise BenchFormatError(f"{path}:{number}: expected qid, language, query") from exc
            original = by_qid.get(qid)
            if original is None:
                raise BenchFormatError(
                    f"{path}:{number}: qid {qid} is not a graded query of the dev file"
                )
            out.setdefault(language, []).append(
                Query(qid=qid, text=text, relevant=original.relevant)
            )
    return out


def _detected_share(queries: Sequence[Query], language: str) -> float:
    from helpbot.matching.language import detect

    hits = sum(1 for query in queries if detect(query.text) == language)
    return round(hits / max(len(queries), 1), 4)


def run_multilingual_bench(
    faq: Path,
    dev_queries: Path,
    *,
    translations: Path = DEFAULT_TRANSLATIONS,
    factory: MatcherFactory | None = None,
    sample: int = 0,
    strip_accents: bool = False,
) -> dict[str, Any]:
    """Metrics per language and over all languages, as one JSON-ready dict."""
    if factory is None:
        from helpbot.matching import build_matcher

        factory = build_matcher
    kb = load_faq(faq)
    by_language = load_translations(translations, load_queries(dev_queries))
    if strip_accents:
        by_language = {
            language: [
                Query(qid=q.qid, text=without_accents(q.text), relevant=q.relevant)
                for q in queries
            ] if language in LATIN_LANGUAGES else queries
            for language, queries in by_language.items()
        }
    matcher = factory(kb)
    bands = matcher.bands
    languages: dict[str, Any] = {}
    every: list[Query] = []
    tops: list[tuple[str, float]] = []
    rankings_metrics = []
    for language in sorted(by_language, key=lambda c: (c not in LANGUAGES, LANGUAGES.index(c)
                                                        if c in LANGUAGES else 0, c)):
        queries = by_language[language][: sample or None]
        result = run_matcher(lambda _kb: matcher, kb, queries)
        languages[language] = {
            **result.as_dict(),
            "queries": len(queries),
            "detected": _detected_share(queries, language),
            "bands": band_report(result, queries, bands),
        }
        every.extend(queries)
        tops.extend(result.top)
        rankings_metrics.append((result, len(queries)))
    total = sum(n for _, n in rankings_metrics) or 1
    overall = {
        key: round(sum(r.as_dict()[key] * n for r, n in rankings_metrics) / total, 4)
        for key in ("p_at_1", "sr_at_5", "r_at_10", "mrr", "ms_per_query")
    }
    from benchmarks.matching import RunResult
    from benchmarks.metrics import RetrievalMetrics

    pooled = RunResult(metrics=RetrievalMetrics(0, 0, 0, 0), ms_per_query=0, build_s=0, top=tops)
    return {
        "variant": "multilingual-unaccented" if strip_accents else "multilingual",
        "entries": len(KnowledgeBase(entries=kb.entries).entries),
        "queries": len(every),
        **overall,
        "bands": band_report(pooled, every, bands),
        "languages": languages,
        "peak_mem_mb": round(peak_memory_mb(), 1),
    }


def multilingual_table(report: dict[str, Any]) -> str:
    """A plain-text table of the report, one line per language."""
    lines = [
        f"{report['queries']} queries in {len(report['languages'])} languages, "
        f"{report['entries']} entries",
        f"{'lang':<8}{'P@1':>7}{'SR@5':>7}{'R@10':>7}{'direct':>8}{'wrong':>7}"
        f"{'suggest':>9}{'fallback':>10}{'detect':>8}{'ms/q':>7}",
    ]
    rows = [*report["languages"].items(), ("overall", {**report, "detected": float("nan")})]
    for language, row in rows:
        bands = row["bands"]
        lines.append(
            f"{language:<8}{row['p_at_1']:>7.3f}{row['sr_at_5']:>7.3f}{row['r_at_10']:>7.3f}"
            f"{bands['direct_share']:>8.1%}{bands['direct_wrong_share']:>7.1%}"
            f"{bands['suggest_share']:>9.1%}{bands['fallback_share']:>10.1%}"
            f"{row['detected']:>8.3f}{row['ms_per_query']:>7.2f}"
        )
    return "\n".join(lines)
