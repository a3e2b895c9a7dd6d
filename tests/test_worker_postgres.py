"""Proof for the worker (issue 4, section 4): many due reminders, several workers, a crash,
and a LINE API that fails for a while; and (issue 11) a worker killed while answering LINE
events answers nobody twice.

The two multi-process tests need PostgreSQL (``HELPBOT_TEST_DATABASE_URL=postgresql://...``):
two workers at once are only safe there (``FOR UPDATE SKIP LOCKED``). The flaky-LINE test runs
in-process on any database, with an injected clock so that backoff and Retry-After take no
real time.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpbot.channels.line.events import to_new_event
from helpbot.channels.line.sender import LineSender
from helpbot.channels.messenger import LinePushSender, PeopleMessenger
from helpbot.core.messages import answer_postback
from helpbot.core.retry import RetryPolicy
from helpbot.delivery.outbox import PeopleOutbox, enqueue
from helpbot.knowledge.loader import load_dir
from helpbot.storage.database import Database
from helpbot.storage.inbox import Inbox
from helpbot.storage.leases import LEASE
from helpbot.storage.models import Contact, Delivery, QueueState, WebhookEvent
from tests.conftest import LINE_SECRET, LINE_TOKEN, ROOT, FakeClock
from tests.fakes.line_api import REPLY_PATH, FakeLineApi
from tests.fakes.line_webhooks import new_user_id, postback_event

POSTGRES = os.environ.get("HELPBOT_TEST_DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not POSTGRES,
    reason="several worker processes at once need PostgreSQL (FOR UPDATE SKIP LOCKED); "
    "set HELPBOT_TEST_DATABASE_URL=postgresql://...",
)
pytestmark = pytest.mark.slow

REMINDERS = 1000
PEOPLE = 100
DRAIN_TIMEOUT = 180.0


# -- seeding ------------------------------------------------------------------------------------
def _user_id(batch: str, person: int) -> str:
    return "U" + f"{batch}{person:06d}".encode().hex()[:32].ljust(32, "0")


def _seed(
    database: Database, *, batch: str, people: int, count: int, now: dt.datetime
) -> dict[str, list[str]]:
    """``count`` due reminders over ``people`` LINE contacts; per person, texts in due order.

    Due times are shuffled against insertion order, so "in order" means by due time, not by id.
    """
    rng = random.Random(f"seed-{batch}")
    base = now - dt.timedelta(hours=1)
    with database.session() as session:
        contacts = [
            Contact(
                channel="line", channel_user_id=_user_id(batch, person), language="ja",
                reachable=True, created_at=now, last_seen_at=now,
            )
            for person in range(people)
        ]
        session.add_all(contacts)
        session.flush()
        rows: list[tuple[Contact, int, str]] = []
        for person, contact in enumerate(contacts):
            n = count // people + (1 if person < count % people else 0)
            offsets = rng.sample(range(1, 3000), n)  # distinct seconds, in random order
            rows += [
                (contact, offset, f"reminder {batch} p{person:03d} #{k:02d}")
                for k, offset in enumerate(offsets)
            ]
        rng.shuffle(rows)  # interleave people; ids follow neither person nor due time
        for contact, offset, text in rows:
            enqueue(
                session, contact_id=contact.id, kind="reminder", text=text,
                due_at=base + dt.timedelta(seconds=offset), now=now,
            )
    expected: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for contact, offset, text in rows:
        expected[contact.channel_user_id].append((offset, text))
    return {user: [text for _, text in sorted(items)] for user, items in expected.items()}


def _counts(database: Database) -> Counter[str]:
    with database.session() as session:
        rows = session.execute(select(Delivery.state, func.count()).group_by(Delivery.state))
        return Counter({state: n for state, n in rows})


# -- worker processes ---------------------------------------------------------------------------
@pytest.fixture
def fake_line() -> Iterator[FakeLineApi]:
    """The fake LINE API, answering without Nagle's delay.

    Its handler writes the headers and the body separately; without TCP_NODELAY the body waits
    for the client's delayed ACK, ~40 ms per push on loopback, and 1,000 pushes take 40 s.
    """
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        server = fake._server
        assert server is not None
        server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def worker_env(database_url: str, faq_dir: Path, fake_line: FakeLineApi) -> dict[str, str]:
    return {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "LINE_CHANNEL_SECRET": LINE_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
        "LINE_API_BASE_URL": fake_line.base_url,
        "HELPBOT_QUIET_HOURS": "off",
        "SLACK_SIGNING_SECRET": "",
        "SLACK_BOT_TOKEN": "",
        "SLACK_ESCALATION_CHANNEL": "",
    }


class Workers:
    """``helpbot worker`` processes, their logs kept for the failure message."""

    def __init__(self, env: dict[str, str], log_dir: Path, stack: ExitStack) -> None:
        self._env = {**os.environ, **env}
        self._log_dir = log_dir
        self._stack = stack
        self.logs: list[Path] = []

    def start(self) -> subprocess.Popen[bytes]:
        log = self._log_dir / f"worker-{len(self.logs)}.log"
        self.logs.append(log)
        handle = self._stack.enter_context(log.open("wb"))
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("helpbot")), "worker"],
            cwd=ROOT, env=self._env, stdout=handle, stderr=subprocess.STDOUT,
        )
        self._stack.callback(_stop, process)
        return process

    def tails(self, lines: int = 15) -> str:
        return "\n".join(
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
            for log in self.logs
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def workers(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    with ExitStack() as stack:
        yield Workers(worker_env, tmp_path, stack)


def _wait_until(
    database: Database, workers: Workers, done: int, *, at_least: bool = True,
    timeout: float = DRAIN_TIMEOUT,
) -> Counter[str]:
    """Poll the database until ``done`` rows are sent; fail with the workers' logs."""
    deadline = time.monotonic() + timeout
    while True:
        counts = _counts(database)
        if counts[QueueState.DONE] >= done:
            return counts
        if time.monotonic() > deadline:
            pytest.fail(f"not {done} sent within {timeout:.0f} s: {dict(counts)}\n"
                        f"{workers.tails()}")
        time.sleep(0.02)


def _check_delivered_once(
    fake: FakeLineApi, expected: dict[str, list[str]], *, users: set[str] | None = None
) -> None:
    """Every expected text arrived exactly once, in due order per person."""
    pushes = [p for p in fake.pushes if users is None or p.to in users]
    pairs = [(p.to, m["text"]) for p in pushes for m in p.messages]
    duplicates = [pair for pair, n in Counter(pairs).items() if n > 1]
    assert duplicates == []
    assert len(pushes) == sum(len(texts) for texts in expected.values())
    received: dict[str, list[str]] = defaultdict(list)
    for to, text in pairs:
        received[to].append(text)
    assert set(received) == set(expected)
    out_of_order = [user for user, texts in expected.items() if received[user] != texts]
    assert out_of_order == [], f"order differs for {len(out_of_order)} people"
    assert fake.violations == []


def _conflicts(fake: FakeLineApi) -> int:
    """Pushes LINE refused with 409: a retry key it had already accepted (a resend)."""
    return sum(1 for r in fake.requests if r.path.endswith("/push") and r.status == 409)


# -- the tests ----------------------------------------------------------------------------------
@needs_postgres
def test_two_workers_deliver_1000_reminders_once_in_order(
    database: Database, workers: Workers, fake_line: FakeLineApi
) -> None:
    expected = _seed(
        database, batch="a", people=PEOPLE, count=REMINDERS, now=dt.datetime.now(dt.UTC)
    )
    first, second = workers.start(), workers.start()
    started = time.monotonic()
    counts = _wait_until(database, workers, REMINDERS)
    elapsed = time.monotonic() - started

    assert counts == Counter({QueueState.DONE: REMINDERS})
    assert first.poll() is None and second.poll() is None, workers.tails()
    _check_delivered_once(fake_line, expected)
    assert len(fake_line.pushes) == REMINDERS
    conflicts = _conflicts(fake_line)
    print(f"\n{REMINDERS} reminders by 2 workers in {elapsed:.1f} s "
          f"(incl. start-up); 409 resends: {conflicts}")
    assert conflicts == 0  # nobody crashed: no message was even sent twice


@needs_postgres
def test_a_killed_worker_loses_and_doubles_nothing(
    database: Database, workers: Workers, fake_line: FakeLineApi
) -> None:
    expected = _seed(
        database, batch="b", people=PEOPLE, count=REMINDERS, now=dt.datetime.now(dt.UTC)
    )
    # ~50 ms per push: a worker sends to 4 people at once, about 80 pushes/s, so 1,000 take
    # two workers several seconds and the kill lands mid-batch.
    fake_line.delay_next(0.05, times=10 * REMINDERS, paths=("/v2/bot/message/push",))
    victim = workers.start()
    _wait_until(database, workers, 20)  # the victim is working through the batch now
    survivor = workers.start()
    time.sleep(4)  # the survivor starts and takes part (its first run is 2 s after start-up)
    _wait_until(database, workers, 51)
    victim.kill()  # SIGKILL: no clean-up, its claimed rows stay "leased"
    victim.wait(timeout=10)
    killed_at = dt.datetime.now(dt.UTC)
    at_kill = _counts(database)
    assert 50 < at_kill[QueueState.DONE] < 900, f"kill came too late: {dict(at_kill)}"

    # The dead worker's rows come back when their lease runs out: LEASE (15 s) after its last
    # renewal, at most. Nobody moves them; the survivor (and a restarted worker) take them.
    with database.session() as session:
        held_by_dead = session.scalar(
            select(func.count()).where(
                Delivery.state == QueueState.LEASED, Delivery.next_attempt_at <= killed_at + LEASE
            )
        )
    assert survivor.poll() is None, workers.tails()
    workers.start()  # the restart

    counts = _wait_until(database, workers, REMINDERS)
    assert counts == Counter({QueueState.DONE: REMINDERS})
    _check_delivered_once(fake_line, expected)
    conflicts = _conflicts(fake_line)
    print(f"\nkilled at {dict(at_kill)}; rows leased at the kill: {held_by_dead}; "
          f"409 resends (retry key already accepted): {conflicts}")
    # A resend happens only for a row the dead worker had pushed but not yet marked sent (it
    # sends to 4 people at once): four at most, and one more allows for a slow survivor.
    assert conflicts <= 5


def _outbox(database: Database, fake: FakeLineApi, clock: FakeClock) -> PeopleOutbox:
    """The production outbox and LINE sender, with a fast retry policy and a fake clock."""
    sender = LineSender(access_token=LINE_TOKEN, base_url=fake.base_url)
    return PeopleOutbox(
        database=database,
        messenger=PeopleMessenger({"line": LinePushSender(sender)}),
        clock=clock,
        policy=RetryPolicy(
            base=dt.timedelta(milliseconds=50), cap=dt.timedelta(seconds=1),
            rng=random.Random(4),
        ),
    )


def test_line_failing_for_a_while_then_recovering_delivers_everything_once_in_order(
    database: Database, fake_line: FakeLineApi, clock: FakeClock
) -> None:
    expected = _seed(database, batch="c", people=5, count=50, now=clock())
    fake_line.fail_next(500, times=30, paths=("/v2/bot/message/push",))
    fake_line.fail_next(429, times=10, retry_after=1, paths=("/v2/bot/message/push",))
    outbox = _outbox(database, fake_line, clock)

    rounds = waited = 0
    while _counts(database)[QueueState.DONE] < 50:
        rounds += 1
        assert rounds < 2000, _counts(database)
        if outbox.run_due(limit=50) == 0:
            # Nothing could go: move the clock to the next retry (backoff / Retry-After).
            with database.session() as session:
                next_try = session.scalar(
                    select(func.min(Delivery.next_attempt_at)).where(
                        Delivery.state == QueueState.PENDING,
                        Delivery.next_attempt_at > clock(),
                    )
                )
            assert next_try is not None, _counts(database)
            waited += 1
            clock.now = next_try

    assert _counts(database) == Counter({QueueState.DONE: 50})
    statuses = Counter(r.status for r in fake_line.requests if r.path.endswith("/push"))
    assert statuses == Counter({500: 30, 429: 10, 200: 50})
    _check_delivered_once(fake_line, expected)
    with database.session() as session:
        attempts = sorted(session.scalars(select(Delivery.attempts)))
    assert sum(attempts) == 90  # each refusal cost exactly one attempt of one message
    print(f"\n{rounds} rounds, clock moved {waited} times "
          f"({clock() - dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)} of fake time)")


# -- LINE events: a worker killed while its replies are on their way ----------------------------
EVENT_PEOPLE = 40


def _wait_for_log(workers: Workers, index: int, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in workers.logs[index].read_text(errors="replace"):
        if time.monotonic() > deadline:
            pytest.fail(f"worker {index} did not log {text!r}:\n{workers.tails()}")
        time.sleep(0.1)


def _event_states(database: Database) -> Counter[str]:
    with database.session() as session:
        rows = session.execute(
            select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)
        )
        return Counter({state: n for state, n in rows})


@needs_postgres
def test_a_worker_killed_mid_batch_of_line_events_answers_nobody_twice(
    database: Database, workers: Workers, fake_line: FakeLineApi
) -> None:
    kb, problems = load_dir(ROOT / "faq")
    assert problems == []
    entries = [e for e in kb.entries if e.kind == "faq" and e.language == "ja"][:EVENT_PEOPLE]
    users = [new_user_id() for _ in entries]
    victim = workers.start()
    _wait_for_log(workers, 0, "worker started")
    # LINE takes every reply at once but answers 2 s later: the kill lands while replies whose
    # tokens are already spent have not been answered.
    fake_line.answer_late(2.0, times=100 * EVENT_PEOPLE, paths=(REPLY_PATH,))
    events = [
        to_new_event(postback_event(
            answer_postback(entry.id), user_id=user,
            reply_token=fake_line.issue_reply_token(user_id=user),
        ))
        for user, entry in zip(users, entries, strict=True)
    ]
    Inbox(database).store(channel="line", events=events, now=dt.datetime.now(dt.UTC))
    fake_line.wait_for(lambda: len(fake_line.replies) >= 4, timeout=60)
    victim.kill()  # SIGKILL mid-batch: its replies are taken by LINE, their answers never read
    victim.wait(timeout=10)
    at_kill = _event_states(database)
    replies_at_kill = len(fake_line.replies)
    with database.session() as session:
        in_flight = session.scalar(select(func.count()).where(
            WebhookEvent.status == QueueState.LEASED, WebhookEvent.turn.is_not(None)))
    assert at_kill[QueueState.DONE] < EVENT_PEOPLE, f"kill came too late: {dict(at_kill)}"

    workers.start()  # a new worker takes the dead one's events when their lease runs out
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while _event_states(database)[QueueState.DONE] < EVENT_PEOPLE:
        if time.monotonic() > deadline:
            pytest.fail(f"not answered: {dict(_event_states(database))}\n{workers.tails()}")
        time.sleep(0.1)

    twice = [u for u in users if any(n > 1 for n in Counter(fake_line.sent_texts(u)).values())]
    print(f"\nworker SIGKILLed: {in_flight} events decided but unfinished, {replies_at_kill} "
          f"replies taken by LINE, events {dict(at_kill)}; answered twice {len(twice)} of "
          f"{EVENT_PEOPLE}; replies {len(fake_line.replies)}, pushes {len(fake_line.pushes)}")
    assert twice == []
    assert [fake_line.sent_texts(u) for u in users] == [[e.answer] for e in entries]
    assert fake_line.pushes == [], "every token was still good when the events came back"
    assert fake_line.violations == []
