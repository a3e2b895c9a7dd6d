"""``helpbot bench escalation``: structure only, with few users (no timings are asserted)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from benchmarks import escalation as bench
from benchmarks.harness import LocalLineApi
from helpbot.cli.bench_escalation import escalation

ROWS = {"n", "p50_ms", "p99_ms", "mean_ms", "max_ms"}


def test_in_process_times_every_case_from_message_to_slack(database_url, faq_dir):
    with LocalLineApi() as line_api, bench.LocalSlackApi() as slack:
        report = bench.measure_in_process(
            database_url=database_url, faq_dir=faq_dir, line_api_url=line_api.base_url,
            slack=slack, count=4, warmup=1,
        )
        replies = line_api.replies + line_api.pushes
        numbers = [number for _arrived, number in slack.case_posts]
    assert report["check"] == {
        "posted": 5, "status_200": 5, "case_posts_at_slack": 5, "missing": 0
    }
    assert len(set(numbers)) == 5
    assert replies == 5
    for part in ("total", "request", "in_worker", "answer_events_call"):
        assert set(report[part]) == ROWS
        assert report[part]["n"] == 4
    text = bench.format_report({"database": "sqlite", "cpus": 2, "in_process": report})
    assert "message -> Slack post received" in text
    assert "polling" in text


def test_slack_stub_answers_ok_and_notes_case_messages_only():
    import urllib.request

    with bench.LocalSlackApi() as slack:
        for payload in (
            {"channel": "C1", "text": "Case #7: waiting"},
            {"channel": "C1", "thread_ts": "1.000001", "text": "Case #7 in a thread"},
        ):
            request = urllib.request.Request(
                slack.api_url + "chat.postMessage",
                data=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                answer = json.loads(response.read())
            assert answer["ok"] is True and answer["channel"] == "C1" and answer["ts"]
        assert [number for _arrived, number in slack.case_posts] == [7]
        assert slack.calls == {"chat.postMessage": 2}


def test_cli_json_with_gunicorn_and_a_worker(database_url, faq_dir):
    result = CliRunner().invoke(
        escalation,
        ["--count", "2", "--process-count", "1", "--database-url", database_url,
         "--faq-dir", str(faq_dir), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["in_process"]["check"]["missing"] == 0
    processes = report["processes"]
    assert processes["check"]["missing"] == 0
    assert processes["check"]["status_200"] == processes["check"]["posted"]
    assert set(processes["total"]) == ROWS
    assert "processes:" in bench.format_report(report)
