"""「締切前に知らせて」 set twice at once: the database keeps one waiting reminder."""

from __future__ import annotations

import datetime as dt
import threading

from alembic import command
from sqlalchemy import func, select

from helpbot.storage.database import Database
from helpbot.storage.migrate import alembic_config
from helpbot.storage.models import Contact, Delivery

ENTRY = "winter-grant"


def _contact(database: Database, now: dt.datetime) -> int:
    with database.session() as session:
        contact = Contact(channel="line", channel_user_id="U-race-1", language="ja",
                          created_at=now, last_seen_at=now)
        session.add(contact)
        session.flush()
        return contact.id


def _waiting(database: Database) -> int:
    with database.session() as session:
        return session.scalar(
            select(func.count()).select_from(Delivery).where(
                Delivery.kind == "reminder", Delivery.state.in_(("pending", "leased")))
        )


def test_two_turns_racing_past_the_check_store_one_reminder(app, database, clock):
    """The first turn has stored its reminder but not committed when the second looks: the
    second does not see it, tries to store its own, and must read the refusal as 'already
    set' (new=False), not as a second reminder nor as an error. (On PostgreSQL two rows were
    stored before the unique index; SQLite lets one writer at a time and found one either way.)"""
    reminders = app.extensions["helpbot"].reminders
    contact_id = _contact(database, clock.now)
    when = clock.now + dt.timedelta(days=3)
    stored, release = threading.Event(), threading.Event()
    new: dict[str, bool] = {}
    errors: list[BaseException] = []

    def turn(name: str, *, hold: bool) -> None:
        try:
            with database.session() as session:
                _, new[name] = reminders.schedule_for_contact(
                    session, contact_id=contact_id, when=when, text="締切が近づいています",
                    entry_id=ENTRY, now=clock.now)
                if hold:
                    stored.set()
                    release.wait(10)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
            stored.set()

    first = threading.Thread(target=turn, args=("first",), kwargs={"hold": True})
    first.start()
    assert stored.wait(10)
    second = threading.Thread(target=turn, args=("second",), kwargs={"hold": False})
    second.start()
    second.join(0.5)  # it waits for the first turn's row (PostgreSQL: its index entry)
    release.set()
    first.join(10)
    second.join(10)
    assert errors == []
    assert new == {"first": True, "second": False}
    assert _waiting(database) == 1


def test_the_upgrade_cancels_duplicates_already_waiting(database, clock):
    """A database from before the index may hold duplicates: the upgrade keeps the oldest."""
    contact_id = _contact(database, clock.now)
    config = alembic_config(database)
    command.downgrade(config, "0013")
    due = clock.now + dt.timedelta(days=3)
    with database.session() as session:
        for n in range(3):
            session.add(Delivery(
                contact_id=contact_id, kind="reminder", text="締切", state="pending",
                due_at=due, next_attempt_at=due, retry_key=f"k{n}", entry_id=ENTRY,
                created_at=clock.now))
    command.upgrade(config, "head")
    with database.session() as session:
        states = session.scalars(select(Delivery.state).order_by(Delivery.id)).all()
    assert states == ["pending", "cancelled", "cancelled"]
