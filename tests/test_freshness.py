"""Stale data is never shown as fresh: faq check warnings, entries hidden after their deadline or
when inactive, and the weekly digest for staff (issue 10, section 5). Every check takes "today"
from an injected clock or ``--today``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from helpbot.cases.outbox import PostKind
from helpbot.cli.faq import faq
from helpbot.knowledge.freshness import (
    digest_text,
    freshness_warnings,
    is_offered,
    months_before,
    review,
)
from helpbot.knowledge.loader import load_dir
from helpbot.storage.models import StaffPost
from helpbot.worker import Worker
from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event

# The issue's example: checked in 2019, deadline in 2020 — used to pass `faq check` as OK.
OLD_PROGRAM = (
    "- id: old-grant\n  type: program\n  name: 古い給付金\n  summary: 昔の給付金です\n"
    "  last_checked: 2019-01-01\n  deadline: 2020-03-31\n"
)
WINTER = (
    "- id: winter-grant\n  type: program\n  name: 冬の緊急支援金\n"
    "  summary: 冬の光熱費を助けます\n  last_checked: 2026-11-01\n  deadline: 2026-12-11\n"
)
PAUSED = (
    "- id: paused-grant\n  type: program\n  name: 春の引っ越し支援金\n"
    "  summary: 引っ越しの費用を助けます\n  last_checked: 2026-11-01\n  status: inactive\n"
)


def _folder(tmp_path: Path, *texts: str, staff: str = "") -> Path:
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "programs.yaml").write_text("".join(texts), encoding="utf-8")
    if staff:
        (folder / "staff.yaml").write_text(staff, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 30), 12, dt.date(2025, 11, 30)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_the_issues_example_is_stale_and_expired(tmp_path: Path) -> None:
    kb, problems = load_dir(_folder(tmp_path, OLD_PROGRAM, WINTER, PAUSED))
    assert problems == []
    found = review(kb, today=dt.date(2026, 11, 30))
    assert [e.id for e in found.stale] == ["old-grant"]
    assert [e.id for e in found.expired] == ["old-grant"]
    assert [e.id for e in found.expiring] == ["winter-grant"]  # 11 days ahead, within 30
    by_id = kb.by_id()
    assert not is_offered(by_id["old-grant"], dt.date(2026, 11, 30))
    assert not is_offered(by_id["paused-grant"], dt.date(2026, 11, 30))
    assert is_offered(by_id["winter-grant"], dt.date(2026, 12, 11))  # the deadline day itself
    assert not is_offered(by_id["winter-grant"], dt.date(2026, 12, 12))
    messages = [w.message for w in freshness_warnings(kb, today=dt.date(2026, 11, 30))]
    assert "last checked on 2019-01-01, more than 12 months ago" in messages
    assert "the deadline 2020-03-31 has passed; people no longer see this entry" in messages
    assert "the deadline 2026-12-11 is in 11 day(s)" in messages


def test_staff_yaml_sets_the_months_and_days(tmp_path: Path) -> None:
    staff = "stale_after_months: 1\ndeadline_warning_days: 5\n"
    kb, problems = load_dir(_folder(tmp_path, WINTER, staff=staff))
    assert problems == []
    found = review(kb, today=dt.date(2026, 12, 2))
    assert [e.id for e in found.stale] == ["winter-grant"]  # checked 2026-11-01, > 1 month
    assert found.expiring == ()  # 9 days ahead, not within 5
    assert [e.id for e in review(kb, today=dt.date(2026, 12, 6)).expiring] == ["winter-grant"]


@pytest.mark.parametrize("value", ["twelve", "0", "-3", "1.5"])
def test_a_bad_setting_is_a_problem_with_its_line(tmp_path: Path, value: str) -> None:
    _kb, problems = load_dir(_folder(tmp_path, WINTER, staff=f"timezone: Asia/Tokyo\n"
                                                           f"stale_after_months: {value}\n"))
    (problem,) = problems
    assert (problem.file, problem.line) == ("faq/staff.yaml", 2)
    assert "'stale_after_months' must be a whole number of months" in str(problem)
    assert "「stale_after_months」（古いとみなす月数）は数字で書いてください" in str(problem)


def test_an_unknown_status_is_a_problem(tmp_path: Path) -> None:
    _kb, problems = load_dir(_folder(tmp_path, PAUSED.replace("inactive", "paused")))
    (problem,) = problems
    assert problem.line == 6 and "unknown status 'paused'" in problem.message


def test_faq_check_warns_and_strict_fails(tmp_path: Path) -> None:
    folder = _folder(tmp_path, OLD_PROGRAM)
    result = CliRunner().invoke(faq, ["check", str(folder), "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("warning: faq/programs.yaml:1: 情報を最後に確かめたのは 2019-01-01")
    assert "締め切り 2020-03-31 を過ぎたので" in lines[1]
    assert "0 problem(s), 2 warning(s) as of 2026-11-30" in result.output
    assert "OK: no problems found." not in result.output
    strict = CliRunner().invoke(faq, ["check", str(folder), "--today", "2026-11-30", "--strict"])
    assert strict.exit_code == 1
    # The same records, checked as of a day when they were fresh, give no warning.
    fresh = CliRunner().invoke(faq, ["check", str(folder), "--today", "2019-06-01", "--strict"])
    assert fresh.exit_code == 0, fresh.output
    assert "OK: no problems found." in fresh.output


# -- what people see ----------------------------------------------------------------------------

def _ask(line, fake_line, person: str, text: str) -> str:
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event(text, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    return "\n".join(fake_line.replies[-1].messages[i]["text"]
                     for i in range(len(fake_line.replies[-1].messages)))


def _tap(line, fake_line, person: str, data: str) -> str:
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(postback_event(data, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    return fake_line.replies[-1].messages[-1]["text"]


def test_a_program_disappears_the_day_after_its_deadline(line, fake_line, faq_dir, clock):
    (faq_dir / "zz_winter.yaml").write_text(WINTER, encoding="utf-8")
    person = new_user_id()
    clock.now = dt.datetime(2026, 12, 11, 14, 0, tzinfo=dt.UTC)  # 23:00 in Tokyo, deadline day
    before = _ask(line, fake_line, person, "冬の緊急支援金")
    assert "【冬の緊急支援金】" in before and "締め切り: 2026年12月11日" in before
    clock.now = dt.datetime(2026, 12, 11, 15, 0, tzinfo=dt.UTC)  # 00:00 on the 12th in Tokyo
    after = _ask(line, fake_line, person, "冬の緊急支援金")
    assert "冬の緊急支援金" not in after and "2026年12月11日" not in after
    # An old button (from a reply sent before the deadline) does not bring it back either.
    tapped = _tap(line, fake_line, person, "a=answer&id=winter-grant")
    assert "冬の緊急支援金" not in tapped
    assert "冬の緊急支援金" not in _tap(line, fake_line, person, "a=remind&id=winter-grant")


def test_an_inactive_program_is_never_offered(line, fake_line, faq_dir):
    (faq_dir / "zz_paused.yaml").write_text(PAUSED, encoding="utf-8")
    person = new_user_id()
    assert "春の引っ越し支援金" not in _ask(line, fake_line, person, "春の引っ越し支援金")
    assert "春の引っ越し支援金" not in _tap(line, fake_line, person, "a=answer&id=paused-grant")
    active = PAUSED.replace("status: inactive", "status: active")
    (faq_dir / "zz_paused.yaml").write_text(active, encoding="utf-8")
    assert "【春の引っ越し支援金】" in _ask(line, fake_line, person, "春の引っ越し支援金")


def test_a_stale_answer_says_when_it_was_last_checked(line, fake_line, faq_dir):
    stale = OLD_PROGRAM.replace("  deadline: 2020-03-31\n", "")  # still open, checked in 2019
    (faq_dir / "zz_old.yaml").write_text(stale + WINTER, encoding="utf-8")
    person = new_user_id()
    old = _ask(line, fake_line, person, "古い給付金")
    assert "【古い給付金】" in old
    assert "※この情報は2019年1月1日に確かめたものです。いまは変わっているかもしれません。" in old
    fresh = _ask(line, fake_line, person, "冬の緊急支援金")  # checked 2026-11-01
    assert "【冬の緊急支援金】" in fresh and "確かめたものです" not in fresh


# -- the weekly digest --------------------------------------------------------------------------

MONDAY_0930_TOKYO = dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC)


def _digests(database) -> list[StaffPost]:
    with database.session() as session:
        return list(session.scalars(select(StaffPost).where(StaffPost.kind == PostKind.DIGEST)))


def test_the_worker_posts_the_digest_once_a_week(app, fake_slack, database, faq_dir, clock):
    (faq_dir / "zz_old.yaml").write_text(OLD_PROGRAM + WINTER + PAUSED, encoding="utf-8")
    worker = Worker(app.extensions["helpbot"])
    clock.now = MONDAY_0930_TOKYO - dt.timedelta(hours=1)  # Monday 08:30: not yet
    assert worker.digest.post_if_due() == 0
    clock.now = MONDAY_0930_TOKYO
    assert worker.run_once()["post_freshness_digest"] == 1
    (text,) = [t for t in fake_slack.texts(SLACK_CHANNEL) if "情報の見直し" in t]
    assert "古い給付金（old-grant, faq/zz_old.yaml:1） 締め切り 2020-03-31" in text
    assert "最後の確認 2019-01-01" in text
    assert "冬の緊急支援金（winter-grant" in text  # deadline 2026-12-11, within 30 days
    assert "春の引っ越し支援金" not in text  # inactive on purpose: nothing to review
    # Later the same day, another worker, or after a restart: nothing more.
    clock.advance(hours=3)
    assert Worker(app.extensions["helpbot"]).digest.post_if_due() == 0
    clock.advance(days=1)  # Tuesday
    assert worker.digest.post_if_due() == 0
    clock.now = MONDAY_0930_TOKYO + dt.timedelta(days=7)
    assert worker.digest.post_if_due() == 1
    assert len(_digests(database)) == 2
    assert len([t for t in fake_slack.texts(SLACK_CHANNEL) if "情報の見直し" in t]) == 2


def test_a_digest_waits_out_a_slack_outage(app, fake_slack, database, faq_dir, clock):
    (faq_dir / "zz_old.yaml").write_text(OLD_PROGRAM, encoding="utf-8")
    worker = Worker(app.extensions["helpbot"])
    clock.now = MONDAY_0930_TOKYO
    fake_slack.fail_next(503, times=1, methods="chat.postMessage")
    assert worker.digest.post_if_due() == 1  # stored; the first send failed
    (post,) = _digests(database)
    assert post.status != "done"
    assert not [t for t in fake_slack.texts(SLACK_CHANNEL) if "情報の見直し" in t]
    assert worker.digest.post_if_due() == 0  # stored once: never a second digest
    clock.advance(minutes=5)
    worker.services.cases.outbox.retry_due()
    assert [t for t in fake_slack.texts(SLACK_CHANNEL) if "情報の見直し" in t]
    (post,) = _digests(database)
    assert post.status == "done"


def test_no_digest_when_everything_is_fresh(app, fake_slack, database, faq_dir, clock):
    kb, _ = load_dir(faq_dir)
    clock.now = dt.datetime(2027, 1, 4, 0, 30, tzinfo=dt.UTC)  # a Monday after the sample's
    found = review(kb, today=dt.date(2027, 1, 4))               # only near deadline passed
    assert digest_text(found) is not None, "the sample's passed deadline is worth a digest"
    for path in faq_dir.glob("*.yaml"):  # no dates at all: nothing to review
        text = path.read_text(encoding="utf-8")
        lines = [x for x in text.splitlines() if not x.strip().startswith(("deadline:",
                                                                           "last_checked:"))]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert Worker(app.extensions["helpbot"]).digest.post_if_due() == 0
    assert _digests(database) == []


def test_several_workers_post_one_digest(app, fake_slack, database, faq_dir, clock):
    """On PostgreSQL any number of workers run; the week's digest is still posted once."""
    import threading

    if database.is_sqlite:
        pytest.skip("SQLite runs exactly one worker (README); PostgreSQL decides under a lock")
    (faq_dir / "zz_old.yaml").write_text(OLD_PROGRAM, encoding="utf-8")
    clock.now = MONDAY_0930_TOKYO
    workers = [Worker(app.extensions["helpbot"]) for _ in range(4)]
    start = threading.Barrier(len(workers))
    posted: list[int] = []

    def run(worker: Worker) -> None:
        start.wait()
        posted.append(worker.digest.post_if_due())

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(posted) == [0, 0, 0, 1]
    assert len(_digests(database)) == 1
