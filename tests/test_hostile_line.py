"""Hostile bodies on POST /webhooks/line, all with a VALID signature: a clear 4xx or a clean
stored row, never a 5xx, and never a neighbour's webhook lost (issue 11)."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text

from helpbot.storage.inbox import Inbox, NewEvent
from helpbot.storage.models import WebhookEvent
from tests.conftest import LINE_SECRET
from tests.fakes.line_webhooks import callback_body, new_user_id, sign, text_event

MARKER = "借金が300万円あって家賃も払えない-marker"


def _post(client, body: bytes, *, signature: str | None = None):
    return client.post(
        "/webhooks/line",
        data=body,
        headers={
            "X-Line-Signature": sign(body, LINE_SECRET) if signature is None else signature,
            "Content-Type": "application/json",
        },
    )


def _rows(database) -> list[WebhookEvent]:
    with database.session() as session:
        return list(session.scalars(select(WebhookEvent).order_by(WebhookEvent.id)))


def _raw(event_json: str) -> bytes:
    """A body around one event written as raw JSON text (for what json.dumps cannot write)."""
    return ('{"destination":"U1","events":[' + event_json + "]}").encode()


def _event_json(**replace: str) -> str:
    """A realistic text event as JSON text, with some members replaced by raw JSON."""
    event = text_event("こんにちは", user_id=new_user_id())
    parts = {k: json.dumps(v, ensure_ascii=False) for k, v in event.items()}
    parts.update(replace)
    return "{" + ",".join(f'"{k}":{v}' for k, v in parts.items()) + "}"


REJECTED = [
    ("invalid UTF-8",
     callback_body(text_event("こんにちは")).replace("こんにちは".encode(), b"\xff\xfe\x80")),
    ("nested 1,000 deep", _raw(_event_json(message='{"a":' * 1000 + "1" + "}" * 1000))),
    ("a list nested 100,000 deep", _raw("[" * 100_000 + "]" * 100_000)),
    ("nested 40 deep", _raw(_event_json(message='{"a":' * 40 + "1" + "}" * 40))),
    ("NaN", _raw(_event_json(timestamp="NaN"))),
    ("Infinity", _raw(_event_json(timestamp="Infinity"))),
    ("-Infinity", _raw(_event_json(timestamp="-Infinity"))),
    ("1e999", _raw(_event_json(timestamp="1e999"))),
    ("an integer of 5,000 digits", _raw(_event_json(timestamp="7" * 5000))),
    ("an integer beyond 64 bits", _raw(_event_json(timestamp=str(2**70)))),
    ("events that are not objects", b'{"destination":"U1","events":[1,"x",null,[]]}'),
    ("events not a list", b'{"destination":"U1","events":{"0":{}}}'),
    ("a JSON string", b'"events"'),
    ("empty body", b""),
    ("truncated", callback_body(text_event("こんにちは"))[:-7]),
    ("UTF-16", callback_body(text_event("こんにちは")).decode().encode("utf-16")),
]


@pytest.mark.parametrize("body", [b for _, b in REJECTED], ids=[n for n, _ in REJECTED])
def test_malformed_bodies_with_a_valid_signature_get_a_clear_400(client, database, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert _rows(database) == []


def test_a_body_over_the_limit_is_413_and_too_many_events_is_413(client, database):
    huge = callback_body(text_event("あ" * (1024 * 1024)))
    response = _post(client, huge)
    assert response.status_code == 413
    assert "larger than" in response.get_json()["error"]
    many = callback_body(*[text_event("こんにちは") for _ in range(101)])
    assert _post(client, many).status_code == 413
    assert _rows(database) == []


@pytest.mark.parametrize(
    "signature",
    ["\u00e9" * 44, "\u3042bc", "a\u00ff" + "=" * 42, "\x00", "v" * 10_000],
    ids=["latin-1", "japanese", "mixed", "NUL", "long"],
)
def test_a_non_ascii_or_odd_signature_is_a_400_not_a_500(client, database, signature):
    response = _post(client, callback_body(text_event("こんにちは")), signature=signature)
    assert response.status_code == 400
    assert "signature" in response.get_json()["error"].lower()
    assert _rows(database) == []


def test_nul_and_lone_surrogates_are_stored_as_the_replacement_character(client, database):
    user = new_user_id()
    event = _event_json(
        message='{"type":"text","id":"1","text":"家賃\\u0000が\\ud800払えない\\udfff"}',
        source='{"type":"user","userId":"' + user + '\\u0000"}',
    )
    event = event.replace('"mode"', '"mo\\u0000de"', 1)
    response = _post(client, _raw(event))
    assert response.status_code == 200
    (row,) = _rows(database)
    assert row.payload["message"]["text"] == "家賃\ufffdが\ufffd払えない\ufffd"
    assert "mo\ufffdde" in row.payload
    assert row.source == user + "\ufffd"


def test_an_event_id_longer_than_the_column_is_stored_once_under_its_hash(client, database):
    event = text_event("こんにちは", event_id="E" * 65)
    assert _post(client, callback_body(event)).status_code == 200
    again = dict(event, deliveryContext={"isRedelivery": True})
    response = _post(client, callback_body(again))
    assert response.status_code == 200 and response.get_json()["new"] == 0
    (row,) = _rows(database)
    assert len(row.event_id) <= 64 and row.event_id.startswith("sha256:")


@pytest.mark.parametrize(
    "members",
    [
        {"type": {"a": 1}},
        {"type": "t" * 500},
        {"source": "user"},
        {"source": {"type": "user", "userId": 12345}},
        {"source": {"type": "user", "userId": "U" * 500}},
        {"webhookEventId": 7},
        {"webhookEventId": ""},
        {"message": [1, 2]},
        {"timestamp": 2**62},
    ],
    ids=lambda m: next(iter(m)),
)
def test_odd_but_storable_events_are_stored_and_answered_200(client, database, members):
    event = dict(text_event("こんにちは"), **members)
    response = _post(client, callback_body(event))
    assert response.status_code == 200
    (row,) = _rows(database)
    assert len(row.event_type) <= 32 and len(row.event_id) <= 64
    assert row.source is None or len(row.source) <= 128


# -- a row the database refuses -------------------------------------------------------------
@pytest.fixture
def refuses_poison(database) -> Iterator[None]:
    """The database itself refuses rows of event type 'poison' (a stand-in for any value it
    will not take): a trigger on SQLite, a CHECK constraint on PostgreSQL."""
    if database.is_sqlite:
        create = (
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON webhook_events "
            "WHEN NEW.event_type = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        drop = "DROP TRIGGER refuse_poison"
    else:
        create = (
            "ALTER TABLE webhook_events ADD CONSTRAINT refuse_poison "
            "CHECK (event_type <> 'poison')"
        )
        drop = "ALTER TABLE webhook_events DROP CONSTRAINT refuse_poison"
    with database.engine.begin() as connection:
        connection.execute(text(create))
    try:
        yield
    finally:
        with database.engine.begin() as connection:
            connection.execute(text(drop))


@contextlib.contextmanager
def _writes_blocked(database) -> Iterator[None]:
    """Hold the table's write lock, so that requests queue up into one group-commit batch."""
    if database.is_sqlite:
        import sqlite3

        connection = sqlite3.connect(database.url.removeprefix("sqlite:///"), timeout=10)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.rollback()
            connection.close()
        return
    with database.engine.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE webhook_events IN EXCLUSIVE MODE"))
        yield


def _post_in_threads(app, bodies: list[bytes], statuses: dict[int, int]) -> list[threading.Thread]:
    def post(number: int, body: bytes) -> None:
        statuses[number] = _post(app.test_client(), body).status_code

    threads = [threading.Thread(target=post, args=(n, b)) for n, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    return threads


def test_a_refused_row_fails_alone_and_its_batch_neighbours_are_stored(
    app, database, refuses_poison, caplog
):
    caplog.set_level(logging.INFO)
    good = [callback_body(text_event(f"質問 {n}")) for n in range(60)]
    poison = callback_body(dict(text_event(MARKER), type="poison"))
    statuses: dict[int, int] = {}
    with _writes_blocked(database):
        threads = _post_in_threads(app, good, statuses)
        time.sleep(0.5)  # the 60 are queued behind the lock
        threads += _post_in_threads(app, [poison], poison_status := {})
        time.sleep(0.3)
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses.values()) == [200] * 60
    assert poison_status == {0: 400}
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 60
    assert "writing it again in halves" in caplog.text
    assert MARKER not in caplog.text


def test_hostile_bodies_sent_with_sixty_good_ones_cost_no_good_one(app, database):
    good = [callback_body(text_event(f"質問 {n}")) for n in range(60)]
    hostile = [body for _, body in REJECTED] + [
        _raw(_event_json(message='{"type":"text","id":"1","text":"\\u0000\\ud800"}')),
        callback_body(text_event("x", event_id="E" * 65)),
    ]
    statuses: dict[int, int] = {}
    for thread in _post_in_threads(app, hostile + good, statuses):
        thread.join(timeout=30)
    assert all(status < 500 for status in statuses.values())
    assert [statuses[len(hostile) + n] for n in range(60)] == [200] * 60
    assert len(_rows(database)) == 62


def test_database_errors_on_the_request_path_never_log_the_message(
    client, database, refuses_poison, caplog
):
    caplog.set_level(logging.DEBUG)
    response = _post(client, callback_body(dict(text_event(MARKER), type="poison")))
    assert response.status_code == 400
    assert MARKER not in response.get_data(as_text=True)
    assert "refused" in caplog.text  # the failure is logged, without the row
    assert MARKER not in caplog.text


def test_the_raw_writer_refuses_nan_without_quoting_the_row(database, clock, caplog):
    from helpbot.errors import UnstorableRowError

    caplog.set_level(logging.DEBUG)
    inbox = Inbox(database)
    try:
        payload = {"text": MARKER, "score": float("nan")}
        with pytest.raises(UnstorableRowError) as refused:
            inbox.store(
                channel="line", events=[NewEvent("e1", "message", payload)], now=clock()
            )
        assert MARKER not in str(refused.value)
        assert MARKER not in caplog.text
        stored = inbox.store(
            channel="line", events=[NewEvent("e2", "message", {"text": "ok"})], now=clock()
        )
        assert len(stored) == 1
    finally:
        inbox.close()
