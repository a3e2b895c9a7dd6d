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
