"""``helpbot bench programs``: recall@5, contradictions and questions of the program finder."""

from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_PERSONAS = Path("tests/data/program_personas.yaml")


@click.command("programs")
@click.option("--personas", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_PERSONAS, show_default=True, help="The situations to run.")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("faq"),
              show_default=True, help="The knowledge folder with the program records.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
def programs(*, personas: Path, faq_dir: Path, as_json: bool) -> None:
    """Run each persona's words and answers through the finder; report recall@5 of the
    expected programs, the share of listed programs contradicting a stated fact and the
    average number of questions asked."""
    from benchmarks.programs import format_report, run_programs_bench

    if not personas.is_file():
        raise click.UsageError(f"personas file not found: {personas} (run from the checkout, "
                               "or pass --personas)")
    report = run_programs_bench(faq_dir=faq_dir, personas_path=personas)
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))
