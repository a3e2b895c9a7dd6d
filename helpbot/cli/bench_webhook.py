"""``helpbot bench webhook``: webhook throughput vs a bare Flask endpoint, and handling time."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("webhook")
@click.option("--duration", type=click.FloatRange(min=1, max=10), default=8.0,
              show_default=True, help="Seconds of load per server (wrk -d).")
@click.option("--connections", type=click.IntRange(min=1), default=16, show_default=True,
              help="Open connections (wrk -c).")
@click.option("--threads", "wrk_threads", type=click.IntRange(min=1), default=2,
              show_default=True, help="wrk threads (wrk -t).")
@click.option("--database-url", default=None, metavar="URL",
              help="Default: a fresh SQLite file. postgresql://... gets a fresh schema, "
              "dropped afterwards.")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge folder helpbot answers from (default: the sample faq/).")
@click.option("--events", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Text events for the in-process handling time.")
@click.option("--bodies", type=click.IntRange(min=100), default=40_000, show_default=True,
              help="Distinct signed bodies wrk cycles through.")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="gunicorn --access-logfile - for both servers (the Procfile has it).")
@click.option("--skip-throughput", is_flag=True, help="Only the in-process handling time.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def webhook(
    *,
    duration: float, connections: int, wrk_threads: int, database_url: str | None,
    faq_dir: Path | None, events: int, bodies: int, access_log: bool, skip_throughput: bool,
    as_json: bool,
) -> None:
    """POST /webhooks/line under wrk (helpbot vs a bare signature-checking Flask app, same
    gunicorn command line), then the server-side handling time of a text event."""
    from benchmarks.webhook import ThroughputOptions, format_report, run_webhook_bench

    options = None if skip_throughput else ThroughputOptions(
        duration=duration, connections=connections, threads=wrk_threads, bodies=bodies,
        access_log=access_log,
    )
    try:
        report = run_webhook_bench(
            database_url=database_url, faq_dir=faq_dir, events=events, throughput=options,
            log=lambda message: click.echo(message, err=True),
        )
    except (RuntimeError, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))
