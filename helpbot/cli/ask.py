"""``helpbot ask "TEXT"``: what the bot would answer, for staff testing their files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from helpbot.cli.settings import cli_settings
from helpbot.knowledge.loader import KnowledgeError, load_dir
from helpbot.matching import build_matcher
from helpbot.matching.base import Decision


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--dir", "faq_dir", type=click.Path(path_type=Path), default=None,
    help="Knowledge folder (default: HELPBOT_FAQ_DIR or ./faq).",
)
def ask(text: str, as_json: bool, faq_dir: Path | None) -> None:
    """Show what the bot would answer to TEXT."""
    settings = cli_settings()
    folder = faq_dir or settings.faq_dir
    try:
        kb, problems = load_dir(folder)
    except KnowledgeError as error:
        raise click.ClickException(str(error)) from None
    if problems:
        click.echo(
            f"note: {len(problems)} problem(s) in {folder}; run `helpbot faq check`", err=True
        )
    matcher = build_matcher(
        kb, semantic=settings.semantic_matching, cache_dir=settings.embedding_cache_dir
    )
    candidates = matcher.rank(text, limit=3)
    decision = matcher.bands.decide(candidates)
    best = candidates[0] if candidates else None
    answered = decision is Decision.ANSWER and best is not None
    result = {
        "decision": decision.value,
        "entry_id": best.entry.id if best else None,
        "score": round(best.score, 2) if best else None,
        "answer": best.entry.answer if answered and best else None,
        "suggestions": [
            {"id": c.entry.id, "question": c.entry.question, "score": round(c.score, 2)}
            for c in candidates
        ]
        if decision is Decision.SUGGEST
        else [],
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"decision: {result['decision']} (score {result['score']})")
    if answered and best:
        click.echo(f"entry: {best.entry.id} ({best.entry.source})\n\n{best.entry.answer}")
    for suggestion in result["suggestions"]:
        click.echo(f"  did you mean: {suggestion['question']}  [{suggestion['id']}]")
