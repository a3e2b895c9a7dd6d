"""Tests for the ``helpbot faq`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq

SAMPLE_FAQ = Path(__file__).parent.parent / "faq"
GOOD = "- id: a\n  question: 質問\n  answer: 答え\n  alternates: [しつもん]\n  category: 食べ物\n"
PROGRAM = (
    "- id: p\n  type: program\n  name: 制度\n  last_checked: 2026-04-01\n"
    "  contact: {phone: 0120-000-000}\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "faq"
    path.mkdir()
    (path / "a.yaml").write_text(GOOD + PROGRAM, encoding="utf-8")
    return path


def test_check_clean_folder_exits_zero(folder: Path) -> None:
    result = CliRunner().invoke(faq, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 entries (1 FAQ, 1 programs)" in result.output
    assert "0 problem(s)" in result.output


def test_check_prints_each_problem_and_exits_one(folder: Path) -> None:
    (folder / "b.yaml").write_text("- id: a\n  question: q\n  anser: x\n", encoding="utf-8")
    result = CliRunner().invoke(faq, ["check", "--dir", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "/ duplicate id 'a' (first used at faq/a.yaml:1)" in lines[0]
    assert lines[0].startswith("faq/b.yaml:1: ID「a」はもう使われています（最初は faq/a.yaml:1）")
    assert lines[1] == (
        "faq/b.yaml:3: 「anser」という項目はありません / unknown field 'anser' "
        "(hint: 「answer」のまちがいではありませんか？ / did you mean 'answer'?)"
    )
    assert "2 problem(s)" in result.output


def test_check_uses_env_var_when_no_dir_given(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPBOT_FAQ_DIR", str(folder))
    result = CliRunner().invoke(faq, ["check"])
    assert result.exit_code == 0, result.output
    assert str(folder) in result.output


def test_check_defaults_to_faq_in_the_current_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HELPBOT_FAQ_DIR", raising=False)
    monkeypatch.chdir(folder.parent)
    result = CliRunner().invoke(faq, ["check"])
    assert result.exit_code == 0, result.output


def test_check_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(faq, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "HELPBOT_FAQ_DIR" in result.output


def test_check_shipped_sample_is_clean() -> None:
    result = CliRunner().invoke(faq, ["check", str(SAMPLE_FAQ)])
    assert result.exit_code == 0, result.output


def test_export_json_lines(folder: Path) -> None:
    result = CliRunner().invoke(faq, ["export", "--json", str(folder)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {
        "id": "a",
        "kind": "faq",
        "question": "質問",
        "answer": "答え",
        "alternates": ["しつもん"],
        "category": "食べ物",
        "language": "ja",
        "source": "faq/a.yaml:1",
    }
    assert second["kind"] == "program"
    assert second["question"] == "制度"
    assert second["last_checked"] == "2026-04-01"
    assert second["contact"] == {"phone": "0120-000-000"}
    assert "質問" in result.stdout  # ensure_ascii=False


def test_export_reports_skipped_entries_on_stderr(folder: Path) -> None:
    (folder / "b.yaml").write_text("- id: b\n  question: q\n", encoding="utf-8")
    result = CliRunner().invoke(faq, ["export", "--json", str(folder)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    skipped = "skipped: faq/b.yaml:1: 「answer」（答え）がありません / missing 'answer'"
    assert skipped in result.stderr


def test_export_table(folder: Path) -> None:
    result = CliRunner().invoke(faq, ["export", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["a", "faq", "食べ物", "ja", "質問"]
    assert lines[1].split() == ["p", "program", "-", "ja", "制度"]
    assert lines[-1] == "2 entries"
