"""A database that is missing, unreachable or not migrated: one clear line, never a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from helpbot.app import EXIT_BOOT_ERROR, build_services, create_app
from helpbot.cli import main
from helpbot.config import Settings
from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade
from helpbot.worker import Job, Worker
from tests.conftest import FakeClock

# Port 1 on localhost: nothing listens, so connecting is refused at once.
CLOSED = "postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:1/helpbot"
CLOSED_SHOWN = "postgresql://postgres@127.0.0.1:1/helpbot"


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_web_app_stops_with_one_line_naming_the_url_and_cause(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        create_app(settings.with_overrides(database_url=CLOSED))
    assert stopped.value.code == EXIT_BOOT_ERROR  # gunicorn stops instead of respawning
    line = one_line(capsys.readouterr().err)
    assert line == (
        f"helpbot: cannot reach the database {CLOSED_SHOWN}: connection refused. "
        "Check HELPBOT_DATABASE_URL and that the server is running."
    )
    assert "s3cret" not in line


def test_web_app_on_an_empty_database_says_run_db_upgrade(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(SystemExit):
        create_app(settings.with_overrides(database_url=empty))
    line = one_line(capsys.readouterr().err)
    assert line.startswith("helpbot: the database sqlite:///")
    assert line.endswith("run `helpbot db upgrade`.")


@pytest.mark.parametrize("command", [["db", "upgrade"], ["worker", "--once"],
                                     ["faq", "status"], ["events", "replay"]])
def test_commands_print_one_line_on_a_connection_error(
    command: list[str], faq_dir: Path
) -> None:
    env = {"HELPBOT_DATABASE_URL": CLOSED, "HELPBOT_FAQ_DIR": str(faq_dir),
           "HELPBOT_LOG_KEY": "k", "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    result = CliRunner().invoke(main, command, env=env)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert line.startswith(f"helpbot: cannot reach the database {CLOSED_SHOWN}: connection")
    assert "s3cret" not in result.output


def test_worker_on_an_old_schema_says_run_db_upgrade(tmp_path: Path, faq_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    database = Database(url)
    upgrade(database, "0001")
    database.dispose()
    env = {"HELPBOT_DATABASE_URL": url, "HELPBOT_FAQ_DIR": str(faq_dir), "HELPBOT_LOG_KEY": "k"}
    result = CliRunner().invoke(main, ["worker", "--once"], env=env)
    assert result.exit_code == 1
    assert "at schema revision 0001" in one_line(result.stderr)
    assert "run `helpbot db upgrade`" in result.stderr


def test_healthz_is_liveness_and_readyz_checks_the_database(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["status"] == "ready" and body["database"] == "ok"
    assert body["knowledge"]["serving"] == body["knowledge"]["published"]


def test_readyz_is_503_with_a_reason_when_the_database_goes_away(
    settings: Settings, tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "own.sqlite3"
    own = Database(f"sqlite:///{path}")
    upgrade(own)
    own.dispose()
    app = create_app(settings.with_overrides(database_url=f"sqlite:///{path}"), clock=clock)
    services = app.extensions["helpbot"]
    try:
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
        services.database.dispose()
        path.unlink()
        path.mkdir()  # a folder where the file was: SQLite cannot open it
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "not ready"
        assert body["reason"].startswith("cannot reach the database sqlite:///")
        assert client.get("/healthz").status_code == 200  # alive, just not ready
    finally:
        services.close()


class Ticks:
    """A monotonic clock for the worker's backoff that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("unreachable", ["sqlite-folder", "closed-port"])
def test_worker_backs_off_logs_once_a_minute_and_recovers(
    unreachable: str, settings: Settings, tmp_path: Path, clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "gone.sqlite3"
    path.mkdir()  # a folder where the file should be: the database cannot be opened
    url = f"sqlite:///{path}" if unreachable == "sqlite-folder" else CLOSED
    services = build_services(settings.with_overrides(database_url=url), clock=clock,
                              role="worker")
    ticks = Ticks()
    worker = Worker(services, monotonic=ticks)
    jobs = [job for job in worker.jobs() if job.id != "check_knowledge"]
    tries = 0

    def counted(job: Job) -> Job:
        def run() -> int:
            nonlocal tries
            tries += 1
            return job.run()
        return Job(job.id, job.seconds, run)

    jobs = [counted(job) for job in jobs]
    try:
        with caplog.at_level(logging.INFO):
            for _second in range(600):  # ten minutes, every job every second
                for job in jobs:
                    worker.run_job(job)
                ticks.now += 1
        records = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert 9 <= len(records) <= 11  # one line a minute, not one per failure
        assert all(r.exc_info is None for r in records)  # no tracebacks
        shown = "sqlite:///" if unreachable == "sqlite-folder" else CLOSED_SHOWN
        assert f"cannot reach the database {shown}" in records[0].getMessage()
        assert "s3cret" not in caplog.text
        # 1, 2, 4 ... 32 s, then every 60 s: about 15 tries in ten minutes, not 3,600
        assert 12 <= tries <= 18

        if unreachable == "closed-port":
            return
        caplog.clear()
        path.rmdir()  # the database comes back
        back = Database(f"sqlite:///{path}")
        upgrade(back)
        back.dispose()
        ticks.now += 61
        with caplog.at_level(logging.INFO):
            assert worker.run_job(jobs[0]) == 0
            assert worker.outage.failures == 0
        assert "the database is back" in caplog.text
    finally:
        services.close()
