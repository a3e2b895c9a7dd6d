"""A person's data: erasure reaches every table and Slack, the retention purge keeps counts.

The data is made the real way: signed LINE webhooks, a case in the fake Slack, a worker's
clicks and thread replies. "Full dump" means SQLite's iterdump, or on PostgreSQL every row of
every table cast to text.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from helpbot.cases.outbox import EXPIRED_TEXT
from helpbot.cli import main
from helpbot.personal_data.erase import THREAD_NOTICE, erase_person
from helpbot.personal_data.export import export_person
from helpbot.personal_data.purge import purge_old_texts
from helpbot.storage.audit import audit_lines
from helpbot.storage.models import (
    Base,
    Case,
    Contact,
    Delivery,
    Message,
    ProgramAnswers,
    StaffPost,
    UnansweredQuestion,
    WebhookEvent,
)
from helpbot.worker import Worker
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import follow_event, new_user_id, text_event, unfollow_event
from tests.fakes.slack_requests import block_action, event_callback, message_event, new_ts
from tests.test_case_media import _image, _send
from tests.test_cases_slack import _say

WORKER = "UWORKER01"
MARKERS_A = ("zqxmarka0", "zqxmarka1", "zqxmarka2", "zqxmarka3")
MARKERS_B = ("zqxmarkb0", "zqxmarkb1")


def _case_of(database, user: str) -> Case:
    with database.session() as session:
        return session.scalars(
            select(Case).join(Contact, Case.contact_id == Contact.id)
            .where(Contact.channel_user_id == user)
        ).one()


def _contact_id(database, user: str) -> int:
    with database.session() as session:
        return session.scalars(
            select(Contact.id).where(Contact.channel_user_id == user)
        ).one()


def dump(database) -> str:
    """Every row of every table as text."""
    url = make_url(database.url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    rows: list[str] = []
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            query = text(f'SELECT CAST(t AS text) FROM "{table.name}" AS t')
            rows.extend(str(value) for (value,) in connection.execute(query))
    return "\n".join(rows)


def _counts(database) -> dict[str, int]:
    with database.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _two_people(line, slack, fake_line, fake_slack, database, app, clock) -> tuple[str, str]:
    """Person A with an unanswered question, a claimed case, replies and a follow-up; B chats."""
    person, other = new_user_id(), new_user_id()
    _say(line, fake_line, person, "zqxmarka0 ぬぬぬぽぽぽ")
    _say(line, fake_line, person, "zqxmarka1 のことで人と話したいです")
    _say(line, fake_line, other, "zqxmarkb0 ぬぬぬぽぽぽ")
    _say(line, fake_line, other, "zqxmarkb1 食べ物がありません")
    case = _case_of(database, person)
    assert slack.send(block_action(
        "case_claim", str(case.id), user_id=WORKER, user_name="sato", channel_id=SLACK_CHANNEL,
        message_ts=case.slack_ts, signing_secret=SLACK_SECRET)).status_code == 200
    slack.settle()
    reply_ts = new_ts()
    fake_slack.add_message(SLACK_CHANNEL, "担当の佐藤です", user=WORKER, ts=reply_ts,
                           thread_ts=case.slack_ts)
    assert slack.send(event_callback(
        message_event("担当の佐藤です", channel=SLACK_CHANNEL, user=WORKER, ts=reply_ts,
                      thread_ts=case.slack_ts),
        signing_secret=SLACK_SECRET)).status_code == 200
    slack.settle()
    _say(line, fake_line, person, "zqxmarka2 田中です。電話は090-1234-5678です")
    app.extensions["helpbot"].reminders.schedule_followup(
        case_id=case.id, when=clock() + dt.timedelta(days=2), text="zqxmarka3 いかがですか",
        created_by=WORKER,
    )
    thread = " ".join(m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts))
    assert "zqxmarka2" in thread, "the scenario put the person's words into Slack"
    return person, other


def test_erasure_leaves_no_trace_of_the_person(line, slack, fake_line, fake_slack, database,
                                               app, clock):
    person, _ = _two_people(line, slack, fake_line, fake_slack, database, app, clock)
    token = fake_line.issue_reply_token(user_id=person)  # stored, not yet answered
    assert line.post(text_event("zqxmarka9 まだです", user_id=person,
                                reply_token=token)).status_code == 200
    before = dump(database)
    assert all(marker in before for marker in (*MARKERS_A, "zqxmarka9")) and person in before
    counts = _counts(database)
    case = _case_of(database, person)
    contact_id = _contact_id(database, person)

    report = erase_person(database, contact_id, actor="cli:tester", now=clock(),
                          outbox=app.extensions["helpbot"].cases.outbox)

    line.settle()  # the worker runs: the cancelled event is not answered
    after = dump(database)
    for marker in (*MARKERS_A, "zqxmarka9"):
        assert marker not in after, marker
    assert person not in after
    assert report.cancelled["webhook_events"] == 1
    for marker in MARKERS_B:
        assert marker in after, "another person's data is untouched"
    assert report.removed["messages"] >= 4 and report.removed["webhook_events"] >= 3
    assert report.cases_closed == 1 and report.cancelled["deliveries"] == 1
    after_counts = _counts(database)
    # the erasure, and the resolution of the case it closed (the report counts from it)
    assert after_counts.pop("audit_events") == counts.pop("audit_events") + 2
    # the redraw, and the thread's erasure (stored: retried if Slack is down)
    assert after_counts.pop("staff_posts") == counts.pop("staff_posts") + 2
    assert after_counts == counts, "a tombstone: every row stays, so counts add up"
    # Slack: the app's thread messages are replaced, the case message says why
    thread = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
    shown = " ".join(m.text + json.dumps(m.blocks or [], ensure_ascii=False) for m in thread)
    for marker in MARKERS_A:
        assert marker not in shown
    parent = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert "記録は本人の希望で削除されました" in json.dumps(parent.blocks, ensure_ascii=False)
    assert report.slack_redacted >= 1 and report.slack_left == 1  # the worker's own reply
    assert any(m.text == THREAD_NOTICE for m in thread)
    (erased,) = [a for a in audit_lines(database) if a.action == "erase"]
    assert (erased.actor, erased.contact_id) == ("cli:tester", contact_id)
    assert fake_slack.violations == []


def test_purge_with_a_zero_day_window_removes_all_text_and_keeps_counts(
    line, slack, fake_line, fake_slack, database, app, clock
):
    _two_people(line, slack, fake_line, fake_slack, database, app, clock)
    with database.session() as session:
        open_cases = session.scalars(select(Case.id).where(Case.state != "resolved")).all()
    for case_id in open_cases:
        app.extensions["helpbot"].cases.resolve(case_id, worker_id=WORKER, worker_name="sato")
    clock.advance(seconds=1)
    counts = _counts(database)
    with database.session() as session:  # where a name was, kept with the text until now
        assert any("names" in (extra or {}) for extra in session.scalars(select(Message.extra)))
    dry = purge_old_texts(database, days=0, now=clock(), actor="system", dry_run=True)
    assert _counts(database) == counts and dump(database).count("zqxmarka1") > 0
    report = purge_old_texts(database, days=0, now=clock(), actor="system")
    assert report.removed == dry.removed and report.removed["messages"] > 0
    after = dump(database)
    for marker in MARKERS_A + MARKERS_B:
        assert marker not in after, marker
    with database.session() as session:
        assert not session.scalars(select(Message.id).where(Message.text != "")).all()
        assert not session.scalars(select(Message.id).where(Message.extra.is_not(None))).all()
        assert not session.scalars(
            select(UnansweredQuestion.id).where(UnansweredQuestion.text != "")).all()
        assert not session.scalars(
            select(StaffPost.id).where(StaffPost.text != "",
                                       StaffPost.status.not_in(("pending", "leased")))).all()
        events = session.scalars(select(WebhookEvent)).all()
        assert all(e.payload == {} and e.source is None for e in events if e.status == "done")
        decisions = session.scalars(select(Message.decision)).all()
        assert any(decisions), "decisions stay"
    after_counts = _counts(database)
    assert after_counts.pop("audit_events") == counts.pop("audit_events") + 1
    assert after_counts == counts
    again = purge_old_texts(database, days=0, now=clock(), actor="system")
    assert again.total == 0


def test_unsent_staff_posts_past_the_window_lose_the_words_and_keep_their_place(
    line, fake_line, fake_slack, database, app, clock
):
    """Staff posts are never given up: while Slack is broken for good the person's (masked)
    words wait in the outbox. The purge must reach them too, and leave a line that can still
    be posted in its place when Slack answers again; a file's description goes as well, and
    an urgent line no longer calls the whole channel (the case ended long ago)."""
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case_of(database, person)
    assert case.slack_ts is not None
    fake_slack.fail_next(500, times=10_000)  # Slack broken for good
    _say(line, fake_line, person, "zqxmarks1 家賃を3か月払えていません")
    _say(line, fake_line, person, "zqxmarks2 もう死にたい")  # an urgent line, @channel
    _send(line, fake_line, _image(fake_line, person))
    app.extensions["helpbot"].cases.resolve(case.id, worker_id=WORKER, worker_name="sato")
    outbox = app.extensions["helpbot"].cases.outbox
    waiting = [(post.id, post.kind) for post in outbox.undelivered()]
    assert "zqxmarks1" in dump(database)
    assert {"media", "urgent"} <= {kind for _, kind in waiting}
    clock.advance(days=400)

    report = purge_old_texts(database, days=365, now=clock(), actor="system")

    assert "zqxmarks" not in dump(database)
    assert report.removed["staff_posts"] >= 3
    with database.session() as session:
        posts = session.scalars(select(StaffPost).where(StaffPost.text != "")).all()
        assert {(p.status, p.kind, p.text) for p in posts} == {
            ("pending", "thread", EXPIRED_TEXT)}, "unsent: a fixed line, in place"
    assert [post.id for post in outbox.undelivered()] == [post_id for post_id, _ in waiting]
    assert purge_old_texts(database, days=365, now=clock(), actor="system").total == 0

    fake_slack.heal()  # Slack answers again: the thread is whole, the words are not there
    outbox.retry_due()
    assert outbox.undelivered() == []
    thread = [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]
    assert thread.count(EXPIRED_TEXT) >= 3 and fake_slack.uploads == []
    assert not any("zqxmarks" in text or "<!channel>" in text for text in thread)


def test_a_case_in_the_window_is_kept_whole(line, slack, fake_line, fake_slack, database, app,
                                           clock):
    person, _ = _two_people(line, slack, fake_line, fake_slack, database, app, clock)
    keep = _contact_id(database, person)
    with database.session() as session:
        for case in session.scalars(select(Case).where(Case.contact_id != keep)):
            case.state, case.resolved_at = "resolved", clock()  # only A's case stays open
    clock.advance(days=400)
    report = purge_old_texts(database, days=365, now=clock(), actor="system")
    after = dump(database)
    assert report.kept_people == 1
    for marker in MARKERS_A:  # the case is still open: all of it stays
        assert marker in after, marker
    for marker in MARKERS_B:
        assert marker not in after, marker


def test_export_has_the_persons_data_and_is_audited(line, slack, fake_line, fake_slack,
                                                    database, app, clock):
    person, _ = _two_people(line, slack, fake_line, fake_slack, database, app, clock)
    contact_id = _contact_id(database, person)
    record = export_person(database, contact_id, actor="U0ADMIN", now=clock())
    texts = json.dumps(record, ensure_ascii=False)
    assert record["person"]["user_id"] == person
    assert all(marker in texts for marker in MARKERS_A)
    assert not any(marker in texts for marker in MARKERS_B)
    assert [f["text"] for f in record["follow_ups"]] == ["zqxmarka3 いかがですか"]
    assert len(record["cases"]) == 1
    (row,) = [a for a in audit_lines(database) if a.action == "export"]
    assert (row.actor, row.contact_id) == ("U0ADMIN", contact_id)


@pytest.fixture
def cli_env(database_url: str, faq_dir, fake_slack) -> dict[str, str]:
    return {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "HELPBOT_LOG_KEY": "k",
        "HELPBOT_SEMANTIC": "0",
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_ESCALATION_CHANNEL": SLACK_CHANNEL,
        "SLACK_API_BASE_URL": fake_slack.api_url,
    }


def test_the_commands(line, slack, fake_line, fake_slack, database, app, clock, cli_env):
    person, _ = _two_people(line, slack, fake_line, fake_slack, database, app, clock)
    runner = CliRunner()
    exported = runner.invoke(main, ["person", "export", f"line:{person}", "--json"],
                             env=cli_env)
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["person"]["user_id"] == person
    missing = runner.invoke(main, ["person", "erase", "line:Unobody", "--yes"], env=cli_env)
    assert missing.exit_code == 1 and "no person line:Unobody" in missing.output
    refused = runner.invoke(main, ["person", "erase", f"line:{person}"], env=cli_env, input="n\n")
    assert refused.exit_code != 0 and person in dump(database), "nothing erased unconfirmed"
    erased = runner.invoke(main, ["person", "erase", f"line:{person}", "--yes"], env=cli_env)
    assert erased.exit_code == 0, erased.output
    assert "messages" in erased.output and "thread message(s) replaced" in erased.output
    assert "0 file(s) deleted" in erased.output
    assert person not in dump(database)
    purged = runner.invoke(main, ["data", "purge", "--dry-run"], env=cli_env)
    assert purged.exit_code == 0 and "would remove" in purged.output
    trail = runner.invoke(main, ["audit", "--json"], env=cli_env)
    actions = [json.loads(row)["action"] for row in trail.output.splitlines()]
    assert actions.count("erase") == 1 and actions.count("export") == 1
    assert "claim" in actions


def test_deliveries_to_an_erased_person_are_cancelled(line, slack, fake_line, fake_slack,
                                                       database, app, clock):
    person, _ = _two_people(line, slack, fake_line, fake_slack, database, app, clock)
    erase_person(database, _contact_id(database, person), actor="system", now=clock())
    with database.session() as session:
        states = session.scalars(select(Delivery.state).where(Delivery.kind == "reminder")).all()
    assert states == ["cancelled"]


def test_unfollow_starts_a_countdown_to_erasure(line, fake_line, database, app, clock):
    gone, back = new_user_id(), new_user_id()
    for user in (gone, back):
        _say(line, fake_line, user, f"zqxmarkc {user[-4:]} ぬぬぬ")
        line.post(unfollow_event(user_id=user))
        line.settle()
    line.post(follow_event(user_id=back, reply_token=fake_line.issue_reply_token(user_id=back)))
    line.settle()
    jobs = Worker(app.extensions["helpbot"]).privacy
    clock.advance(days=29)
    assert jobs.erase_unfollowed() == 0, "not yet"
    clock.advance(days=2)
    assert jobs.erase_unfollowed() == 1
    assert jobs.erase_unfollowed() == 0, "once"
    after = dump(database)
    assert gone not in after and back in after
    (row,) = [a for a in audit_lines(database) if a.action == "erase"]
    assert row.actor == "system"


def test_the_worker_purges_daily_with_the_configured_window(line, fake_line, database, app,
                                                           clock):
    user = new_user_id()
    _say(line, fake_line, user, "zqxmarkd ぬぬぬ")
    worker = Worker(app.extensions["helpbot"])
    assert {job.id: job.seconds for job in worker.jobs()}["purge_old_texts"] == 24 * 60 * 60
    assert worker.privacy.purge() == 0
    clock.advance(days=366)
    assert worker.privacy.purge() > 0
    assert "zqxmarkd" not in dump(database)


def test_what_a_person_told_the_program_finder_is_exported_then_erased(
        line, fake_line, database, clock):
    """The finder keeps a person's facts (household, income, residence status): they are in
    the export, and an erasure leaves none of them, nor the words they came from."""
    person = new_user_id()
    _say(line, fake_line, person, "制度をさがす")
    _say(line, fake_line, person, "zqxmarkp0 シングルマザーで子ども2人、パートの収入が少ない")
    contact_id = _contact_id(database, person)
    exported = export_person(database, contact_id, actor="cli:tester", now=clock())
    answers = exported["program_answers"]
    assert answers is not None and answers["facts"], "the finder's facts are in the export"
    assert "zqxmarkp0" in json.dumps(exported, ensure_ascii=False)
    assert "zqxmarkp0" in dump(database)

    erase_person(database, contact_id, actor="cli:tester", now=clock())

    after = dump(database)
    assert "zqxmarkp0" not in after and person not in after
    with database.session() as session:  # (the faq/ files in the database name facts too)
        assert session.get(ProgramAnswers, contact_id) is None, "no stated fact is left"


def test_the_finders_words_age_with_the_messages_they_came_from(line, fake_line, database,
                                                                 clock):
    """The program finder keeps the person's words for its ranking. Coming back to an
    unfinished search carries them into a row saved now: they must still go when the
    messages they came from are purged, not a retention window after the last tap."""
    person = new_user_id()
    _say(line, fake_line, person, "制度をさがす")
    _say(line, fake_line, person, "zqxmarkp1 シングルマザーで子ども2人、パートの収入が少ない")
    contact_id = _contact_id(database, person)
    with database.session() as session:
        row = session.get(ProgramAnswers, contact_id)
        assert row is not None and row.stage == "asking" and "zqxmarkp1" in row.text
    clock.advance(days=300)
    _say(line, fake_line, person, "制度をさがす")  # the old search goes on
    with database.session() as session:
        row = session.get(ProgramAnswers, contact_id)
        assert row is not None and row.facts, "the stated facts stay for the person"
    clock.advance(days=100)

    purge_old_texts(database, days=365, now=clock(), actor="system")

    assert "zqxmarkp1" not in dump(database)
    with database.session() as session:
        row = session.get(ProgramAnswers, contact_id)
        assert row is not None and row.facts, "a search in use keeps its facts"
        assert row.text == ""
    _say(line, fake_line, person, "制度をさがす")  # new words, within the window: they stay
    purge_old_texts(database, days=365, now=clock(), actor="system")
    with database.session() as session:
        row = session.get(ProgramAnswers, contact_id)
        assert row is not None and "制度をさがす" in row.text and row.text_at == clock()
