"""Tests for the ``helpbot faq`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.config.environment import SLACK_VARIABLES

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


NO_SLACK = {name: None for name in SLACK_VARIABLES}
SLACK_SET = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1",
             "SLACK_ESCALATION_CHANNEL": "C0CASES01"}


@pytest.mark.parametrize(("staff", "line"), [
    ("timezone: Asia/Tokyo\nhours:\n  mon: 09:00-18:00\n", 1),
    ("timezone: Asia/Tokyo\ncontact:\n\nhours:\n  mon: 09:00-18:00\n", 2),
])
def test_a_staff_file_without_contact_warns_that_line_alone_reaches_no_one(
        folder: Path, staff: str, line: int) -> None:
    (folder / "staff.yaml").write_text(staff, encoding="utf-8")
    result = CliRunner(env=NO_SLACK).invoke(faq, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    (warning,) = [w for w in result.output.splitlines() if "contact" in w]
    assert warning.startswith(f"warning: faq/staff.yaml:{line}: staff.yaml に連絡先（contact）"
                              "がありません。Slack なしで LINE だけを使うと")
    assert "1 warning(s)" in result.output
    strict = CliRunner(env=NO_SLACK).invoke(faq, ["check", str(folder), "--strict"])
    assert strict.exit_code == 1


def test_no_contact_warning_with_a_contact_or_with_slack(folder: Path) -> None:
    staff = folder / "staff.yaml"
    staff.write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    with_slack = CliRunner(env=SLACK_SET).invoke(faq, ["check", str(folder), "--strict"])
    assert with_slack.exit_code == 0, with_slack.output  # a case opens in Slack
    staff.write_text('timezone: Asia/Tokyo\ncontact:\n  ja: "電話 03-1111-2222"\n',
                     encoding="utf-8")
    result = CliRunner(env=NO_SLACK).invoke(faq, ["check", str(folder), "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 warning(s)" in result.output
