"""`helpbot bench programs` on tests/data/program_personas.yaml keeps its floors."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from helpbot.cli import main

ROOT = Path(__file__).parent.parent
PERSONAS = ROOT / "tests" / "data" / "program_personas.yaml"


def test_personas_are_many_and_varied() -> None:
    personas = yaml.safe_load(PERSONAS.read_text(encoding="utf-8"))
    assert len(personas) >= 60
    assert all(p["expect"] and "facts" in p for p in personas)
    assert any(p["text"].isascii() for p in personas)  # foreign residents in English


def test_bench_programs_meets_the_targets() -> None:
    result = CliRunner().invoke(main, ["bench", "programs", "--json", "--personas",
                                       str(PERSONAS), "--faq-dir", str(ROOT / "faq")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["personas"] >= 60
    assert report["recall_at_5"] >= 0.90
    assert report["contradiction_share"] == 0.0
    assert report["avg_questions"] <= 3.0
    assert report["text_only_recall_at_5"] >= 0.85
