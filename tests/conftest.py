"""Shared fixtures: a migrated database (SQLite or PostgreSQL), the fake LINE API, the app.

The database comes from HELPBOT_TEST_DATABASE_URL (default: a fresh SQLite file per test).
On PostgreSQL the session gets its own schema, migrated once and emptied between tests, and
only the tests that reach a database run: the others (crisis words, matching, texts, fakes…)
give the same result on either, and ran on SQLite (`make test`) already.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from helpbot.app import create_app
from helpbot.config import Settings
from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade
from helpbot.storage.models import Base
from helpbot.worker import Worker
from tests.fakes.line_api import FakeLineApi
from tests.fakes.line_webhooks import callback_body, sign
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import DEFAULT_SIGNING_SECRET, SlackRequest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FAQ = ROOT / "faq"
SHARED = ROOT.parent / "shared"
LINE_SECRET = "test-channel-secret-0123456789abcdef"
LINE_TOKEN = "test-channel-access-token"
SLACK_TOKEN = "xoxb-test-token"
SLACK_SECRET = DEFAULT_SIGNING_SECRET
SLACK_CHANNEL = "C0CASES01"
# A Tuesday at 10:00 in Tokyo: inside the sample office hours.
OFFICE_HOURS_NOW = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


class FakeClock:
    """An injected clock: starts at a fixed time and moves only when told."""

    def __init__(self, now: dt.datetime = OFFICE_HOURS_NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def _postgres_url() -> str | None:
    url = os.environ.get("HELPBOT_TEST_DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def _reaches_a_database(item: pytest.Item) -> bool:
    """A test that takes the database fixture, or whose module reads the variable itself."""
    if "_migrated_template" in getattr(item, "fixturenames", ()):
        return True
    path = getattr(getattr(item, "module", None), "__file__", None)
    return path is None or _reads_the_variable(path)


@functools.cache
def _reads_the_variable(path: str) -> bool:
    source = Path(path).read_text(encoding="utf-8")
    return "HELPBOT_TEST_DATABASE_URL" in source or "_postgres_url" in source


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _postgres_url() is None:
        return
    reaches = [_reaches_a_database(item) for item in items]
    if not all(reaches):
        config.hook.pytest_deselected(
            items=[item for item, reach in zip(items, reaches, strict=True) if not reach])
        items[:] = [item for item, reach in zip(items, reaches, strict=True) if reach]


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the session: an SQLite file to copy, or a PostgreSQL schema."""
    pg = _postgres_url()
    if pg is None:
        path = tmp_path_factory.mktemp("db") / "template.sqlite3"
        database = Database(f"sqlite:///{path}")
        upgrade(database)
        database.dispose()
        yield str(path)
        return
    base = pg.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"hb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, hide_parameters=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """A migrated, empty database for one test."""
    if _postgres_url() is None:
        path = tmp_path / "helpbot.sqlite3"
        shutil.copyfile(_migrated_template, path)
        return f"sqlite:///{path}"
    engine = create_engine(_migrated_template, hide_parameters=True)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return _migrated_template


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def fake_line() -> Iterator[FakeLineApi]:
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(bot_token=SLACK_TOKEN) as fake:
        fake.add_channel(SLACK_CHANNEL, "cases")
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    """A private copy of the sample faq/, so tests may edit it."""
    target = tmp_path / "faq"
    shutil.copytree(SAMPLE_FAQ, target)
    return target


@pytest.fixture
def web_process_probe(database_url: str, faq_dir: Path, tmp_path: Path) -> Callable[..., str]:
    """Run Python code in a fresh process configured as the web process with LINE and the web
    chat off (what the process imports is its own); the last line it prints."""

    def run(probe: str, **env: str) -> str:
        environment = {
            **os.environ, "HELPBOT_DATABASE_URL": database_url, "HELPBOT_FAQ_DIR": str(faq_dir),
            "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "token",
            "HELPBOT_WEB_CHAT": "off", **env,
        }
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              env=environment, cwd=tmp_path, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    return run


@pytest.fixture
def settings(
    database_url: str, faq_dir: Path, fake_line: FakeLineApi, fake_slack: FakeSlackApi
) -> Settings:
    return Settings(
        database_url=database_url,
        faq_dir=faq_dir,
        line_channel_secret=LINE_SECRET,
        line_channel_access_token=LINE_TOKEN,
        line_api_base_url=fake_line.base_url,
        faq_check_interval=0.0,
        log_pseudonym_key="test-key",
        embedding_cache_dir=None,
        slack_signing_secret=SLACK_SECRET,
        slack_bot_token=SLACK_TOKEN,
        slack_escalation_channel=SLACK_CHANNEL,
        slack_api_base_url=fake_slack.api_url,
        # On beside LINE and Slack, as HELPBOT_WEB_CHAT=on: most tests talk through it.
        web_chat=True,
    )


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[Flask]:
    app = create_app(settings, clock=clock)
    app.config["TESTING"] = True
    yield app
    app.extensions["helpbot"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class LineWebhook:
    """Post signed webhook bodies the way LINE does, and wait for the answers."""

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self._client = client
        self._app = app

    def post(self, *events: dict, secret: str = LINE_SECRET, signature: str | None = None):
        body = callback_body(*events)
        return self.post_raw(body, signature=sign(body, secret) if signature is None else signature)

    def post_raw(self, body: bytes, *, signature: str):
        response = self._client.post(
            "/webhooks/line",
            data=body,
            headers={"X-Line-Signature": signature, "Content-Type": "application/json"},
        )
        return response

    def settle(self) -> None:
        """Do what the worker does: answer the stored events, send what is due."""
        services = self._app.extensions["helpbot"]
        assert services.wait_idle(timeout=20)
        Worker(services).run_once()
        assert services.wait_idle(timeout=20)


@pytest.fixture
def line(client: FlaskClient, app: Flask) -> LineWebhook:
    return LineWebhook(client, app)


class SlackWebhook:
    """Send requests to POST /webhooks/slack the way Slack does, and wait for the work."""

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self._client = client
        self._app = app

    def send(self, request: SlackRequest):
        return self._client.post(request.path, **request.post_kwargs())

    def settle(self) -> None:
        services = self._app.extensions["helpbot"]
        assert services.wait_idle(timeout=20)
        Worker(services).run_once()


@pytest.fixture
def slack(client: FlaskClient, app: Flask) -> SlackWebhook:
    return SlackWebhook(client, app)


# -- the crisis detector over the sample faq/ (the crisis test modules share these) -----------
@pytest.fixture(scope="module")
def detector():
    """Every layer: words, example sentences and the learned models."""
    from helpbot.crisis.detector import detector_for
    from helpbot.knowledge.loader import load_dir
    from helpbot.matching import build_matcher

    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.crisis is not None
    return detector_for(kb.crisis, kb, build_matcher(kb, semantic=True))


@pytest.fixture(scope="module")
def words_only():
    """The word layers alone (no encoder)."""
    from helpbot.crisis.detector import CrisisDetector
    from helpbot.knowledge.loader import load_dir

    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.crisis is not None
    return CrisisDetector(kb.crisis)
