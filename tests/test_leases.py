"""The one claim-with-lease queue (storage/leases.py), on the real database, with a fake clock."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest
from sqlalchemy import select

from helpbot.core.retry import RetryPolicy
from helpbot.errors import RateLimitedError
from helpbot.storage.database import Database
from helpbot.storage.leases import LEASE, LeaseQueue
from helpbot.storage.models import QueueState, StaffPost
from tests.conftest import FakeClock


def _queue_with_rows(database: Database, clock: FakeClock, count: int) -> LeaseQueue:
    with database.session() as session:
        session.add_all(
            StaffPost(case_id=None, kind="notice", text=f"n{i}", status=QueueState.PENDING,
                      attempts=0, created_at=clock(), next_attempt_at=clock())
            for i in range(count)
        )
    return LeaseQueue(database, StaffPost)


def _row(database: Database, row_id: int) -> StaffPost:
    with database.session() as session:
        row = session.get(StaffPost, row_id)
        assert row is not None
        return row


def test_claimed_rows_are_nobody_elses_until_the_lease_runs_out(database, clock):
    queue = _queue_with_rows(database, clock, 5)
    first = queue.claim(clock(), limit=3)
    second = queue.claim(clock(), limit=10)
    assert [lease.id for lease in first] == [1, 2, 3]
    assert [lease.id for lease in second] == [4, 5]
    assert queue.claim(clock()) == []
    clock.advance(seconds=LEASE.total_seconds() + 1)  # the worker died: no renewal
    again = queue.claim(clock())
    assert [(lease.id, lease.attempts) for lease in again] == [(i, 2) for i in range(1, 6)]


def test_a_stale_lease_cannot_move_a_row_that_was_claimed_again(database, clock):
    queue = _queue_with_rows(database, clock, 1)
    (stale,) = queue.claim(clock())
    clock.advance(seconds=LEASE.total_seconds() + 1)
    (fresh,) = queue.claim(clock())
    assert not queue.finish(stale) and not queue.fail(stale)
    assert not queue.retry_later(stale, now=clock(), at=clock())
    assert _row(database, fresh.id).status == QueueState.LEASED
    assert queue.finish(fresh, sent_at=clock())
    row = _row(database, fresh.id)
    assert row.status == QueueState.DONE and row.sent_at == clock()


def test_renewing_keeps_a_lease_and_the_heartbeat_renews_while_work_runs(database, clock):
    queue = _queue_with_rows(database, clock, 2)
    leases = queue.claim(clock())
    clock.advance(seconds=10)
    assert queue.renew(leases, clock()) == 2
    clock.advance(seconds=10)  # 20 s after the claim, 10 s after the renewal
    assert queue.claim(clock()) == [], "renewed leases still hold"
    with queue.keep_alive(leases, clock, every=dt.timedelta(milliseconds=50)):
        clock.advance(seconds=14)
        time.sleep(0.5)  # several heartbeats at the new time
    assert _row(database, leases[0].id).next_attempt_at == clock() + LEASE
    queue.finish(leases[0])
    assert queue.renew(leases, clock()) == 1, "a finished row is not renewed"


def test_retry_later_follows_the_shared_policy_and_retry_after(database, clock):
    queue = _queue_with_rows(database, clock, 1)
    policy = RetryPolicy(rng=random.Random(1))
    (lease,) = queue.claim(clock())
    error = RateLimitedError("429", retry_after=120)
    assert queue.retry_later(lease, now=clock(), backoff=policy, cause=error, last_error="429")
    row = _row(database, lease.id)
    assert row.status == QueueState.PENDING and row.last_error == "429"
    assert row.next_attempt_at >= clock() + dt.timedelta(seconds=120)
    clock.now = row.next_attempt_at
    (again,) = queue.claim(clock())
    assert again.attempts == 2
    assert queue.retry_later(again, now=clock(), at=clock(), counts=False)
    assert _row(database, lease.id).attempts == 1, "a try that does not count gives it back"


def test_claim_returns_the_asked_columns_in_order(database, clock):
    queue = _queue_with_rows(database, clock, 3)
    leases = queue.claim(clock(), ids=[3, 1], returning=(StaffPost.text,))
    assert [(lease.id, lease.values) for lease in leases] == [(1, ("n0",)), (3, ("n2",))]
    with database.session() as session:
        states = dict(session.execute(select(StaffPost.id, StaffPost.status)).all())
    assert states == {1: "leased", 2: "pending", 3: "leased"}


def test_a_turn_is_recorded_only_by_the_worker_that_still_holds_the_event(database, clock):
    """A worker whose lease ran out (another claimed the event) cannot record a second turn:
    its whole transaction rolls back, so the person is not answered twice."""
    from helpbot.errors import LeaseLostError
    from helpbot.storage.inbox import Inbox, NewEvent, record_turn

    inbox = Inbox(database)
    try:
        inbox.store(channel="line", now=clock(), events=[
            NewEvent(event_id="ev-1", event_type="message", payload={"type": "message"},
                     source="U1")])
        (first,) = inbox.claim_due(channel="line", now=clock())
        clock.advance(minutes=5)  # the first worker's lease runs out
        (second,) = inbox.claim_due(channel="line", now=clock())
        with pytest.raises(LeaseLostError), database.session() as session:
            record_turn(session, first, {"replies": ["a"]})
        with database.session() as session:
            record_turn(session, second, {"replies": ["b"]})
        with pytest.raises(LeaseLostError), database.session() as session:
            record_turn(session, second, {"replies": ["c"]})  # a turn is recorded once
    finally:
        inbox.close()
