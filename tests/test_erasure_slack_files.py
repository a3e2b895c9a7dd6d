"""Erasure deletes the files the app shared in the person's case thread (files.delete).

A person opens a case and sends a photo: the real media relay uploads it to the fake Slack
with files.uploadV2. Erasure must delete it, not only replace the message's text; files a
worker attached are theirs, so they are counted for staff to delete by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpbot.personal_data.erase import THREAD_NOTICE, ErasureReport, erase_person
from helpbot.personal_data.jobs import PrivacyJobs
from helpbot.personal_data.service import erasure_summary
from helpbot.storage.models import Case, Contact
from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import new_user_id
from tests.fakes.slack_api import SlackMessage
from tests.fakes.slack_requests import new_ts
from tests.test_case_media import _image, _send
from tests.test_cases_slack import _case, _say
from tests.test_personal_data import WORKER, _contact_id


def _photo_in_a_case(line, fake_line, fake_slack, database, person: str) -> tuple[Case, str]:
    """The person's case, and the id of the photo they sent, shared in its thread."""
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    _send(line, fake_line, _image(fake_line, person))
    (upload,) = fake_slack.uploads
    assert fake_slack.has_file(upload.file_id)
    return case, upload.file_id


def _shared(fake_slack, case: Case, file_id: str) -> SlackMessage:
    (message,) = [m for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
                  if any(f["id"] == file_id for f in m.files or ())]
    return message


def _erase(app, database, contact_id: int, clock) -> ErasureReport:
    return erase_person(database, contact_id, actor="cli:tester", now=clock(),
                        outbox=app.extensions["helpbot"].cases.outbox)


def test_the_persons_photo_is_deleted_and_a_workers_file_is_left(
        line, fake_line, fake_slack, database, app, clock):
    person = new_user_id()
    case, photo = _photo_in_a_case(line, fake_line, fake_slack, database, person)
    form = fake_slack.add_message(SLACK_CHANNEL, "申請書です", user=WORKER, ts=new_ts(),
                                  thread_ts=case.slack_ts, files=["申請書.pdf"])
    (form_file,) = form.files or ()

    report = _erase(app, database, _contact_id(database, person), clock)

    assert not fake_slack.has_file(photo), "the photo is gone from Slack"
    assert fake_slack.deleted_files == [photo]
    assert _shared(fake_slack, case, photo).text == THREAD_NOTICE
    assert fake_slack.has_file(form_file["id"]), "a worker's file: the app may not delete it"
    assert (report.slack_files_deleted, report.slack_files_left) == (1, 1)
    assert report.slack_left == 1 and report.slack_failed == []
    summary = erasure_summary(report)
    assert "1 file(s) deleted" in summary and "(with 1 file(s)) are left" in summary
    assert fake_slack.violations == []


def test_a_file_already_deleted_does_not_fail_the_erasure(
        line, fake_line, fake_slack, database, app, clock):
    person = new_user_id()
    case, photo = _photo_in_a_case(line, fake_line, fake_slack, database, person)
    contact_id = _contact_id(database, person)
    # someone deletes it in Slack between conversations.replies and files.delete
    fake_slack.error_next("file_deleted", methods="files.delete")

    report = _erase(app, database, contact_id, clock)

    assert report.slack_failed == [] and report.slack_files_deleted == 1
    assert _shared(fake_slack, case, photo).text == THREAD_NOTICE
    # (the injected answer deleted nothing): erasing again deletes it, then finds a tombstone
    assert _erase(app, database, contact_id, clock).slack_files_deleted == 1
    assert not fake_slack.has_file(photo)
    again = _erase(app, database, contact_id, clock)
    assert again.slack_files_deleted == 0 and again.slack_failed == []
    assert [c.response.get("error") for c in fake_slack.calls("files.delete")] == [
        "file_deleted", None]
    assert fake_slack.violations == []


def test_when_slack_refuses_the_delete_the_case_is_reported(
        line, fake_line, fake_slack, database, app, clock):
    person = new_user_id()
    case, photo = _photo_in_a_case(line, fake_line, fake_slack, database, person)
    fake_slack.error_next("file_deleting_disabled", methods="files.delete")

    report = _erase(app, database, _contact_id(database, person), clock)

    assert report.slack_failed == [case.id] and report.slack_files_deleted == 0
    assert fake_slack.has_file(photo)
    assert "Slack was not reached for case(s)" in erasure_summary(report)


@pytest.mark.parametrize("by", ["command", "unfollow_job"])
def test_a_thread_slack_could_not_be_reached_for_is_erased_once_it_answers(
        by, line, fake_line, fake_slack, database, app, clock):
    """Slack down during an erasure (a command, or the worker's erasure after an unfollow,
    which nobody reads the report of): the person's words and photo in the thread are erased
    when Slack answers again, by the worker's retries, not left there for good."""
    person = new_user_id()
    case, photo = _photo_in_a_case(line, fake_line, fake_slack, database, person)
    _say(line, fake_line, person, "zqxretry0 のことで困っています")
    assert any("zqxretry0" in m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts))
    contact_id = _contact_id(database, person)
    fake_slack.fail_next(503, methods="conversations.replies")  # Slack is down just then
    services = app.extensions["helpbot"]
    if by == "command":
        report = _erase(app, database, contact_id, clock)
        assert report.slack_failed == [case.id]
    else:
        with database.session() as session:
            contact = session.get(Contact, contact_id)
            contact.reachable, contact.last_seen_at = False, clock() - dt.timedelta(days=31)
        jobs = PrivacyJobs(database=database, outbox=services.cases.outbox, clock=clock,
                           retention_days=None, erase_after_unfollow_days=30)
        assert jobs.erase_unfollowed() == 1
    assert fake_slack.has_file(photo), "not reached yet"

    clock.advance(minutes=5)
    services.cases.outbox.retry_due()  # the worker's job, every 15 seconds

    thread = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
    assert not any("zqxretry0" in m.text for m in thread)
    assert not fake_slack.has_file(photo)
    assert _shared(fake_slack, case, photo).text == THREAD_NOTICE
    assert services.cases.outbox.retry_due() == 0, "done once"
    assert fake_slack.violations == []
