"""`helpbot bench matching --variant multilingual`: the dev questions in eight languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.data import Query
from benchmarks.multilingual import DEFAULT_TRANSLATIONS, LANGUAGES, load_translations
from helpbot.cli.bench import bench
from helpbot.errors import BenchFormatError

BENCH_DIR = Path(__file__).parent.parent.parent / "shared" / "bench" / "localgovfaq"


def test_the_translations_cover_150_queries_in_eight_languages() -> None:
    rows = [json.loads(line) for line in DEFAULT_TRANSLATIONS.read_text("utf-8").splitlines()]
    assert len(rows) == 150 * len(LANGUAGES)
    for language in LANGUAGES:
        mine = [row for row in rows if row["language"] == language]
        assert len(mine) == 150 and len({row["qid"] for row in mine}) == 150
        assert all(row["query"].strip() for row in mine)


def test_a_translation_of_an_unknown_query_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"qid": 99999, "language": "en", "query": "hello"}\n', encoding="utf-8")
    dev = [Query(qid="1", text="質問", relevant=frozenset({"7"}))]
    with pytest.raises(BenchFormatError, match=r"t.jsonl:1: qid 99999 is not a graded query"):
        load_translations(path, dev)


def _bench(variant: str) -> dict:
    """``helpbot bench matching --variant VARIANT --json`` on the LocalgovFAQ dev split."""
    if not (BENCH_DIR / "faq.jsonl").is_file():
        pytest.skip(f"LocalgovFAQ bench files not found in {BENCH_DIR}; skipping")
    result = CliRunner().invoke(
        bench,
        [
            "matching", "--variant", variant, "--json",
            "--faq", str(BENCH_DIR / "faq.jsonl"),
            "--queries", str(BENCH_DIR / "queries_dev.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_multilingual_floors_on_the_localgovfaq_dev_queries() -> None:
    """Floors a little under what was measured (docs/benchmarks.md): the run must not get
    worse. The targets of issue 9 (P@1 0.45, SR@5 0.70 per language) are NOT met yet."""
    report = _bench("multilingual")
    assert report["queries"] == 1200
    assert report["p_at_1"] >= 0.33
    assert report["sr_at_5"] >= 0.59
    assert report["bands"]["fallback_share"] <= 0.10
    assert report["bands"]["direct_wrong_share"] <= 0.05
    languages = report["languages"]
    assert languages["en"]["p_at_1"] >= 0.38 and languages["en"]["sr_at_5"] >= 0.62
    assert languages["zh"]["p_at_1"] >= 0.40 and languages["zh"]["sr_at_5"] >= 0.64
    assert languages["vi"]["p_at_1"] >= 0.25 and languages["ne"]["sr_at_5"] >= 0.45
    for language in LANGUAGES:
        assert languages[language]["detected"] >= 0.98, language


def test_the_unaccented_variant_drops_latin_accents_only() -> None:
    from benchmarks.multilingual import without_accents

    assert without_accents("Tôi muốn đổi địa chỉ") == "Toi muon doi dia chi"
    assert without_accents("pensão, subsídio, ¿Dónde?") == "pensao, subsidio, ¿Donde?"
    assert without_accents("がぎ (juminhyō)") == "がぎ (juminhyo)"  # kana marks are kept
    assert without_accents("पेन्सनको") == "पेन्सनको"  # as are Devanagari signs


def test_multilingual_floors_without_accents() -> None:
    """People type Vietnamese, Portuguese and Spanish on phones without accents: the same dev
    questions with them dropped (measured 2026-11-30: all 0.369 / 0.640, vi 0.240 / 0.527,
    from 0.337 / 0.588 and vi 0.040 / 0.160 before accents were optional)."""
    report = _bench("multilingual-unaccented")
    assert report["p_at_1"] >= 0.33 and report["sr_at_5"] >= 0.60
    vietnamese = report["languages"]["vi"]
    assert vietnamese["p_at_1"] >= 0.20 and vietnamese["sr_at_5"] >= 0.47
    assert report["bands"]["fallback_share"] <= 0.10
