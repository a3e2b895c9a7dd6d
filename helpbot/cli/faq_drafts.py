"""``helpbot faq drafts`` and ``helpbot faq approve ID``: entries case workers proposed."""

from __future__ import annotations

from pathlib import Path

import click

from helpbot.cli.faq import resolve_faq_dir
from helpbot.errors import DraftError, KnowledgeError
from helpbot.knowledge.drafts import approve_draft, list_drafts

_dir_option = click.option(
    "--dir", "dir_option", type=click.Path(file_okay=False, path_type=Path),
    help="The FAQ folder (default: $HELPBOT_FAQ_DIR or ./faq).",
)


@click.command()
@_dir_option
def drafts(dir_option: Path | None) -> None:
    """List the drafts in faq/drafts/ (from 「FAQに追加」 in Slack), oldest first."""
    folder = resolve_faq_dir(None, dir_option)
    found = list_drafts(folder)
    for draft in found:
        click.echo(f"{draft.id}  [{draft.category or '-'}]  {draft.question}")
    click.echo(f"{len(found)} draft(s) in {folder / 'drafts'}")


@click.command()
@click.argument("draft_id")
@click.option("--into", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to add it to (default: the file holding its category).")
@_dir_option
def approve(draft_id: str, into: Path | None, dir_option: Path | None) -> None:
    """Move draft DRAFT_ID into its category's file (checked first; the draft is removed)."""
    folder = resolve_faq_dir(None, dir_option)
    try:
        target = approve_draft(folder, draft_id, into=into)
    except (DraftError, KnowledgeError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{draft_id} added to {target}")
