"""``helpbot faq gaps``: the most frequent questions the bot could not answer."""

from __future__ import annotations

import json

import click

from helpbot.cli.settings import cli_settings
from helpbot.conversation.gaps import find_gaps
from helpbot.storage.database import Database


@click.command()
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per group.")
def gaps(limit: int, as_json: bool) -> None:
    """List unanswered questions, grouped by similarity, most frequent first."""
    database = Database(cli_settings().database_url)
    try:
        found = find_gaps(database, limit=limit)
    finally:
        database.dispose()
    for gap in found:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "count": gap.count,
                        "example": gap.example,
                        "variants": gap.variants,
                        "best_entry_ids": gap.best_entry_ids,
                        "last_asked": gap.last_asked.isoformat() if gap.last_asked else None,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            guess = max(gap.best_entry_ids, key=gap.best_entry_ids.__getitem__, default="-")
            click.echo(f"{gap.count:4d}  {gap.example}   (closest entry: {guess})")
    if not found and not as_json:
        click.echo("no unanswered questions recorded")
