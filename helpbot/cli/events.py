"""``helpbot events replay``: answer webhook events that a crash or restart left unanswered."""

from __future__ import annotations

import click

from helpbot.cli.settings import cli_settings, ready_database


@click.group()
def events() -> None:
    """Stored webhook events."""


@events.command("replay")
def replay() -> None:
    """Answer every stored LINE event that is due (what ``helpbot worker`` does continuously)."""
    from helpbot.app import build_services
    from helpbot.worker import Worker

    services = build_services(cli_settings(), role="events")
    try:
        ready_database(services.database)
        if services.line is None:
            raise click.ClickException(
                "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN."
            )
        answered = Worker(services).answer_events()
    finally:
        services.close()
    click.echo(f"answered {answered} event(s)")
