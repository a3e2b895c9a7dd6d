"""``helpbot bench fuzz``: seeded hostile requests against the public endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import click

ENDPOINT_CHOICES = ("line", "slack", "web")


@click.command("fuzz")
@click.option("--examples", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Requests per endpoint.")
@click.option("--endpoints", default="line,slack,web", show_default=True,
              help="Comma-separated: line (POST /webhooks/line), slack (POST /webhooks/slack), "
              "web (POST/GET /api/playground/messages).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="The same seed sends the same requests.")
@click.option("--database-url", default=None, metavar="URL",
              help="Default: a fresh SQLite file. postgresql://... gets a fresh schema, "
              "dropped afterwards.")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge folder helpbot answers from (default: the sample faq/).")
@click.option("--log/--no-log", "show_logs", default=False, show_default=True,
              help="Let helpbot and bolt log while fuzzing (a warning per hostile request).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def fuzz(
    *, examples: int, endpoints: str, seed: int, database_url: str | None,
    faq_dir: Path | None, show_logs: bool, as_json: bool,
) -> None:
    """Send seeded hostile requests (realistic bodies, mutated; mostly validly signed) to each
    endpoint through the app, and count the answers per status class. Exit 1 on any 5xx."""
    from benchmarks.fuzz import format_report, run_fuzz

    chosen = [name.strip() for name in endpoints.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ENDPOINT_CHOICES]
    if unknown or not chosen:
        raise click.UsageError(
            f"--endpoints takes {', '.join(ENDPOINT_CHOICES)} (comma-separated), "
            f"got {endpoints!r}"
        )
    try:
        report = run_fuzz(
            examples=examples, endpoints=chosen, database_url=database_url, faq_dir=faq_dir,
            seed=seed, quiet=not show_logs, log=lambda message: click.echo(message, err=True),
        )
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))
    if report["total_5xx"]:
        raise SystemExit(1)
