"""``helpbot worker [--once]``: the background process (reminders, retries, LINE answers)."""

from __future__ import annotations

import json
import logging
import os

import click

from helpbot.cli.settings import cli_settings, ready_database

logger = logging.getLogger(__name__)


@click.command()
@click.option("--once", is_flag=True, help="Run every due job once and exit (cron, tests).")
def worker(once: bool) -> None:
    """Run the scheduler: answer LINE events, send reminders, retry deliveries."""
    from helpbot.app import build_services
    from helpbot.worker import Worker

    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    # One line per job run every two seconds would drown what matters.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    settings = cli_settings()
    # Before any thread starts: Linux keeps a niceness per thread, and new threads inherit it.
    lower_cpu_priority(settings.worker_nice)
    services = build_services(settings, role="worker")
    try:
        ready_database(services.database)
    except SystemExit:
        services.close()
        raise
    services.knowledge.snapshot()  # a missing faq/ folder fails now, not on the first message
    try:
        if once:
            click.echo(json.dumps(Worker(services).run_once()))
        else:
            Worker(services).run_forever()
    finally:
        services.close()


def lower_cpu_priority(increment: int) -> int:
    """Lower this process's CPU priority by ``increment`` (HELPBOT_WORKER_NICE); the new nice.

    On one host, gunicorn's acknowledgement of LINE's webhook must not wait for answering a
    backlog: LINE gives up on a slow webhook and redelivers it. The worker still gets every
    CPU cycle the web process leaves idle, so answers are not slower on a quiet host.
    """
    if increment <= 0:
        logger.info("worker CPU priority unchanged (HELPBOT_WORKER_NICE=0)")
        return os.nice(0)
    try:
        niceness = os.nice(increment)
    except OSError as error:  # a platform or sandbox that refuses it: run as started
        logger.warning("could not lower the worker's CPU priority: %s", error)
        return os.nice(0)
    logger.info(
        "worker CPU priority lowered: nice %d (HELPBOT_WORKER_NICE=%d), so the web process "
        "answers LINE's webhooks first on a shared host", niceness, increment,
    )
    return niceness
