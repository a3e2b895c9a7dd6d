"""``helpbot staff token``: a token for the staff pages when Sign in with Slack is not set up."""

from __future__ import annotations

import click

from helpbot.cli.settings import cli_settings, database_errors_stop, ready_database
from helpbot.conversation.turn import utc_now
from helpbot.storage.database import Database
from helpbot.storage.staff_access import TOKEN_DAYS, issue_token


@click.group()
def staff() -> None:
    """Access to the staff pages (/staff/report)."""


@staff.command()
@click.option("--label", default="staff", show_default=True,
              help="Whose token this is (shown on the page).")
@click.option("--days", type=click.IntRange(1, 366), default=TOKEN_DAYS, show_default=True,
              help="How long the token works.")
def token(label: str, days: int) -> None:
    """Print a new sign-in token for /staff/report (shown once; only its hash is kept)."""
    database = Database(cli_settings().database_url)
    try:
        with database_errors_stop():
            ready_database(database)
            secret = issue_token(database, label=label.strip()[:64] or "staff", now=utc_now(),
                                 days=days)
    finally:
        database.dispose()
    click.echo(secret)
    click.echo(f"Valid for {days} days. Paste it at /staff/sign-in; keep it like a password.",
               err=True)
