"""``helpbot crisis review``: false alarms staff marked and near misses, to tune crisis.yaml."""

from __future__ import annotations

import datetime as dt
import json

import click

from helpbot.cases.masking import NO_PUBLIC_NUMBERS
from helpbot.cli.settings import cli_settings
from helpbot.crisis.review import review_items
from helpbot.storage.database import Database


@click.group()
def crisis() -> None:
    """See how crisis triage is doing."""


@crisis.command("review")
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True,
              help="How far back to look.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def review(days: int, as_json: bool) -> None:
    """List recorded false alarms and near misses (messages just under the threshold)."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    database = Database(cli_settings().database_url)
    try:
        with database.session() as session:
            items = review_items(session, since=since)
    finally:
        database.dispose()
    for item in items:
        text = NO_PUBLIC_NUMBERS(item.text) if item.text else None
        if as_json:
            click.echo(json.dumps({
                "kind": item.kind, "at": item.at.isoformat(), "category": item.category,
                "why": item.why, "score": item.score, "case": item.case_id,
                "marked_by": item.marked_by, "text": text,
            }, ensure_ascii=False))
            continue
        where = f"case #{item.case_id}" if item.case_id else f"score {item.score}"
        label = "false alarm" if item.kind == "false_alarm" else "near miss"
        click.echo(f"{label:<11} {item.at:%Y-%m-%d %H:%M} [{item.category}] {where}: "
                   f"{text or '(text removed)'}  — {item.why}")
    if not items and not as_json:
        click.echo(f"no false alarms or near misses in the last {days} days")
    elif not as_json:
        click.echo("To stop a false alarm, add the phrase under not_crisis in faq/crisis.yaml; "
                   "to catch a near miss, add it under the category's expressions or exemplars.")
