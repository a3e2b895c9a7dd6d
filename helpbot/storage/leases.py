"""One claim-with-lease queue for every table of work: webhook events, deliveries, staff posts.

    pending ──claim──▶ leased ──finish──▶ done
       ▲                 │
       └── retry_later ──┤── fail ──▶ failed
       ▲                 │
       └── lease runs out (the worker died): due again, claimed by the next one
    pending ── cancel (the owner's own rule) ──▶ cancelled

A claim picks due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never take
the same row) and, in the same transaction, sets ``leased``, adds one to ``attempts`` and
moves ``next_attempt_at`` one short lease ahead. ``attempts`` is the fencing token: a worker
changes a row only while it still holds the claim that gave it that number. While work runs,
:meth:`LeaseQueue.keep_alive` renews the leases every few seconds, so a lease can be short and
a killed worker's rows come back within seconds (while a LINE reply token is still good).

The backoff between tries is the caller's retry policy (``core/retry.py``), passed in as
a :class:`Backoff`, so every queue waits the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import (
    ClauseElement,
    ColumnElement,
    Update,
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from helpbot.storage.database import Database, run_core
from helpbot.storage.models import QueueState

logger = logging.getLogger(__name__)

# Short, and renewed while the work runs: a dead worker's rows are due again within LEASE.
LEASE = dt.timedelta(seconds=15)
HEARTBEAT = dt.timedelta(seconds=5)
UNFINISHED = (QueueState.PENDING, QueueState.LEASED)

Clock = Callable[[], dt.datetime]
# Given the table's row alias for "an earlier row" and now: the condition under which that
# earlier row holds this one back (per-person ordering); None: rows never wait for others.
WaitsFor = Callable[[Any, dt.datetime], ColumnElement[bool]]


class Backoff(Protocol):
    """When to try again (``delivery.policy.RetryPolicy``)."""

    def next_attempt(
        self, *, attempts: int, now: dt.datetime, error: BaseException | None = None
    ) -> dt.datetime: ...


@dataclass(frozen=True, slots=True)
class Lease:
    """A claimed row: its id, the claim's number (``attempts``) and the claimed columns."""

    id: int
    attempts: int
    values: tuple[Any, ...] = field(default=(), compare=False)


class LeaseQueue:
    """Claim, renew, finish, retry or fail the rows of one table."""

    def __init__(
        self,
        database: Database,
        model: Any,
        *,
        state: str = "status",
        order_by: Sequence[Any] = (),
        waits_for: WaitsFor | None = None,
        lease: dt.timedelta = LEASE,
    ) -> None:
        self._database = database
        self.model = model
        # Updates name the table's columns, not the mapped class's: SQLAlchemy then runs them
        # as plain statements, without its ORM bulk-update path (no objects to synchronise).
        self._table = model.__table__
        self._state = self._table.c[getattr(model, state).key]
        self._state_name = state
        self._order_by = tuple(order_by) or (model.id,)
        self._waits_for = waits_for
        self.lease = lease
        self._moves: dict[tuple[bool, tuple[str, ...]], Update] = {}

    # -- claiming ------------------------------------------------------------------------------
    def due(self, now: dt.datetime) -> ColumnElement[bool]:
        return and_(self._state.in_(UNFINISHED), self._table.c.next_attempt_at <= now)

    def claim(
        self,
        now: dt.datetime,
        *,
        limit: int | None = None,
        ids: Sequence[int] | None = None,
        where: Sequence[ColumnElement[bool]] = (),
        returning: Sequence[Any] = (),
        session: Session | None = None,
    ) -> list[Lease]:
        """Lease up to ``limit`` due rows (only ``ids``, if given), in order; nobody else gets
        them until the lease runs out. ``returning``: columns to read in the same statement.
        ``session``: in the caller's transaction (leased once it commits)."""
        if ids is not None and not ids:
            return []
        model = self.model
        conditions = [self.due(now), *where]
        if ids is not None:
            conditions.append(model.id.in_(list(ids)))
        if self._waits_for is not None:
            earlier = aliased(model)
            conditions.append(~exists().where(self._waits_for(earlier, now)))
        query = select(model.id).where(*conditions).order_by(*self._order_by)
        if limit is not None:
            query = query.limit(limit)
        if not self._database.is_sqlite:
            query = query.with_for_update(skip_locked=True, of=model)
        with contextlib.ExitStack() as stack:
            if session is None:
                session = stack.enter_context(self._database.session())
            candidates = list(session.scalars(query))
            if not candidates:
                return []
            table = self._table
            rows = session.execute(
                update(table)
                .where(table.c.id.in_(candidates), self.due(now))
                .values(
                    {
                        self._state.key: QueueState.LEASED,
                        "attempts": table.c.attempts + 1,
                        "next_attempt_at": now + self.lease,
                    }
                )
                .returning(table.c.id, table.c.attempts, *returning)
            ).all()
        order = {row_id: position for position, row_id in enumerate(candidates)}
        leases = [Lease(row[0], row[1], tuple(row[2:])) for row in rows]
        return sorted(leases, key=lambda lease: order[lease.id])

    # -- while the work runs -------------------------------------------------------------------
    def owned(self, lease: Lease) -> ColumnElement[bool]:
        """The condition that ``lease`` is still this worker's."""
        columns = self._table.c
        return and_(
            columns.id == lease.id,
            self._state == QueueState.LEASED,
            columns.attempts == lease.attempts,
        )

    def _any_owned(self, leases: Sequence[Lease]) -> ColumnElement[bool]:
        return or_(false(), *(self.owned(lease) for lease in leases))

    def renew(self, leases: Sequence[Lease], now: dt.datetime) -> int:
        """Extend the leases still held by one lease from now; count them."""
        if not leases:
            return 0
        with self._database.session() as session:
            result = session.execute(
                update(self._table)
                .where(self._any_owned(leases))
                .values(next_attempt_at=now + self.lease)
            )
        return int(result.rowcount)  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def keep_alive(
        self, leases: Sequence[Lease], clock: Clock, *, every: dt.timedelta = HEARTBEAT
    ) -> Iterator[None]:
        """Renew ``leases`` every ``every`` (real time) until the block ends."""
        if not leases:
            yield
            return
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(every.total_seconds()):
                try:
                    self.renew(leases, clock())
                except Exception:  # the database is away: the lease may lapse, nothing worse
                    logger.warning("could not renew %d leases on %s", len(leases),
                                   self.model.__tablename__)

        thread = threading.Thread(target=beat, name="helpbot-lease", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=every.total_seconds() + 5)

    # -- ending a lease ------------------------------------------------------------------------
    def _move(
        self,
        lease: Lease,
        values: dict[str, Any],
        *,
        only_owned: bool = True,
        session: Session | None = None,
    ) -> bool:
        if any(isinstance(value, ClauseElement) for value in values.values()):
            table = self._table  # a column expression (attempts - 1): built for this call
            condition = (
                self.owned(lease)
                if only_owned
                else and_(table.c.id == lease.id, self._state.in_(UNFINISHED))
            )
            statement, params = update(table).where(condition).values(values), None
        else:  # the same statement for every lease: built once, the values bound
            statement = self._move_statement(only_owned, tuple(values))
            params = {"m_id": lease.id, "m_attempts": lease.attempts,
                      **{f"v_{key}": value for key, value in values.items()}}
        if session is not None:  # the caller's transaction, with the work's own rows
            result = run_core(session, statement, params)
        else:
            with self._database.session() as own:
                result = run_core(own, statement, params)
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    def _move_statement(self, only_owned: bool, keys: tuple[str, ...]) -> Update:
        """``_move``'s UPDATE for these columns, with bound parameters (built once each)."""
        statement = self._moves.get((only_owned, keys))
        if statement is None:
            columns = self._table.c
            condition = (
                and_(columns.id == bindparam("m_id"), self._state == QueueState.LEASED,
                     columns.attempts == bindparam("m_attempts"))
                if only_owned
                else and_(columns.id == bindparam("m_id"), self._state.in_(UNFINISHED))
            )
            statement = update(self._table).where(condition).values(
                {key: bindparam(f"v_{key}") for key in keys}  # v_: never the fence's m_
            )
            self._moves[(only_owned, keys)] = statement
        return statement

    def finish(
        self,
        lease: Lease,
        *,
        only_owned: bool = True,
        session: Session | None = None,
        **values: Any,
    ) -> bool:
        """Done. ``only_owned=False``: done even if the lease ran out meanwhile (the work was
        done; a platform retry key stops a second copy). ``session``: in that transaction."""
        return self._move(lease, {self._state_name: QueueState.DONE, **values},
                          only_owned=only_owned, session=session)

    def fail(self, lease: Lease, **values: Any) -> bool:
        """Given up for good."""
        return self._move(lease, {self._state_name: QueueState.FAILED, **values})

    def retry_later(
        self,
        lease: Lease,
        *,
        now: dt.datetime,
        backoff: Backoff | None = None,
        at: dt.datetime | None = None,
        cause: BaseException | None = None,
        counts: bool = True,
        **values: Any,
    ) -> bool:
        """Back to pending, due at ``at`` or after the backoff for this attempt (``cause``: the
        error, whose Retry-After the backoff honours); ``values``: columns to set as well.

        ``counts=False``: this try does not count as an attempt (quiet hours, a reply that is
        still on its way)."""
        if at is None:
            if backoff is None:
                raise TypeError("retry_later needs a backoff or a time")
            at = backoff.next_attempt(attempts=lease.attempts, now=now, error=cause)
        moved: dict[str, Any] = {
            self._state_name: QueueState.PENDING, "next_attempt_at": at, **values
        }
        if not counts:
            moved["attempts"] = self._table.c.attempts - 1
        return self._move(lease, moved)
