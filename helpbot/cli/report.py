"""``helpbot report``: the period's numbers for funders and staffing, from stored rows."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from helpbot.cli.settings import cli_settings, database_errors_stop, ready_database
from helpbot.conversation.turn import utc_now
from helpbot.errors import KnowledgeError, ReportError
from helpbot.knowledge.loader import load_dir
from helpbot.reports.figures import compute_figures
from helpbot.reports.period import report_period
from helpbot.reports.text import report_lines
from helpbot.storage.database import Database

DEFAULT_ZONE = "Asia/Tokyo"


def npo_zone(faq_dir: Path) -> ZoneInfo:
    """The time zone of ``faq/staff.yaml`` (days are counted there), Asia/Tokyo without it."""
    try:
        kb, _problems = load_dir(faq_dir)
    except KnowledgeError:
        return ZoneInfo(DEFAULT_ZONE)
    return kb.staff.zone if kb.staff is not None else ZoneInfo(DEFAULT_ZONE)


@click.command()
@click.option("--since", default="7d", show_default=True,
              help="7d, 30d (days back from now) or a date like 2026-11-01.")
@click.option("--until", default=None, help="Last day to include (YYYY-MM-DD); default: now.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (keys in README.md).")
def report(since: str, until: str | None, as_json: bool) -> None:
    """Messages, answers, cases, crisis alerts, follow-ups, satisfaction and gaps."""
    settings = cli_settings()
    zone = npo_zone(settings.faq_dir)
    try:
        period = report_period(since, until, now=utc_now(), zone=zone)
    except ReportError as error:
        raise click.BadParameter(str(error)) from None
    database = Database(settings.database_url)
    try:
        with database_errors_stop():
            ready_database(database)
            figures = compute_figures(database, period)
    finally:
        database.dispose()
    data = figures.to_json()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for line in report_lines(data):
        click.echo(line)
