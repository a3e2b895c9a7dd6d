"""The pieces the process benches share: the local LINE stand-in and process groups."""

from __future__ import annotations

import json
import signal
import sys
import time
import urllib.error
import urllib.request

import pytest

from benchmarks import harness


def _post(url: str, payload: object, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_line_stub_answers_like_line_and_counts_resends():
    with harness.LocalLineApi() as line:
        push = line.base_url + harness.LocalLineApi.PUSH
        message = {"to": "U1", "messages": [{"type": "text", "text": "hi"}]}
        for key in ("k1", "k1", "k2"):
            status, answer = _post(push, message, {"X-Line-Retry-Key": key})
            assert status == 200
            assert [set(m) for m in answer["sentMessages"]] == [{"id", "quoteToken"}]
        status, _answer = _post(line.base_url + harness.LocalLineApi.REPLY, message)
        assert status == 200
        assert _post(line.base_url + "/v2/bot/nothing", message)[0] == 404
        assert (line.pushes, line.replies, line.other, line.duplicates) == (3, 1, 1, 1)
        line.reset()
        assert (line.pushes, line.replies, line.other, line.duplicates) == (0, 0, 0, 0)


def test_stop_groups_ends_a_process_that_ignores_sigterm(tmp_path):
    log = tmp_path / "stubborn.log"
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('up', flush=True); time.sleep(60)"
    )
    process = harness.start_process([sys.executable, "-c", code], {}, log)
    try:
        deadline = time.monotonic() + 10
        while "up" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        harness.stop_groups([process], grace=0.2)
        assert process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(("url", "shown"), [
    (None, "sqlite (fresh file)"),
    ("postgresql+psycopg://u@h/db", "postgresql"),
])
def test_report_head_names_the_database(url, shown):
    head = harness.report_head(url)
    assert head["database"] == shown
    assert set(head) == {"database", "cpus", "started_at"}
