"""``helpbot faq status [--json]``: the published knowledge version and who serves which."""

from __future__ import annotations

import json
from typing import Any

import click

from helpbot.cli.settings import cli_settings, ready_database
from helpbot.conversation.turn import utc_now
from helpbot.knowledge.versions import short
from helpbot.storage.database import Database
from helpbot.storage.knowledge_versions import knowledge_status


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def status(as_json: bool) -> None:
    """Show the published faq/ version and the version each process serves."""
    database = Database(cli_settings().database_url)
    try:
        ready_database(database)
        found = knowledge_status(database, now=utc_now())
    finally:
        database.dispose()
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    for line in describe(found):
        click.echo(line)


def describe(found: dict[str, Any]) -> list[str]:
    published = found["published"]
    if published is None:
        lines = ["published: none yet (no process has loaded a faq/ without problems)"]
    else:
        lines = [
            f"published: {short(published['hash'])}  at {published['published_at']} by "
            f"{published['published_by']} ({len(published['files'])} files, "
            f"{published['entries']} entries)"
        ]
    rejected = found["last_rejected"]
    if rejected is not None:
        lines.append(
            f"last broken edit: {short(rejected['hash'])}  at {rejected['recorded_at']} "
            f"({len(rejected['problems'])} problem(s); not used)"
        )
    if not found["processes"]:
        lines.append("processes: none has reported yet")
    else:
        lines.append("processes:")
        width = max(len(row["name"]) for row in found["processes"])
        for row in found["processes"]:
            mark = "current" if row["current"] else "OTHER VERSION"
            seen = f"seen {row['seconds_since_heartbeat']:.0f} s ago"
            if not row["recent"]:
                seen += " (not recently: stopped?)"
            lines.append(f"  {row['name']:<{width}}  serves {short(row['serves'])}  "
                         f"{mark:<13}  {seen}")
    lines.append("all running processes serve the published version" if found["agree"]
                 else "processes do NOT all serve the published version yet")
    return lines
