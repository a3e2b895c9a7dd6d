"""Settings are read once from the environment and fail clearly, naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpbot.config import DEFAULT_LINE_API_BASE_URL, load_settings
from helpbot.errors import ConfigError


def test_defaults_need_no_environment(tmp_path: Path):
    settings = load_settings(environ={}, env_file=None, instance_path=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'helpbot.sqlite3'}"
    assert settings.faq_dir == Path("faq")
    assert settings.line_api_base_url == DEFAULT_LINE_API_BASE_URL
    assert settings.port == 8000
    assert not settings.line_enabled


def test_public_environment_names_are_read(tmp_path: Path):
    settings = load_settings(
        environ={
            "HELPBOT_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
            "HELPBOT_FAQ_DIR": "/srv/faq",
            "LINE_CHANNEL_SECRET": "s",
            "LINE_CHANNEL_ACCESS_TOKEN": "t",
            "LINE_API_BASE_URL": "http://127.0.0.1:9999/",
            "PORT": "5001",
        },
        env_file=None,
        instance_path=tmp_path,
    )
    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert settings.faq_dir == Path("/srv/faq")
    assert settings.line_enabled
    assert settings.line_api_base_url == "http://127.0.0.1:9999"
    assert settings.port == 5001


def test_dotenv_file_is_read_and_the_environment_wins(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text("HELPBOT_FAQ_DIR=/from/dotenv\nPORT=7000\n", encoding="utf-8")
    settings = load_settings(environ={"PORT": "7001"}, env_file=env_file, instance_path=tmp_path)
    assert settings.faq_dir == Path("/from/dotenv")
    assert settings.port == 7001


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"LINE_CHANNEL_SECRET": "only-secret"}, "LINE_CHANNEL_ACCESS_TOKEN"),
        ({"LINE_CHANNEL_ACCESS_TOKEN": "only-token"}, "LINE_CHANNEL_SECRET"),
        ({"HELPBOT_DATABASE_URL": "mysql://x"}, "HELPBOT_DATABASE_URL"),
        ({"LINE_API_BASE_URL": "api.line.me"}, "LINE_API_BASE_URL"),
    ],
)
def test_bad_settings_fail_naming_the_variable(tmp_path: Path, environ, names):
    with pytest.raises(ConfigError, match=names):
        load_settings(environ=environ, env_file=None, instance_path=tmp_path)


def test_retention_days_default_number_and_off(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    def read(value: str | None):
        environ = {} if value is None else {"HELPBOT_RETENTION_DAYS": value}
        return load_settings(environ=environ, env_file=None, instance_path=tmp_path)

    assert read(None).retention_days == 365
    assert read("30").retention_days == 30
    assert read("0").retention_days == 0
    with caplog.at_level("WARNING"):
        assert read("off").retention_days is None
    assert "HELPBOT_RETENTION_DAYS is off" in caplog.text
    for bad in ("a year", "-1", "3.5"):
        with pytest.raises(ConfigError, match="HELPBOT_RETENTION_DAYS"):
            read(bad)
    unfollow = load_settings(environ={"HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS": "off"},
                             env_file=None, instance_path=tmp_path)
    assert unfollow.erase_after_unfollow_days is None
    assert read(None).erase_after_unfollow_days == 30


def test_line_without_slack_warns_at_start_up_that_cases_reach_no_staff(
    settings, caplog: pytest.LogCaptureFixture
):
    import dataclasses

    from click.testing import CliRunner

    from helpbot.app import create_app
    from helpbot.cli import main

    no_slack = dataclasses.replace(settings, slack_signing_secret=None, slack_bot_token=None,
                                   slack_escalation_channel=None)
    with caplog.at_level("WARNING"):
        app = create_app(no_slack)
        app.extensions["helpbot"].close()
    web = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("SLACK_BOT_TOKEN" in m and "will not reach staff" in m for m in web), web
    caplog.clear()
    env = {"HELPBOT_DATABASE_URL": settings.database_url, "HELPBOT_FAQ_DIR": str(settings.faq_dir),
           "LINE_CHANNEL_SECRET": settings.line_channel_secret,
           "LINE_CHANNEL_ACCESS_TOKEN": settings.line_channel_access_token,
           "LINE_API_BASE_URL": settings.line_api_base_url}
    with caplog.at_level("WARNING"):
        result = CliRunner().invoke(main, ["worker", "--once"], env=env)
    assert result.exit_code == 0, result.output
    assert "will not reach staff" in caplog.text and "SLACK_ESCALATION_CHANNEL" in caplog.text


def test_line_and_slack_together_give_no_such_warning(settings, caplog):
    from helpbot.app import create_app

    with caplog.at_level("WARNING"):
        create_app(settings).extensions["helpbot"].close()
    assert "will not reach staff" not in caplog.text


@pytest.mark.parametrize(("limits", "said"), [(False, "limits are off"), (True, "per session")])
def test_the_public_web_chat_warning_says_whether_limits_are_on(settings, caplog, limits, said):
    import dataclasses

    from helpbot.app import create_app

    with caplog.at_level("WARNING"):
        create_app(dataclasses.replace(settings, web_chat_limits=limits)
                   ).extensions["helpbot"].close()
    (line,) = [r.getMessage() for r in caplog.records if "HELPBOT_WEB_CHAT=on" in r.getMessage()]
    assert said in line
    assert ("20/minute" in line) is limits
