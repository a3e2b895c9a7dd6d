"""Tests for the reloading knowledge store: fake clock, real files."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest

from helpbot.errors import KnowledgeError
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.knowledge.store import KnowledgeStore

ONE = "- id: a\n  question: q1\n  answer: a1\n"
TWO = ONE + "- id: b\n  question: q2\n  answer: a2\n"
BROKEN = TWO + "- id: c\n  question: no answer here\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def ids(kb: KnowledgeBase) -> list[str]:
    """Build a trivial 'index': the entry ids."""
    return [entry.id for entry in kb.entries]


def edit(path: Path, text: str) -> None:
    """Write the file and move its mtime forward, so the change is always visible."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    bumped = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(bumped, bumped))


@pytest.fixture
def faq(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    folder.mkdir()
    edit(folder / "main.yaml", ONE)
    return folder


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(faq: Path, clock: FakeClock) -> KnowledgeStore[list[str]]:
    return KnowledgeStore(faq, build_index=ids, check_interval=2.0, clock=clock)


def test_first_snapshot_loads_and_builds_index(store: KnowledgeStore[list[str]]) -> None:
    snapshot = store.snapshot()
    assert snapshot.version == 1
    assert snapshot.index == ["a"]
    assert snapshot.problems == ()
    assert store.snapshot() is snapshot


def test_change_is_seen_only_after_the_check_interval(
    store: KnowledgeStore[list[str]], faq: Path, clock: FakeClock
) -> None:
    first = store.snapshot()
    edit(faq / "main.yaml", TWO)
    clock.advance(1.0)
    assert store.snapshot() is first
    clock.advance(1.0)
    second = store.snapshot()
    assert second.version == 2
    assert second.index == ["a", "b"]


def test_unchanged_files_keep_the_same_snapshot(
    store: KnowledgeStore[list[str]], clock: FakeClock
) -> None:
    first = store.snapshot()
    clock.advance(10)
    assert store.snapshot() is first


@pytest.mark.parametrize("change", ["add", "delete"])
def test_adding_or_deleting_a_file_reloads(
    store: KnowledgeStore[list[str]], faq: Path, clock: FakeClock, change: str
) -> None:
    extra = faq / "extra.yaml"
    edit(extra, "- id: x\n  question: qx\n  answer: ax\n")
    store.snapshot()
    if change == "add":
        edit(faq / "more.csv", "id,question,answer\ny,qy,ay\n")
        expected = ["x", "a", "y"]  # files load in name order
    else:
        extra.unlink()
        expected = ["a"]
    clock.advance(2)
    assert store.snapshot().index == expected


def test_broken_edit_keeps_serving_the_old_snapshot(
    store: KnowledgeStore[list[str]], faq: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    good = store.snapshot()
    edit(faq / "main.yaml", BROKEN)
    clock.advance(2)
    with caplog.at_level(logging.WARNING, logger="helpbot.knowledge.store"):
        assert store.snapshot() is good
    assert "faq/main.yaml:7" in caplog.text
    assert "missing 'answer'" in caplog.text
    assert "NOT used" in caplog.text
    assert str(store.last_problems[0]).startswith("faq/main.yaml:7:")

    # The broken state is not re-loaded (nor re-logged) on every check.
    caplog.clear()
    clock.advance(2)
    with caplog.at_level(logging.WARNING, logger="helpbot.knowledge.store"):
        assert store.snapshot() is good
    assert caplog.text == ""

    # Fixing the file brings the new entries in.
    edit(faq / "main.yaml", TWO)
    clock.advance(2)
    fixed = store.snapshot()
    assert fixed.version == 2
    assert fixed.index == ["a", "b"]


def test_first_load_with_problems_serves_the_good_entries(
    faq: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    edit(faq / "main.yaml", BROKEN)
    store = KnowledgeStore(faq, build_index=ids, clock=clock)
    with caplog.at_level(logging.WARNING, logger="helpbot.knowledge.store"):
        snapshot = store.snapshot()
    assert snapshot.index == ["a", "b"]
    assert [p.line for p in snapshot.problems] == [7]
    assert "faq/main.yaml:7" in caplog.text


def test_reload_forces_a_check_and_returns_problems(
    store: KnowledgeStore[list[str]], faq: Path
) -> None:
    store.snapshot()
    edit(faq / "main.yaml", TWO)
    assert store.reload() == []
    assert store.snapshot().index == ["a", "b"]
    edit(faq / "main.yaml", BROKEN)
    problems = store.reload()
    assert [p.line for p in problems] == [7]
    assert store.snapshot().index == ["a", "b"]


def test_failing_index_build_keeps_the_old_snapshot(
    faq: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    def build(kb: KnowledgeBase) -> int:
        if len(kb.entries) > 1:
            raise ValueError("index exploded")
        return len(kb.entries)

    store = KnowledgeStore(faq, build_index=build, clock=clock)
    first = store.snapshot()
    edit(faq / "main.yaml", TWO)
    clock.advance(2)
    with caplog.at_level(logging.ERROR, logger="helpbot.knowledge.store"):
        assert store.snapshot() is first
    assert "index exploded" in caplog.text


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="HELPBOT_FAQ_DIR"):
        KnowledgeStore(tmp_path / "missing", build_index=ids)


def test_folder_removed_later_keeps_serving(
    store: KnowledgeStore[list[str]], faq: Path, clock: FakeClock
) -> None:
    first = store.snapshot()
    (faq / "main.yaml").unlink()
    faq.rmdir()
    clock.advance(2)
    assert store.snapshot() is first


def test_readers_do_not_wait_for_a_running_reload(faq: Path, clock: FakeClock) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_build(kb: KnowledgeBase) -> list[str]:
        if len(kb.entries) > 1:
            started.set()
            assert release.wait(5)
        return ids(kb)

    store = KnowledgeStore(faq, build_index=slow_build, clock=clock)
    first = store.snapshot()
    edit(faq / "main.yaml", TWO)
    clock.advance(2)
    worker = threading.Thread(target=store.snapshot)
    worker.start()
    assert started.wait(5)
    assert store.snapshot() is first  # the reload is still running: no waiting
    release.set()
    worker.join(5)
    assert store.snapshot().index == ["a", "b"]


@pytest.mark.parametrize("fixed_text", [ONE, TWO], ids=["restored", "new-entries"])
def test_fixing_a_broken_edit_logs_which_version_is_served(
    store: KnowledgeStore[list[str]], faq: Path, clock: FakeClock,
    caplog: pytest.LogCaptureFixture, fixed_text: str,
) -> None:
    store.snapshot()
    edit(faq / "main.yaml", BROKEN)
    clock.advance(2)
    with caplog.at_level(logging.INFO, logger="helpbot.knowledge.store"):
        store.snapshot()
    assert "FAQ problems fixed" not in caplog.text
    caplog.clear()
    edit(faq / "main.yaml", fixed_text)
    clock.advance(2)
    with caplog.at_level(logging.INFO, logger="helpbot.knowledge.store"):
        served = store.snapshot()
    fixed = [r.getMessage() for r in caplog.records if "FAQ problems fixed" in r.getMessage()]
    assert len(fixed) == 1
    assert f"knowledge version {served.version} " in fixed[0]
    assert f"{len(served.kb.entries)} entries" in fixed[0]
    caplog.clear()  # said once, not at every check
    clock.advance(2)
    with caplog.at_level(logging.INFO, logger="helpbot.knowledge.store"):
        store.snapshot()
    assert "FAQ problems fixed" not in caplog.text
