"""Logs never carry what people wrote: database errors are redacted, the log key is never fixed."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from helpbot.config import load_settings
from helpbot.privacy import Pseudonymizer
from helpbot.storage.database import Database
from helpbot.storage.redact import install_log_redaction, redact

ROOT = Path(__file__).resolve().parent.parent
SECRET_TEXT = "my landlord threatened me"


def test_without_a_log_key_or_channel_secret_the_key_is_random_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="helpbot.config"):
        first = load_settings(environ={}, env_file=None, instance_path=tmp_path)
        second = load_settings(environ={}, env_file=None, instance_path=tmp_path)
    assert first.log_pseudonym_key != second.log_pseudonym_key
    assert Pseudonymizer(first.log_pseudonym_key)("U1") != Pseudonymizer(
        second.log_pseudonym_key)("U1")
    assert caplog.text.count("HELPBOT_LOG_KEY is not set") == 2


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"HELPBOT_LOG_KEY": "k1", "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"},
         "k1"),
        ({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}, "s"),
    ],
)
def test_a_configured_key_or_the_channel_secret_is_used(
    environ: dict[str, str], expected: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="helpbot.config"):
        settings = load_settings(environ=environ, env_file=None, instance_path=tmp_path)
    assert settings.log_pseudonym_key == expected
    assert "HELPBOT_LOG_KEY" not in caplog.text


def test_no_fixed_log_key_is_left_in_the_code() -> None:
    sources = (ROOT / "helpbot").rglob("*.py")
    assert not [path for path in sources if "helpbot-dev" in path.read_text("utf-8")]


def _engine_calls() -> list[tuple[str, int, bool]]:
    found = []
    for folder in ("helpbot", "migrations", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in {"create_engine", "engine_from_config"}:
                    hidden = any(
                        (k.arg == "hide_parameters" and getattr(k.value, "value", None) is True)
                        or k.arg is None  # **kwargs built beside it (checked in Database)
                        for k in node.keywords
                    )
                    found.append((str(path.relative_to(ROOT)), node.lineno, hidden))
    return found


def test_every_engine_hides_statement_parameters() -> None:
    calls = _engine_calls()
    assert len(calls) >= 4  # Database, migrations/env.py, the bench harness, the tests
    assert [call for call in calls if not call[2]] == []
    assert "hide_parameters" in (ROOT / "helpbot/storage/database.py").read_text("utf-8")


def _postgres_error() -> psycopg.Error:
    return psycopg.errors.InvalidTextRepresentation(
        "invalid input syntax for type json\nDETAIL:  Token \"NaN\" is invalid.\n"
        f'CONTEXT:  JSON data, line 1: {{"text": "{SECRET_TEXT}", "x": NaN...'
    )


def test_a_logged_driver_error_is_cut_to_its_first_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_log_redaction()
    error = _postgres_error()
    with caplog.at_level(logging.ERROR):
        try:
            raise error
        except psycopg.Error:
            logging.getLogger("helpbot.test").exception("storing failed")
        logging.getLogger("helpbot.test").error("storing failed: %s", _postgres_error())
    assert "invalid input syntax for type json" in caplog.text
    assert SECRET_TEXT not in caplog.text
    assert "NaN" not in caplog.text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('invalid input syntax for type integer: "my secret"',
         'invalid input syntax for type integer: "…"'),
        ('duplicate key value violates unique constraint "uq_contacts_channel"\nDETAIL:  Key '
         "(channel)=(x) already exists.",
         'duplicate key value violates unique constraint "uq_contacts_channel"'),
    ],
)
def test_quoted_values_are_blanked_but_object_names_stay(message: str, expected: str) -> None:
    error = psycopg.errors.DataError(message)
    redact(error)
    assert str(error) == expected


def test_a_statement_error_through_the_engine_carries_no_values(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite does not quote values back in its errors")
    payload = f'{{"text": "{SECRET_TEXT}", "n": NaN}}'
    with pytest.raises(Exception) as raised, database.engine.begin() as connection:
        connection.execute(text("SELECT CAST(:payload AS json)"), {"payload": payload})
    import traceback

    printed = "".join(traceback.format_exception(raised.value))
    assert "invalid input syntax for type json" in printed
    assert SECRET_TEXT not in printed
