"""`helpbot ask "TEXT" --json`: what the bot would answer (a public contract)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpbot.cli import main
from helpbot.config.environment import SLACK_VARIABLES
from helpbot.core.texts import phrases
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ

KEYS = {"decision", "entry_id", "score", "answer", "suggestions", "crisis", "handoff", "replies"}


def _ask(text: str, faq_dir=SAMPLE_FAQ) -> dict:
    result = CliRunner().invoke(
        main, ["ask", text, "--json", "--dir", str(faq_dir)], env={"HELPBOT_EMBEDDING_CACHE": ""}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("entry_id", ["food-bank", "food-pantry", "food-today"])
def test_a_sample_question_is_answered_with_its_entry(entry_id):
    entry = load_dir(SAMPLE_FAQ)[0].by_id()[entry_id]
    result = _ask(entry.question)
    assert set(result) == KEYS
    assert result["decision"] == "answer"
    assert result["entry_id"] == entry_id
    assert result["answer"] == entry.answer
    assert result["suggestions"] == []
    assert 0 <= result["score"] <= 100


def test_nonsense_falls_back_with_no_answer():
    result = _ask("zzqx vvvv 9999")
    assert result["decision"] == "fallback"
    assert result["answer"] is None and result["suggestions"] == []


def test_an_unsure_match_lists_suggestions(tmp_path):
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "a.yaml").write_text(
        "- id: rent\n  question: 家賃が払えません\n  answer: 住居確保給付金があります\n"
        "- id: rent-help\n  question: 家賃の相談窓口\n  answer: 窓口はこちら\n",
        encoding="utf-8",
    )
    result = _ask("家賃のこと", tmp_path / "faq")
    assert result["decision"] == "suggest"
    assert result["answer"] is None
    assert {s["id"] for s in result["suggestions"]} == {"rent", "rent-help"}
    assert all(set(s) == {"id", "question", "score"} for s in result["suggestions"])


def test_a_missing_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["ask", "x", "--json", "--dir", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "HELPBOT_FAQ_DIR" in result.output


def test_ask_shows_the_crisis_turn_with_resources_and_an_urgent_handoff():
    result = _ask("もう死にたい")
    assert set(result) == KEYS
    assert result["crisis"]["category"] == "suicide" and result["crisis"]["why"]
    assert result["handoff"]["urgency"] == "urgent"
    first, then = result["replies"][0]["text"], result["replies"][1]["text"]
    assert "0570-783-556" in first and "スタッフ" in then
    assert result["answer"] is None


def test_ask_shows_a_handoff_when_the_person_asks_for_staff():
    result = _ask("スタッフと話したい")
    assert result["crisis"] is None
    assert result["handoff"]["urgency"] == "normal"


LINE_WITHOUT_SLACK = {"HELPBOT_EMBEDDING_CACHE": "", "LINE_CHANNEL_SECRET": "s",
                      "LINE_CHANNEL_ACCESS_TOKEN": "t",
                      **{name: None for name in SLACK_VARIABLES}}


def _run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, ["ask", *args, "--dir", str(SAMPLE_FAQ)],
                                env=env or {"HELPBOT_EMBEDDING_CACHE": ""})
    assert result.exit_code == 0, result.output
    return result


def test_ask_as_line_without_slack_shows_what_a_line_person_gets():
    """A LINE-only NPO's people get no case: 'ask' must not show them a handoff."""
    result = _run("スタッフと話したい", "--json", "--channel", "line")
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(shown) == KEYS and shown["handoff"] is None
    (reply,) = shown["replies"]
    assert reply["text"].startswith(phrases("ja").no_staff_here) and "0120-000-123" in reply["text"]
    assert "as line: LINE without Slack" in result.stderr


def test_ask_follows_this_machines_line_without_slack_by_default():
    result = _run("もう死にたい", env=LINE_WITHOUT_SLACK)
    first = result.stdout.splitlines()[0]
    assert first.startswith("as line: LINE without Slack: no case opens")
    assert "handed to staff" not in result.stdout and "0570-783-556" in result.stdout
    assert phrases("ja").no_staff_here in result.stdout


@pytest.mark.parametrize(("args", "env", "shown"), [
    ((), None, "as web: the web chat"),
    (("--channel", "web"), LINE_WITHOUT_SLACK, "as web: the web chat"),
    (("--channel", "line-slack"), LINE_WITHOUT_SLACK, "as line-slack: LINE with Slack"),
])
def test_ask_says_whose_handoff_it_shows(args, env, shown):
    result = _run("スタッフと話したい", "--json", *args, env=env)
    assert shown in result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["handoff"]["urgency"] == "normal"


def test_ask_reads_the_configuration_once(caplog):
    """One start-up warning, not one per reading of the environment."""
    _run("給付金ってなに", "--channel", "line", env={"HELPBOT_EMBEDDING_CACHE": ""})
    warnings = [r for r in caplog.records if "HELPBOT_LOG_KEY is not set" in r.getMessage()]
    assert len(warnings) == 1
