"""``helpbot events replay``: answer webhook events that a crash or restart left unanswered."""

from __future__ import annotations

import datetime as dt

import click

from helpbot.cli.settings import cli_settings


@click.group()
def events() -> None:
    """Stored webhook events."""


@events.command("replay")
@click.option(
    "--older-than", type=float, default=60.0, show_default=True,
    help="Only events received at least this many seconds ago (newer ones are in flight).",
)
def replay(older_than: float) -> None:
    """Process LINE events that are still pending, oldest first."""
    from helpbot.app import build_services

    services = build_services(cli_settings())
    if services.line is None:
        raise click.ClickException(
            "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN."
        )
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=older_than)
    row_ids = services.inbox.unfinished(channel="line", received_before=cutoff)
    for row_id in row_ids:
        services.line.process(row_id)  # type: ignore[attr-defined]
    services.close()
    click.echo(f"replayed {len(row_ids)} event(s)")
