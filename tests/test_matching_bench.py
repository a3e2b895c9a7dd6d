"""The ``helpbot bench`` commands: on hand-made files, and on the real LocalgovFAQ files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.bench import bench

BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "localgovfaq"
KEYS = {"p_at_1", "sr_at_5", "r_at_10", "mrr", "ms_per_query", "build_s"}


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def small_bench(tmp_path: Path) -> tuple[Path, Path]:
    faq = _write_jsonl(
        tmp_path / "faq.jsonl",
        [
            {
                "id": 0,
                "question": "住民票はどこで取れますか",
                "answer": "市役所の窓口です。＜改＞郵送も可。",
            },
            {"id": 1, "question": "粗大ごみの出し方", "answer": "電話で申し込んでください。"},
            {"id": 2, "question": "児童手当の申請", "answer": "子どもが生まれたら15日以内に。"},
        ],
    )
    queries = _write_jsonl(
        tmp_path / "queries.jsonl",
        [
            {"qid": 1, "query": "住民票がほしい", "relevant": [0]},
            {"qid": 2, "query": "そだいゴミを捨てたい", "relevant": [1]},
            {"qid": 3, "query": "手当をもらうには", "relevant": [2, 0]},
            {"qid": 4, "query": "判定なし", "relevant": []},
        ],
    )
    return faq, queries


def test_bench_json_on_small_files(small_bench: tuple[Path, Path]) -> None:
    faq, queries = small_bench
    result = CliRunner().invoke(
        bench, ["matching", "--faq", str(faq), "--queries", str(queries), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report.keys() >= KEYS
    assert report["baseline"].keys() >= KEYS
    assert report["queries"] == 3  # the query without judgements is left out
    assert report["p_at_1"] == 1.0
    assert report["peak_mem_mb"] > 0


def test_bench_table(small_bench: tuple[Path, Path]) -> None:
    faq, queries = small_bench
    result = CliRunner().invoke(bench, ["matching", "--faq", str(faq), "--queries", str(queries)])
    assert result.exit_code == 0, result.output
    for label in ("P@1", "SR@5", "R@10", "MRR", "ms/query", "build s", "peak MiB", "baseline"):
        assert label in result.output


def test_missing_files_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        bench, ["matching", "--faq", str(tmp_path / "no.jsonl"), "--queries", "x.jsonl"]
    )
    assert result.exit_code == 2
    assert "not found" in result.output


def test_bad_line_is_reported(tmp_path: Path, small_bench: tuple[Path, Path]) -> None:
    _, queries = small_bench
    faq = tmp_path / "bad.jsonl"
    faq.write_text('{"id": 1}\n', "utf-8")
    result = CliRunner().invoke(bench, ["matching", "--faq", str(faq), "--queries", str(queries)])
    assert result.exit_code == 2
    assert "missing key" in result.output


def test_scale_command_small() -> None:
    result = CliRunner().invoke(bench, ["scale", "--entries", "50", "--queries", "5", "--json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["entries"] == 50
    assert {"build_s", "ms_per_query", "peak_mem_mb"} <= row.keys()


def test_bench_on_localgovfaq_subset() -> None:
    """The real bench files, first 60 queries: metrics far above the WRatio baseline."""
    if not (BENCH_DIR / "faq.jsonl").is_file():
        pytest.skip(f"LocalgovFAQ bench files not found in {BENCH_DIR}; skipping")
    result = CliRunner().invoke(
        bench,
        [
            "matching",
            "--faq",
            str(BENCH_DIR / "faq.jsonl"),
            "--queries",
            str(BENCH_DIR / "queries_dev.jsonl"),
            "--sample",
            "60",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["queries"] == 60
    assert report["sr_at_5"] >= 0.55
    assert report["sr_at_5"] > report["baseline"]["sr_at_5"] + 0.2
