"""The Monday digest: last week's numbers, one chart uploaded with files.uploadV2 and the top
gaps with 「この質問に答える」, posted once to the fake Slack by the worker; the button opens
the FAQ draft modal with the gap's question."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from helpbot.personal_data.erase import erase_person
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


@pytest.mark.xfail(strict=True, reason="known gap, documented in docs/privacy.md: the digest's "
                   "message ts is not kept, so an erasure cannot rewrite its gap examples")
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

    erase_person(database, asker, actor="cli:tester", now=clock(),
                 outbox=app.extensions["helpbot"].cases.outbox)

    assert "zzqx vvvv 9999" not in str([m.blocks for m in fake_slack.messages(SLACK_CHANNEL)])
