"""``helpbot bench fuzz``: seeded hostile requests over the app, counted per endpoint."""

from __future__ import annotations

import json

from click.testing import CliRunner

from helpbot.cli import main


def test_fuzz_counts_every_request_and_finds_no_5xx_on_line_and_slack(tmp_path):
    result = CliRunner().invoke(
        main, ["bench", "fuzz", "--examples", "60", "--endpoints", "line,slack", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for name, path in (("line", "POST /webhooks/line"), ("slack", "POST /webhooks/slack")):
        endpoint = report["endpoints"][name]
        assert endpoint["endpoint"] == path
        assert sum(endpoint["by_class"].values()) == endpoint["requests"] == 60
        assert endpoint["5xx"] == 0
        assert set(endpoint["by_class"]) >= {"2xx", "4xx"}  # both valid and refused inputs
    assert report["total_5xx"] == 0
    valid = report["valid_line_events_after"]
    assert valid["stored"] == valid["answered_200"] == valid["sent"] == 100


def test_the_same_seed_sends_the_same_requests():
    def run(seed: str) -> dict:
        result = CliRunner().invoke(main, ["bench", "fuzz", "--examples", "40", "--endpoints",
                                           "line", "--seed", seed, "--json"])
        return json.loads(result.stdout.strip().splitlines()[-1])["endpoints"]["line"]

    first, again, other = run("3"), run("3"), run("4")
    assert first["by_status"] == again["by_status"]
    assert first["by_status"] != other["by_status"]


def test_an_unknown_endpoint_is_a_usage_error():
    result = CliRunner().invoke(main, ["bench", "fuzz", "--endpoints", "line,ftp"])
    assert result.exit_code == 2
    assert "--endpoints" in result.output
