"""``helpbot bench reminders``: reminders delivered per second by one and by two workers."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("reminders")
@click.option("--database-url", default=None, metavar="URL",
              help="postgresql://... gets a fresh schema, dropped afterwards (needed for two "
              "workers). Default: a fresh SQLite file, one worker only.")
@click.option("--count", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Due reminders per run.")
@click.option("--people", type=click.IntRange(min=1), default=100, show_default=True,
              help="LINE contacts the reminders are spread over (each person's go in order).")
@click.option("--workers", "workers", type=click.IntRange(min=1, max=8), multiple=True,
              help="Worker processes per run; repeat for several runs. Default: 1 then 2 on "
              "PostgreSQL, 1 on SQLite.")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge folder the workers load (default: the sample faq/).")
@click.option("--timeout", type=click.FloatRange(min=10), default=300.0, show_default=True,
              help="Give up a run after this many seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def reminders(
    *, database_url: str | None, count: int, people: int, workers: tuple[int, ...],
    faq_dir: Path | None, timeout: float, as_json: bool,
) -> None:
    """Seed due reminders, let `helpbot worker` processes send them to a local stand-in for
    LINE, and report reminders per second with one worker and with two."""
    from benchmarks.reminders import (
        backend,
        format_report,
        run_reminders_bench,
    )
    from helpbot.errors import SqliteWorkersError

    try:
        kind = backend(database_url)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--database-url") from None
    if not workers:
        workers = (1, 2) if kind == "postgresql" else (1,)
        if kind == "sqlite":
            click.echo("SQLite: measuring one worker (several need PostgreSQL).", err=True)
    try:
        report = run_reminders_bench(
            database_url=database_url, count=count, people=people, workers=workers,
            faq_dir=faq_dir, timeout=timeout, log=lambda message: click.echo(message, err=True),
        )
    except SqliteWorkersError as error:
        raise click.UsageError(str(error)) from None
    except (RuntimeError, FileNotFoundError, FileExistsError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        click.echo(format_report(report))
        click.echo(json.dumps(report, ensure_ascii=False))
