"""``helpbot bench``: measurements of the matcher (retrieval quality, speed, memory)."""

from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path
from typing import Any

import click

log = logging.getLogger(__name__)

_ROWS = (
    ("P@1", "p_at_1", "{:.3f}"),
    ("SR@5", "sr_at_5", "{:.3f}"),
    ("R@10", "r_at_10", "{:.3f}"),
    ("MRR", "mrr", "{:.3f}"),
    ("ms/query", "ms_per_query", "{:.2f}"),
    ("CPU ms/q", "cpu_ms_per_query", "{:.2f}"),
    ("build s", "build_s", "{:.3f}"),
)


def _require_file(path: Path, what: str) -> None:
    if not path.is_file():
        raise click.UsageError(
            f"{what} file not found: {path} (bench files are not part of the repository; "
            "pass the path of the LocalgovFAQ copy, e.g. ../shared/bench/localgovfaq/)"
        )


def _table(report: dict[str, Any]) -> str:
    baseline = report["baseline"]
    lines = [
        f"{report['queries']} queries ({report['variant']}), {report['entries']} entries",
        f"{'metric':<10} {'matcher':>9} {'baseline':>9}",
    ]
    for label, key, fmt in _ROWS:
        lines.append(f"{label:<10} {fmt.format(report[key]):>9} {fmt.format(baseline[key]):>9}")
    lines.append(f"{'peak MiB':<10} {report['peak_mem_mb']:>9.1f}")
    bands = report["bands"]
    lines.append(
        f"bands answer>={bands['answer_threshold']:g} suggest>={bands['suggest_threshold']:g}: "
        f"direct {bands['direct_share']:.1%} (wrong {bands['direct_wrong_share']:.1%} of direct), "
        f"suggest {bands['suggest_share']:.1%}, fallback {bands['fallback_share']:.1%}"
    )
    curve = ", ".join(
        f"{row['precision']:.0%}: {row['coverage']:.1%}" for row in report["coverage_at_precision"]
    )
    lines.append(f"direct answers possible at precision {curve}")
    lines.append("baseline: rapidfuzz WRatio(query, question), NFKC-normalised")
    return "\n".join(lines)


BENCH_MISSING = (
    "the benchmarks are not installed: pip install 'helpbot[bench]' "
    "(in a checkout: pip install -e '.[bench]', which `make install` does)"
)


@click.group()
def bench() -> None:
    """Measure the matcher, the webhooks, escalation, reminders and crisis detection (needs
    the bench extra: pip install 'helpbot[bench]')."""
    if importlib.util.find_spec("benchmarks") is None:
        raise click.ClickException(BENCH_MISSING)


@bench.command("matching")
@click.option(
    "--faq",
    "faq",
    type=click.Path(path_type=Path),
    required=True,
    help="FAQ entries, one JSON object per line: id, question, answer.",
)
@click.option(
    "--queries",
    "queries",
    type=click.Path(path_type=Path),
    required=True,
    help="Graded queries, one JSON object per line: qid, query, relevant.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=0,
    help="Use only the first N queries (0 = all; per language for --variant multilingual).",
)
@click.option(
    "--variant",
    type=click.Choice(["as-is", "kana", "multilingual", "multilingual-unaccented"]),
    default="as-is",
    show_default=True,
    help="kana: the queries as hiragana readings with one dropped, doubled or swapped "
    "character (fixed seed; built on the fly, see benchmarks/make_kana_variant.py). "
    "multilingual: the dev questions in eight languages (benchmarks/data/), graded by "
    "the --queries file; reports per language. multilingual-unaccented: the same with the "
    "accents of Latin letters dropped and đ as d, as phones often type them (on the fly).",
)
def matching(faq: Path, queries: Path, as_json: bool, sample: int, variant: str) -> None:
    """Rank every entry for every query; print P@1, SR@5, R@10, MRR, speed and memory."""
    from benchmarks.matching import run_bench
    from helpbot.errors import BenchFormatError

    _require_file(faq, "FAQ")
    _require_file(queries, "queries")
    try:
        if variant.startswith("multilingual"):
            from benchmarks.multilingual import multilingual_table, run_multilingual_bench

            report = run_multilingual_bench(
                faq, queries, sample=sample, strip_accents=variant == "multilingual-unaccented"
            )
            click.echo(
                json.dumps(report, ensure_ascii=False) if as_json else multilingual_table(report)
            )
            return
        report = run_bench(faq, queries, sample=sample, variant=variant)
    except BenchFormatError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else _table(report))


@bench.command("scale")
@click.option(
    "--entries",
    "sizes",
    type=click.IntRange(min=1),
    multiple=True,
    default=(1_000, 10_000),
    show_default=True,
    help="Synthetic knowledge-base sizes.",
)
@click.option("--queries", "n_queries", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def scale(sizes: tuple[int, ...], n_queries: int, as_json: bool) -> None:
    """Index build time and ms/query on synthetic knowledge bases of the given sizes."""
    import tempfile

    from benchmarks.scale import measure_scale

    with tempfile.TemporaryDirectory(prefix="helpbot-scale-") as scratch:
        for size in sizes:
            _echo_scale_row(measure_scale(size, cache_dir=Path(scratch), n_queries=n_queries),
                            as_json=as_json)


def _echo_scale_row(row: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(row))
        return
    click.echo(
        f"{row['entries']:>7} entries: build {row['build_s']:.3f} s "
        f"({row['build_cpu_s']:.3f} s CPU) with vectors and analyses cached, "
        f"first build {row['first_build_s']:.3f} s ({row['first_build_cpu_s']:.3f} s CPU); "
        f"{row['ms_per_query']:.3f} ms/query, peak {row['peak_mem_mb']:.0f} MiB; "
        f"first-time sentence vectors {row['embed_s']:.1f} s "
        f"for {row['embedded']} new texts (cached after)"
    )
