"""``helpbot bench escalation``: server-side time from 「人と話したい」 to the case's Slack post."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("escalation")
@click.option("--database-url", default=None, metavar="URL",
              help="Default: a fresh SQLite file. postgresql://... gets a fresh schema, "
              "dropped afterwards.")
@click.option("--count", type=click.IntRange(min=1), default=200, show_default=True,
              help="New users asking for a person, in-process.")
@click.option("--process-count", type=click.IntRange(min=0), default=30, show_default=True,
              help="Posts through gunicorn + a real `helpbot worker` (0: skip).")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge folder helpbot answers from (default: the sample faq/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def escalation(
    *, database_url: str | None, count: int, process_count: int, faq_dir: Path | None,
    as_json: bool,
) -> None:
    """Time from a person's 「人と話したい」 (webhook POST) to the case's chat.postMessage at a
    local Slack stub: in-process, then through gunicorn and a real worker process."""
    from benchmarks.escalation import format_report, run_escalation_bench

    try:
        report = run_escalation_bench(
            database_url=database_url, faq_dir=faq_dir, count=count,
            process_count=process_count, log=lambda message: click.echo(message, err=True),
        )
    except (RuntimeError, FileNotFoundError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))
