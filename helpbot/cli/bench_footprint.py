"""``helpbot bench footprint``: PSS of the Procfile's processes and worker CPU per event."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("footprint")
@click.option("--events", type=click.IntRange(min=1), default=600, show_default=True,
              help="Signed text events answered while measuring.")
@click.option("--warmup", type=click.IntRange(min=1), default=30, show_default=True,
              help="Events answered first (the worker loads the matcher).")
@click.option("--database-url", default=None, metavar="URL",
              help="Default: a fresh SQLite file. postgresql://... gets a fresh schema, "
              "dropped afterwards.")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge folder helpbot answers from (default: the sample faq/).")
@click.option("--web-chat/--no-web-chat", default=False, show_default=True,
              help="HELPBOT_WEB_CHAT for the web process (the 160 MiB target is with it off).")
@click.option("--timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="Seconds to wait for the answers.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def footprint(
    *, events: int, warmup: int, database_url: str | None, faq_dir: Path | None,
    web_chat: bool, timeout: float, as_json: bool,
) -> None:
    """Start the Procfile's web and worker lines, answer a fixed load of LINE webhooks, and
    print PSS per process and in total, worker CPU ms per answered event and answers/s."""
    from benchmarks.footprint import format_report, run_footprint_bench

    try:
        report = run_footprint_bench(
            database_url=database_url, faq_dir=faq_dir, events=events, warmup=warmup,
            web_chat=web_chat, timeout=timeout,
            log=lambda message: click.echo(message, err=True),
        )
    except (RuntimeError, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))
