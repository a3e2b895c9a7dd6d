"""The Monday digest: last week's numbers, one chart uploaded with files.uploadV2 and the top
gaps with 「この質問に答える」, posted once to the fake Slack by the worker; the button opens
the FAQ draft modal with the gap's question."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from helpbot.personal_data.erase import erase_person
from helpbot.personal_data.purge import purge_old_texts
from helpbot.storage.models import UnansweredQuestion
from helpbot.worker import Worker
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.slack_requests import block_action
from tests.test_reports import drive_scenario

# Monday 2026-12-07, 09:30 in Tokyo.
MONDAY_MORNING = dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC)


def _digests(fake_slack):
    return [m for m in fake_slack.messages(SLACK_CHANNEL)
            if not m.is_reply and "Weekly digest" in m.text]


def test_the_monday_digest(line, slack, fake_line, fake_slack, database, clock, app):
    drive_scenario(line, slack, fake_line, database, clock)
    worker = Worker(app.extensions["helpbot"])
    assert worker.run_once()["weekly_digest"] == 0, "a Tuesday: nothing"
    clock.now = MONDAY_MORNING - dt.timedelta(hours=1)  # 08:30 on Monday: not yet
    assert worker.run_once()["weekly_digest"] == 0

    clock.now = MONDAY_MORNING
    assert worker.run_once()["weekly_digest"] == 1
    assert worker.run_once()["weekly_digest"] == 0, "once a week"
    (digest,) = _digests(fake_slack)
    text = str(digest.blocks)
    assert "Weekly digest 11/30–12/06" in digest.text
    assert "*受信 / Messages in*\\n6" in text
    assert "2 · 0 · 1" in text  # answered · suggested · fallback
    assert "2 · 1 · 1" in text  # cases opened · claimed · resolved
    assert "zzqx vvvv 9999 ×1" in text
    assert digest.action_ids() == ["faq_answer_gap"]
    (chart,) = fake_slack.uploads
    assert chart.data.startswith(b"\x89PNG") and chart.channel == SLACK_CHANNEL
    assert chart.thread_ts is None and chart.filename == "helpbot-2026-11-30.png"
    assert fake_slack.violations == []

    response = slack.send(block_action(
        "faq_answer_gap", "zzqx vvvv 9999", user_id="UWORKER01", channel_id=SLACK_CHANNEL,
        message_ts=digest.ts, signing_secret=SLACK_SECRET))
    assert response.status_code == 200
    slack.settle()
    modal = fake_slack.views[-1].view
    assert modal["callback_id"] == "faq_draft"
    question = next(b for b in modal["blocks"] if b.get("block_id") == "question")
    assert question["element"]["initial_value"] == "zzqx vvvv 9999"


def test_a_failed_digest_is_tried_again(fake_slack, clock, app):
    clock.now = MONDAY_MORNING
    worker = Worker(app.extensions["helpbot"])
    fake_slack.fail_next(500, times=3)
    assert worker.run_once()["weekly_digest"] == 0, "Slack is down: the job fails quietly"
    fake_slack.reset()
    assert worker.run_once()["weekly_digest"] == 1
    (digest,) = _digests(fake_slack)
    assert "*受信 / Messages in*\\n0" in str(digest.blocks)


def test_an_erased_persons_question_leaves_the_digest(line, slack, fake_line, fake_slack,
                                                      database, clock, app):
    """The digest quotes what people asked (masked) in the staff channel: erasing the person
    who asked should reach it as it reaches their case threads."""
    drive_scenario(line, slack, fake_line, database, clock)
    clock.now = MONDAY_MORNING
    assert Worker(app.extensions["helpbot"]).run_once()["weekly_digest"] == 1
    assert "zzqx vvvv 9999" in str(_digests(fake_slack)[0].blocks)
    with database.session() as session:
        (asker,) = session.scalars(select(UnansweredQuestion.contact_id).where(
            UnansweredQuestion.text.contains("zzqx"))).unique()

    clock.advance(minutes=5)
    erase_person(database, asker, actor="cli:tester", now=clock(),
                 outbox=app.extensions["helpbot"].cases.outbox)
    clock.advance(minutes=10)
    fake_slack.fail_next(503, times=1, methods="chat.update")  # Slack is down just then
    worker = Worker(app.extensions["helpbot"])
    assert worker.run_once()["weekly_digest"] == 0
    assert "zzqx vvvv 9999" in str(_digests(fake_slack)[0].blocks), "tried again later"

    clock.advance(minutes=10)
    assert worker.run_once()["weekly_digest"] == 0, "drawn again, not posted again"
    (digest,) = _digests(fake_slack)
    assert "zzqx vvvv 9999" not in str([m.blocks for m in fake_slack.messages(SLACK_CHANNEL)])
    assert "text removed" in str(digest.blocks) and "*受信 / Messages in*\\n6" in str(
        digest.blocks), "the question is counted, not quoted; the numbers stay"
    updates = digest.updated
    clock.advance(minutes=10)
    worker.run_once()
    assert _digests(fake_slack)[0].updated == updates, "drawn once per erasure"


def test_a_digest_older_than_the_retention_window_loses_its_quotes(
        line, slack, fake_line, fake_slack, database, clock, app):
    drive_scenario(line, slack, fake_line, database, clock)
    clock.now = MONDAY_MORNING
    worker = Worker(app.extensions["helpbot"])
    assert worker.run_once()["weekly_digest"] == 1
    clock.advance(days=400)
    report = purge_old_texts(database, days=365, now=clock(), actor="system")
    assert report.removed["unanswered_questions"] >= 1
    worker.run_once()
    (digest,) = _digests(fake_slack)
    assert "zzqx" not in str(digest.blocks) and "text removed" in str(digest.blocks)
