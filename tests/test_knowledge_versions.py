"""One knowledge version for every process: published in the database, served by all.

Several app and worker instances run in one test on the same database (SQLite or
PostgreSQL), each with its own knowledge store, as separate processes would.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from helpbot.app import Services, build_services, create_app
from helpbot.cli import main
from helpbot.config import Settings
from helpbot.knowledge.loader import load_dir
from helpbot.storage.models import KnowledgeVersion, StaffPost
from helpbot.worker import Worker
from tests.conftest import SLACK_CHANNEL, FakeClock
from tests.fakes.slack_api import FakeSlackApi

NEW_ENTRY = """
- id: food-kitchen
  question: 子ども食堂はどこにありますか
  answer: 毎週水曜日の夕方、公民館で子ども食堂を開いています。
  alternates:
    - こども食堂の場所
"""
BROKEN_ENTRY = """
- id: food-broken
  question: 答えを書き忘れた質問
"""


def edit(path: Path, text: str) -> None:
    """Write the file and move its mtime forward, so every process sees a change."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    bumped = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(bumped, bumped))


def old_copy(faq_dir: Path, to: Path) -> Path:
    """A copy of the folder as another machine has it, from 2020 (older than any edit)."""
    shutil.copytree(faq_dir, to)
    for path in [to, *to.rglob("*")]:
        os.utime(path, (1_600_000_000, 1_600_000_000))
    return to


def top_entry(services: Services, text: str) -> str:
    return services.knowledge.snapshot().index.rank(text, limit=1)[0].entry.id


def served(services: Services) -> str:
    return services.knowledge.snapshot().content_hash


@pytest.fixture
def fast_settings(settings: Settings) -> Settings:
    return settings.with_overrides(semantic_matching=False)


@pytest.fixture
def processes(fast_settings: Settings, clock: FakeClock) -> Iterator[list[Services]]:
    """Services of extra processes; closed after the test."""
    started: list[Services] = []
    yield started
    for services in started:
        services.close()


def notices(fake_slack: FakeSlackApi) -> list[str]:
    return [text for text in fake_slack.texts(SLACK_CHANNEL) if "FAQの編集に問題" in text]


def test_good_edit_then_broken_edit_every_process_serves_the_same_version(
    fast_settings: Settings, faq_dir: Path, clock: FakeClock, fake_slack: FakeSlackApi,
    processes: list[Services],
) -> None:
    app = create_app(fast_settings, clock=clock)
    web = app.extensions["helpbot"]
    processes.append(web)
    worker_services = build_services(fast_settings, clock=clock, role="worker")
    processes.append(worker_services)
    worker = Worker(worker_services)
    worker.check_knowledge()
    original = served(web)
    assert served(worker_services) == original

    food = faq_dir / "food.yaml"
    good = food.read_text(encoding="utf-8") + NEW_ENTRY
    edit(food, good)
    assert app.test_client().get("/healthz").status_code == 200  # the web process looks first
    assert served(web) != original
    edit(food, good + BROKEN_ENTRY)  # broken before the worker looked again

    worker.check_knowledge()
    assert served(worker_services) == served(web)
    assert top_entry(worker_services, "子ども食堂の場所を教えて") == "food-kitchen"
    assert top_entry(web, "子ども食堂の場所を教えて") == "food-kitchen"
    for _ in range(3):  # every process checks again: still one version, one notice
        web.knowledge.snapshot()
        worker.check_knowledge()
    assert served(worker_services) == served(web)
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["knowledge"]["published"] == served(web)

    # A process started now, with the broken files on disk, loads the published version
    # from the database: the files it would have loaded lack the new entry.
    late = build_services(fast_settings, clock=clock, role="worker")
    processes.append(late)
    assert served(late) == served(web)
    assert top_entry(late, "子ども食堂の場所を教えて") == "food-kitchen"

    # Staff heard about the broken edit once, with file, line and hint.
    _kb, problems = load_dir(faq_dir)
    assert problems
    [notice] = notices(fake_slack)
    for problem in problems:
        assert f"{problem.file}:{problem.line}" in notice
        assert problem.hint in notice


def test_a_machine_with_older_files_serves_the_published_version(
    fast_settings: Settings, faq_dir: Path, tmp_path: Path, clock: FakeClock,
    processes: list[Services],
) -> None:
    old_dir = old_copy(faq_dir, tmp_path / "old" / "faq")
    edit(faq_dir / "food.yaml", (faq_dir / "food.yaml").read_text("utf-8") + NEW_ENTRY)

    new_machine = build_services(fast_settings, clock=clock, role="web")
    processes.append(new_machine)
    new_machine.knowledge.snapshot()
    old_machine = build_services(fast_settings.with_overrides(faq_dir=old_dir), clock=clock,
                                 role="web")
    processes.append(old_machine)
    assert served(old_machine) == served(new_machine)
    assert top_entry(old_machine, "子ども食堂の場所を教えて") == "food-kitchen"

    # Staff edit the files on the old machine: that edit is newer, so it is published, and
    # the other machine follows.
    edit(old_dir / "about.yaml", (old_dir / "about.yaml").read_text("utf-8") + "\n")
    old_machine.knowledge.snapshot()
    assert served(new_machine) == served(old_machine)
    assert top_entry(new_machine, "子ども食堂の場所を教えて") != "food-kitchen"


def test_a_broken_edit_notice_is_stored_and_retried_when_slack_fails(
    fast_settings: Settings, faq_dir: Path, clock: FakeClock, fake_slack: FakeSlackApi,
    processes: list[Services], database,
) -> None:
    web = build_services(fast_settings, clock=clock)
    processes.append(web)
    web.knowledge.snapshot()
    fake_slack.fail_next(500, methods="chat.postMessage")
    edit(faq_dir / "food.yaml", (faq_dir / "food.yaml").read_text("utf-8") + BROKEN_ENTRY)
    web.knowledge.snapshot()
    assert notices(fake_slack) == []
    with database.session() as session:
        [post] = session.scalars(select(StaffPost)).all()
        assert post.case_id is None and post.status == "pending" and post.attempts == 1

    clock.advance(minutes=10)
    Worker(web).run_once()
    [notice] = notices(fake_slack)
    assert "faq/food.yaml:" in notice


def test_first_start_with_broken_files_serves_the_good_entries_but_is_not_ready(
    fast_settings: Settings, faq_dir: Path, clock: FakeClock, fake_slack: FakeSlackApi,
    database,
) -> None:
    edit(faq_dir / "food.yaml", (faq_dir / "food.yaml").read_text("utf-8") + BROKEN_ENTRY)
    app = create_app(fast_settings, clock=clock)
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "no knowledge version is published" in response.get_json()["reason"]
        assert top_entry(app.extensions["helpbot"], "今日食べるものがありません") == "food-today"
    finally:
        app.extensions["helpbot"].close()
    assert len(notices(fake_slack)) == 1
    with database.session() as session:
        states = session.scalars(select(KnowledgeVersion.state)).all()
    assert states == ["rejected"]


def test_faq_status_shows_the_published_version_and_each_process(
    fast_settings: Settings, faq_dir: Path, clock: FakeClock, processes: list[Services],
) -> None:
    web = build_services(fast_settings, clock=clock, role="web")
    worker = build_services(fast_settings, clock=clock, role="worker")
    processes.extend([web, worker])
    web.knowledge.snapshot()
    worker.knowledge.snapshot()
    env = {"HELPBOT_DATABASE_URL": fast_settings.database_url,
           "HELPBOT_FAQ_DIR": str(faq_dir), "LINE_CHANNEL_SECRET": "", "HELPBOT_LOG_KEY": "k"}
    runner = CliRunner()

    result = runner.invoke(main, ["faq", "status", "--json"], env=env)
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["published"]["hash"] == served(web)
    assert "food.yaml" in found["published"]["files"]
    assert {row["role"] for row in found["processes"]} == {"web", "worker"}
    assert all(row["serves"] == served(web) and row["current"] for row in found["processes"])
    assert found["agree"] is True

    text = runner.invoke(main, ["faq", "status"], env=env)
    assert text.exit_code == 0
    assert f"published: {served(web)[:12]}" in text.output
    assert text.output.count(f"serves {served(web)[:12]}  current") == 2


def test_restoring_a_broken_file_logs_that_the_good_version_is_served(
    fast_settings: Settings, faq_dir: Path, clock: FakeClock, processes: list[Services],
    caplog: pytest.LogCaptureFixture,
) -> None:
    web = build_services(fast_settings, clock=clock, role="web")
    processes.append(web)
    original = served(web)
    food = faq_dir / "food.yaml"
    good = food.read_text(encoding="utf-8")
    edit(food, good + BROKEN_ENTRY)
    web.knowledge.snapshot()
    assert served(web) == original
    edit(food, good)  # the broken entry taken out again: the published version, unchanged
    with caplog.at_level("INFO", logger="helpbot.knowledge.store"):
        web.knowledge.snapshot()
    assert served(web) == original
    assert any(
        "FAQ problems fixed" in r.getMessage() and original[:12] in r.getMessage()
        for r in caplog.records
    ), caplog.text


def test_a_csv_saved_as_shift_jis_is_published_and_served_by_every_process(
    fast_settings: Settings, faq_dir: Path, tmp_path: Path, clock: FakeClock,
    processes: list[Services],
) -> None:
    other_dir = old_copy(faq_dir, tmp_path / "other" / "faq")
    web = build_services(fast_settings, clock=clock, role="web")
    processes.append(web)
    web.knowledge.snapshot()
    # Excel's plain "CSV" is Shift_JIS; the loader reads it (with a warning to staff)
    csv_path = faq_dir / "opendata_faq.csv"
    text = csv_path.read_text(encoding="utf-8-sig") + "od-kitchen,子ども食堂はどこ,公民館です,\n"
    csv_path.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    os.utime(csv_path, ns=(2 * 10**18, 2 * 10**18))
    web.knowledge.snapshot()  # used to raise UnicodeDecodeError while publishing: a 500
    assert web.knowledge.readiness().ready, web.knowledge.readiness()
    other = build_services(fast_settings.with_overrides(faq_dir=other_dir), clock=clock,
                           role="worker")
    processes.append(other)
    assert served(other) == served(web)
    entry = other.knowledge.snapshot().kb.by_id()["od-kitchen"]
    assert (entry.question, entry.answer) == ("子ども食堂はどこ", "公民館です")
