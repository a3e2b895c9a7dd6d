"""The quick start's defaults: `helpbot db upgrade` and the app agree on the SQLite file."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from helpbot.app import create_app
from helpbot.cli import main
from tests.conftest import SAMPLE_FAQ

PUBLIC_VARIABLES = (
    "HELPBOT_DATABASE_URL",
    "HELPBOT_FAQ_DIR",
    "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_ESCALATION_CHANNEL",
)


def test_defaults_need_nothing_but_the_faq_folder(tmp_path, monkeypatch):
    for name in PUBLIC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(SAMPLE_FAQ, tmp_path / "faq")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "instance" / "helpbot.sqlite3").is_file()
    app = create_app()
    try:
        response = app.test_client().post(
            "/api/playground/messages",
            json={"session": "quickstart-1", "text": "食べ物に困っています"},
        )
        assert response.status_code == 200
        assert response.get_json()["replies"]
        assert app.test_client().post("/webhooks/line", data=b"{}").status_code == 503
    finally:
        app.extensions["helpbot"].close()
