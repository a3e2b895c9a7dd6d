"""``helpbot bench reminders``: reminders delivered per second by one and by two workers.

A fresh database (a new schema on PostgreSQL, dropped afterwards; a new SQLite file) is
migrated and seeded with N due reminders spread over some LINE contacts. Then ``helpbot
worker`` processes (the Procfile's worker line) send them to a local stand-in for LINE's push
endpoint: a tiny threaded HTTP server that answers 200 at once, so the numbers measure helpbot
(claiming, the quiet-hours check, the push through line-bot-sdk, marking sent), not a network.

Two rates per run:

* ``per_second``: reminders / (last ``sent_at`` - first ``sent_at``): the steady sending rate.
* ``wall_per_second``: reminders / seconds from starting the workers until all are sent,
  including start-up and the first scheduler tick (``send_deliveries`` runs every 2 s).

Several workers at once need PostgreSQL (``FOR UPDATE SKIP LOCKED``); on SQLite one worker is
all helpbot supports, so the bench measures one. Nothing here imports ``tests/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    CHANNEL_SECRET,
    CHANNEL_TOKEN,
    LocalLineApi,
    default_faq_dir,
    fresh_database,
    start_process,
    stop_groups,
    temporary_workdir,
    worker_command,
)
from helpbot.errors import SqliteWorkersError


# -- the database -------------------------------------------------------------------------------
def backend(url: str | None) -> str:
    if url is None or url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgres"):
        return "postgresql"
    raise ValueError(f"not an sqlite:/// or postgresql:// URL: {url.split(':', 1)[0]!r}")


@contextlib.contextmanager
def bench_database(url: str | None, workdir: Path) -> Iterator[str]:
    """A fresh, migrated database; removed afterwards. A given SQLite file must not exist yet
    (the bench deletes what it seeds, so it never runs on a database in use)."""
    if url is not None and backend(url) == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        if url.startswith("sqlite:///") and path.exists():
            raise FileExistsError(
                f"{path} exists; the reminders bench creates and removes its own SQLite file "
                "(give a new path, or no --database-url)"
            )
        try:
            with fresh_database(url, workdir, "reminders") as target:
                yield target
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with fresh_database(url, workdir, "reminders") as target:
        yield target


def seed(database_url: str, *, count: int, people: int) -> None:
    """Forget earlier deliveries; store ``count`` due reminders over ``people`` LINE contacts."""
    from sqlalchemy import delete, select

    from helpbot.delivery.outbox import enqueue
    from helpbot.storage.database import Database
    from helpbot.storage.models import Contact, Delivery

    database = Database(database_url)
    now = dt.datetime.now(dt.UTC)
    try:
        with database.session() as session:
            session.execute(delete(Delivery))
            contacts = list(session.scalars(select(Contact).order_by(Contact.id)))
            if not contacts:
                contacts = [
                    Contact(
                        channel="line", channel_user_id="U" + uuid.uuid4().hex, language="ja",
                        reachable=True, created_at=now, last_seen_at=now,
                    )
                    for _ in range(people)
                ]
                session.add_all(contacts)
                session.flush()
            base = now - dt.timedelta(minutes=10)
            for number in range(count):
                contact = contacts[number % len(contacts)]
                enqueue(
                    session, contact_id=contact.id, kind="reminder",
                    text=f"リマインダー {number}: 書類の締め切りは金曜日です。",
                    due_at=base + dt.timedelta(milliseconds=number), now=now,
                )
    finally:
        database.dispose()


def progress(database_url: str) -> tuple[int, dt.datetime | None, dt.datetime | None]:
    """Sent rows, first and last ``sent_at``."""
    from sqlalchemy import func, select

    from helpbot.storage.database import Database
    from helpbot.storage.models import Delivery, QueueState

    database = Database(database_url)
    try:
        with database.session() as session:
            sent, first, last = session.execute(
                select(func.count(), func.min(Delivery.sent_at), func.max(Delivery.sent_at))
                .where(Delivery.state == QueueState.DONE)
            ).one()
    finally:
        database.dispose()
    return sent, first, last


# -- one run ------------------------------------------------------------------------------------
@contextlib.contextmanager
def running_workers(
    n: int, env: dict[str, str], workdir: Path
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``n`` ``helpbot worker`` processes, each in its own process group; stopped after."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(n):
            log_path = workdir / f"worker-{n}-{index}.log"
            processes.append(start_process(worker_command(), env, log_path))
        yield processes
    finally:
        stop_groups(processes, grace=15)


def run_once(
    *, database_url: str, workers: int, count: int, people: int, server: LocalLineApi,
    faq_dir: Path, workdir: Path, timeout: float,
) -> dict[str, Any]:
    seed(database_url, count=count, people=people)
    server.reset()
    env = {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
        "LINE_API_BASE_URL": server.base_url,
        "HELPBOT_QUIET_HOURS": "off",  # the bench may run at night in Tokyo
        "SLACK_SIGNING_SECRET": "",
        "SLACK_BOT_TOKEN": "",
        "SLACK_ESCALATION_CHANNEL": "",
    }
    started = time.monotonic()
    with running_workers(workers, env, workdir) as processes:
        while True:
            sent, first, last = progress(database_url)
            if sent >= count:
                break
            dead = [p.returncode for p in processes if p.poll() is not None]
            if dead or time.monotonic() - started > timeout:
                log = (workdir / f"worker-{workers}-0.log").read_text(errors="replace")
                why = f"a worker exited ({dead})" if dead else f"not done after {timeout:.0f} s"
                raise RuntimeError(f"{why}: {sent}/{count} sent\n{log[-2000:]}")
            time.sleep(0.05)
        wall = time.monotonic() - started
    assert first is not None and last is not None
    drain = max((last - first).total_seconds(), 1e-6)
    return {
        "workers": workers,
        "reminders": count,
        "pushes": server.pushes,
        "duplicate_pushes": server.duplicates,
        "drain_s": round(drain, 3),
        "per_second": round(count / drain, 1),
        "wall_s": round(wall, 3),
        "wall_per_second": round(count / wall, 1),
    }


def run_reminders_bench(
    *,
    database_url: str | None,
    count: int = 2000,
    people: int = 100,
    workers: Sequence[int] = (1, 2),
    faq_dir: Path | None = None,
    timeout: float = 300.0,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Each worker count in turn on the same fresh database; temporary things removed after."""
    kind = backend(database_url)
    if kind == "sqlite" and any(n > 1 for n in workers):
        raise SqliteWorkersError(
            "SQLite supports one worker only (two would both send the same reminders); "
            "use a postgresql:// URL to measure two workers"
        )
    faq = faq_dir or default_faq_dir()
    runs = []
    with (
        temporary_workdir("reminders") as workdir,
        bench_database(database_url, workdir) as url,
        LocalLineApi() as server,
    ):
        for n in workers:
            log(f"{count} reminders, {n} worker(s) ...")
            runs.append(
                run_once(
                    database_url=url, workers=n, count=count, people=people, server=server,
                    faq_dir=faq, workdir=workdir, timeout=timeout,
                )
            )
    return {
        "database": kind,
        "reminders": count,
        "people": people,
        "cpus": os.cpu_count(),
        "runs": runs,
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['reminders']} due reminders to {report['people']} people, "
        f"{report['database']}, {report['cpus']} CPUs, local 200 stand-in for LINE",
        f"{'workers':>7} {'pushes':>7} {'dupes':>6} {'drain s':>8} {'per s':>7} "
        f"{'wall s':>7} {'wall/s':>7}",
    ]
    for run in report["runs"]:
        lines.append(
            f"{run['workers']:>7} {run['pushes']:>7} {run['duplicate_pushes']:>6} "
            f"{run['drain_s']:>8.2f} {run['per_second']:>7.1f} {run['wall_s']:>7.2f} "
            f"{run['wall_per_second']:>7.1f}"
        )
    lines.append(
        "per s: reminders / (last sent_at - first sent_at); wall: from starting the workers "
        "(start-up and the 2 s scheduler tick included)"
    )
    return "\n".join(lines)
