"""``helpbot bench webhook``: the in-process handling-time part, small and quick (no timings
are asserted), plus the pieces the throughput part is built from."""

from __future__ import annotations

import json

from click.testing import CliRunner

from benchmarks import harness
from benchmarks import webhook as bench
from benchmarks.bare_app import create_app as create_bare_app
from helpbot.cli.bench_webhook import webhook


def test_handling_time_stores_then_the_worker_answers_every_event(database_url, faq_dir):
    with harness.LocalLineApi() as line_api:
        report = bench.measure_handling(
            database_url=database_url, faq_dir=faq_dir, line_api_url=line_api.base_url,
            events=20, warmup=3,
        )
        replies = line_api.replies + line_api.pushes
    posted = 3 + 20
    check = report["check"]
    assert check["posted"] == check["status_200"] == posted
    assert check["stored"] == check["done"] == check["answered"] == posted
    assert check["failed"] == check["pending"] == check["outbound_failed"] == 0
    assert check["outbound_sent"] >= posted
    assert replies == posted
    assert report["answer"]["answered"] == 20
    assert set(report["answer"]) == {"answered", "total_s", "per_event_ms", "per_s"}
    for part in ("request", "process", "deliver"):
        row = report[part]
        assert set(row) == {"n", "p50_ms", "p99_ms", "mean_ms", "max_ms"}
        assert row["n"] == 20
        assert 0 < row["p50_ms"] <= row["p99_ms"] <= row["max_ms"]
    text = bench.format_report(
        {"database": "sqlite", "cpus": 2, "handling": {**report, "replies_at_line": replies}}
    )
    assert "handling time per text event" in text
    assert "Worker.answer_events() drained 20 events" in text


def test_worker_command_is_the_procfile_line():
    command = harness.worker_command()
    assert command[-1] == "worker"


def test_signed_bodies_are_distinct_and_verify_with_the_bare_app():
    bodies = harness.signed_bodies(50, ["食べ物がありません", "こんにちは"], seed=1)
    ids = {json.loads(body)["events"][0]["webhookEventId"] for body, _ in bodies}
    assert len(ids) == 50
    client = create_bare_app(harness.CHANNEL_SECRET).test_client()
    body, signature = bodies[0]
    assert client.post("/webhooks/line", data=body,
                       headers={"X-Line-Signature": signature}).status_code == 200
    assert client.post("/webhooks/line", data=body,
                       headers={"X-Line-Signature": "forged"}).status_code == 400


def test_wrk_summary_is_parsed():
    output = (
        "Running 1s test @ http://127.0.0.1:1/webhooks/line\n"
        'WRK_JSON {"requests":1000,"duration_us":2000000,"bytes":1,"connect":0,"read":0,'
        '"write":0,"status":3,"timeout":1,"p50_us":1500,"p90_us":2000,"p99_us":9000,'
        '"max_us":12000,"mean_us":1700.5}\n'
    )
    stats = bench.parse_wrk(output)
    assert stats["req_per_s"] == 500.0
    assert (stats["p50_ms"], stats["p99_ms"], stats["non_2xx"]) == (1.5, 9.0, 3)
    assert stats["socket_errors"]["timeout"] == 1


def test_cli_json_without_throughput(database_url, faq_dir):
    result = CliRunner().invoke(
        webhook,
        ["--skip-throughput", "--events", "5", "--database-url", database_url,
         "--faq-dir", str(faq_dir), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert "throughput" not in report
    check = report["handling"]["check"]
    assert check["done"] == check["answered"] == check["posted"] == 5 + 50
