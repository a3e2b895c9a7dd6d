"""``helpbot worker [--once]``: the background process (reminders, retries, LINE answers)."""

from __future__ import annotations

import json
import logging

import click

from helpbot.cli.settings import cli_settings, ready_database
from helpbot.config import cases_reach_no_staff


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
    no_staff = cases_reach_no_staff(settings)
    if no_staff:
        logging.getLogger("helpbot.worker").warning(no_staff)
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
