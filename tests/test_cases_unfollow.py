"""A person who blocks the account while their case is open: the thread says so at once."""

from __future__ import annotations

from sqlalchemy import select

from helpbot.cases.intake import BLOCKED, UNBLOCKED
from helpbot.storage.models import Case
from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import follow_event, new_user_id, text_event, unfollow_event


def _thread(fake_slack, case: Case) -> list[str]:
    return [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]


def test_blocking_and_unblocking_during_a_case_is_said_in_its_thread(
        line, slack, fake_line, fake_slack, database, clock):
    person = new_user_id()
    line.post(text_event("人と話したい", user_id=person,
                         reply_token=fake_line.issue_reply_token(user_id=person)))
    line.settle()
    with database.session() as session:
        case = session.scalars(select(Case)).one()
    line.post(unfollow_event(user_id=person))
    line.settle()
    assert _thread(fake_slack, case) == [BLOCKED]
    clock.advance(minutes=45)  # unclaimed, but nobody can reach the person: not re-announced
    line.settle()
    assert _thread(fake_slack, case) == [BLOCKED]
    line.post(follow_event(user_id=person, is_unblocked=True,
                           reply_token=fake_line.issue_reply_token(user_id=person)))
    line.settle()
    # back: said, and announced again as any unclaimed case
    blocked, unblocked, announced = _thread(fake_slack, case)
    assert (blocked, unblocked) == (BLOCKED, UNBLOCKED) and "Still unclaimed" in announced


def test_a_new_friend_without_a_case_posts_nothing(line, fake_line, fake_slack, database):
    person = new_user_id()
    line.post(follow_event(user_id=person,
                           reply_token=fake_line.issue_reply_token(user_id=person)))
    line.post(unfollow_event(user_id=person))
    line.settle()
    assert fake_slack.texts(SLACK_CHANNEL) == []
