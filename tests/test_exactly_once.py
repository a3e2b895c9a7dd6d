"""Nobody answered twice, nobody left in silence (issue 11, part 4).

Signed webhooks in, the real LINE SDK against the fake LINE API out. LINE is slow, or takes a
reply and never answers; an event fails processing for good; a failing event sits before a
person's next message. Time that the product measures comes from the injected clock; the fake
LINE's slowness is real time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from helpbot.channels.line.sender import REPLY_TIMEOUT
from helpbot.core.messages import answer_postback
from helpbot.core.texts import phrases
from helpbot.knowledge.loader import load_dir
from helpbot.storage.database import Database
from helpbot.storage.inbox import MAX_ATTEMPTS
from helpbot.storage.models import Delivery, Message, StaffPost, WebhookEvent
from tests.conftest import SAMPLE_FAQ, SLACK_CHANNEL, FakeClock, LineWebhook
from tests.fakes.line_api import REPLY_PATH, FakeLineApi
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event

POISON = "この行はデータベースが受け付けません"


def _answers() -> list[tuple[str, str]]:
    """(postback data, answer) for 20 sample entries: a tap on an answer button."""
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == []
    entries = [e for e in kb.entries if e.kind == "faq" and e.language == "ja"][:20]
    assert len(entries) == 20
    return [(answer_postback(e.id), e.answer) for e in entries]


def answered_twice(fake: FakeLineApi, users: list[str]) -> list[str]:
    """People who got any text more than once (by reply or push)."""
    return [
        user for user in users if any(n > 1 for n in Counter(fake.sent_texts(user)).values())
    ]


@pytest.fixture
def poisoned_database(database: Database) -> Iterator[Database]:
    """A database that refuses to store one inbound text, as a real fault would (a trigger)."""
    if database.is_sqlite:
        create = [
            f"CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.text = '{POISON}' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
        ]
        drop = ["DROP TRIGGER poison"]
    else:
        create = [
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.text = '{POISON}' THEN RAISE EXCEPTION 'refused by the test trigger'; "
            "END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER poison BEFORE INSERT ON messages FOR EACH ROW "
            "EXECUTE FUNCTION poison()",
        ]
        drop = ["DROP TRIGGER poison ON messages", "DROP FUNCTION poison()"]
    with database.engine.begin() as connection:
        for statement in create:
            connection.execute(text(statement))
    try:
        yield database
    finally:
        with database.engine.begin() as connection:
            for statement in drop:
                connection.execute(text(statement))


def test_line_slow_for_7_seconds_on_20_people_answers_each_exactly_once(
    line: LineWebhook, fake_line: FakeLineApi, database: Database, clock: FakeClock
) -> None:
    pairs = _answers()
    users = [new_user_id() for _ in pairs]
    fake_line.delay_next(7, times=len(users), paths=(REPLY_PATH,))
    for user, (question, _) in zip(users, pairs, strict=True):
        token = fake_line.issue_reply_token(user_id=user)
        response = line.post(postback_event(question, user_id=user, reply_token=token))
        assert response.status_code == 200
    line.settle()
    clock.advance(minutes=2)  # past every retry: nothing more may reach anyone
    line.settle()
    twice = answered_twice(fake_line, users)
    print(f"\nLINE slow 7 s: answered twice {len(twice)} of {len(users)}; "
          f"replies {len(fake_line.replies)}, pushes {len(fake_line.pushes)}")
    assert twice == []
    assert [fake_line.sent_texts(u) for u in users] == [[answer] for _, answer in pairs]
    assert len(fake_line.replies) == len(users) and fake_line.pushes == []
    assert fake_line.violations == []


def test_a_reply_whose_answer_never_arrives_is_not_pushed_again(
    line: LineWebhook, fake_line: FakeLineApi, database: Database
) -> None:
    pairs = _answers()[:3]
    users = [new_user_id() for _ in pairs]
    # LINE takes each reply (the token is spent) and never answers: the sender times out.
    fake_line.answer_late(float("inf"), times=len(users), paths=(REPLY_PATH,))
    for user, (question, _) in zip(users, pairs, strict=True):
        token = fake_line.issue_reply_token(user_id=user)
        line.post(postback_event(question, user_id=user, reply_token=token))
    line.settle()
    assert answered_twice(fake_line, users) == []
    assert [fake_line.sent_texts(u) for u in users] == [[answer] for _, answer in pairs]
    assert fake_line.pushes == []
    refused = [r for r in fake_line.requests if r.path == REPLY_PATH and r.status == 400]
    assert len(refused) == len(users), "each reply was tried once more, with the same token"
    assert all(r.body["replyToken"] for r in refused)
    with database.session() as session:
        statuses = set(session.scalars(select(Message.delivery_status).where(
            Message.direction == "out")))
        assert statuses == {"sent"}
        assert session.scalars(select(Delivery)).all() == []
    assert REPLY_TIMEOUT * 2 < 50, "two tries fit in LINE's one-minute reply window"


def test_an_event_that_fails_for_good_gets_an_apology_once_and_tells_staff(
    line: LineWebhook, fake_line: FakeLineApi, fake_slack, poisoned_database: Database,
    clock: FakeClock,
) -> None:
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    line.post(text_event(POISON, user_id=user, reply_token=token))
    for _ in range(MAX_ATTEMPTS):
        line.settle()
        clock.advance(minutes=1)  # past any backoff of the retry policy
    line.settle()
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.staff is not None and kb.staff.contact["ja"]
    apology = f"{phrases('ja').sorry_error}\n{kb.staff.contact['ja']}"
    assert fake_line.sent_texts(user) == [apology]
    notices = [t for t in fake_slack.texts(SLACK_CHANNEL) if "could not be answered" in t]
    assert len(notices) == 1 and user not in notices[0]
    with poisoned_database.session() as session:
        event = session.scalars(select(WebhookEvent)).one()
        assert event.status == "failed" and event.attempts == MAX_ATTEMPTS
        (sorry,) = session.scalars(select(Delivery)).all()
        assert sorry.kind == "apology" and sorry.state == "done"
        assert session.scalars(select(StaffPost)).one().status == "done"
    clock.advance(hours=1)
    line.settle()
    assert fake_line.sent_texts(user) == [apology], "sent once"
    assert len([t for t in fake_slack.texts(SLACK_CHANNEL) if "could not be answered" in t]) == 1


def test_a_failing_event_does_not_hold_the_persons_next_message(
    line: LineWebhook, fake_line: FakeLineApi, poisoned_database: Database, clock: FakeClock
) -> None:
    question, answer = _answers()[0]
    user = new_user_id()
    first = fake_line.issue_reply_token(user_id=user)
    second = fake_line.issue_reply_token(user_id=user)
    line.post(text_event(POISON, user_id=user, reply_token=first))
    line.post(postback_event(question, user_id=user, reply_token=second))
    received = clock()
    line.settle()  # the clock does not move: the first event fails, the second is answered
    assert fake_line.sent_texts(user) == [answer]
    with poisoned_database.session() as session:
        events = session.scalars(select(WebhookEvent).order_by(WebhookEvent.id)).all()
        assert [e.status for e in events] == ["pending", "done"]
        assert events[0].next_attempt_at > received, "the failing one waits for its retry"
        assert events[1].processed_at - received <= dt.timedelta(seconds=3)
