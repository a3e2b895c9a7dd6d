"""The real gunicorn and worker, started like the Procfile, answer raw signed bytes."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import LINE_SECRET, LINE_TOKEN
from tests.fakes.line_webhooks import callback_body, new_user_id, sign, text_event
from tests.servers import running_gunicorn, running_worker

pytestmark = pytest.mark.slow


def _post(url: str, body: bytes, signature: str) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"X-Line-Signature": signature, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_serves_the_webhook_and_the_answer_reaches_line(
    database_url, faq_dir, fake_line
):
    env = {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "LINE_CHANNEL_SECRET": LINE_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
        "LINE_API_BASE_URL": fake_line.base_url,
    }
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    body = callback_body(text_event("フードバンクとは何ですか", user_id=user, reply_token=token))
    with running_gunicorn(env, workers=2) as base_url, running_worker(env):
        assert _post(f"{base_url}/webhooks/line", body, "forged") == 400
        assert _post(f"{base_url}/webhooks/line", body, sign(body, LINE_SECRET)) == 200
        assert _post(f"{base_url}/webhooks/line", body, sign(body, LINE_SECRET)) == 200
        assert fake_line.wait_for(lambda: len(fake_line.replies) >= 1, timeout=20)
    texts = fake_line.sent_texts(user_id=user)
    assert len(texts) == 1 and "フードバンク" in texts[0]
    assert fake_line.violations == []


def test_gunicorn_stops_with_one_line_when_the_database_is_unreachable(faq_dir, tmp_path):
    """The Procfile's web line: one helpbot line, no traceback, and the master stops."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {
        **os.environ,
        "HELPBOT_DATABASE_URL": "postgresql://postgres:s3cret@127.0.0.1:1/helpbot",
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "HELPBOT_LOG_KEY": "k",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),  # this checkout's helpbot
    }
    # One worker: with two, a loaded machine can have both exit inside one of gunicorn's
    # reaping passes, and gunicorn then prints its own HaltServer traceback (exit 1).
    done = subprocess.run(
        [str(gunicorn), "--bind", "127.0.0.1:0", "--workers", "1", "helpbot.app:create_app()"],
        check=False, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 3  # "Worker failed to boot": not restarted forever
    output = done.stdout + done.stderr
    ours = [line for line in output.splitlines() if line.startswith("helpbot:")]
    assert ours and set(ours) == {
        "helpbot: cannot reach the database postgresql://postgres@127.0.0.1:1/helpbot: "
        "connection refused. Check HELPBOT_DATABASE_URL and that the server is running."
    }
    assert "Traceback" not in output and "s3cret" not in output
