"""``helpbot faq ...``: commands for staff to check and list the FAQ folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import click

from helpbot.errors import KnowledgeError
from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase, Problem
from helpbot.knowledge.folder_files import FAQ_DIR_ENV, knowledge_files
from helpbot.knowledge.freshness import freshness_warnings, future_date_problems
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.policies import StaffPolicy

DEFAULT_FAQ_DIR = Path("faq")


def resolve_faq_dir(argument: Path | None, option: Path | None) -> Path:
    """Pick the FAQ folder: the argument, then --dir, then $HELPBOT_FAQ_DIR, then ./faq."""
    if argument is not None:
        return argument
    if option is not None:
        return option
    from_env = os.environ.get(FAQ_DIR_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_FAQ_DIR


def _load(argument: Path | None, option: Path | None) -> tuple[Path, KnowledgeBase, list[Problem]]:
    folder = resolve_faq_dir(argument, option)
    try:
        kb, problems = load_dir(folder)
    except KnowledgeError as error:
        raise click.ClickException(str(error)) from error
    return folder, kb, problems


_dir_argument = click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path)
)
_dir_option = click.option(
    "--dir",
    "dir_option",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"The FAQ folder (default: ${FAQ_DIR_ENV} or ./faq).",
)


@click.group()
def faq() -> None:
    """Check and list the FAQ files that staff edit."""


@faq.command()
@_dir_argument
@_dir_option
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Check dates as of this day (default: today in staff.yaml's time zone).",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (stale records, deadlines).")
def check(
    directory: Path | None, dir_option: Path | None, today: dt.datetime | None, strict: bool
) -> None:
    """Check every FAQ file and print each problem with its file and line.

    Warnings (not errors) name records not checked for ``stale_after_months`` (staff.yaml,
    default 12), passed or near deadlines, Shift_JIS files read and open-data columns kept."""
    folder, kb, problems = _load(directory, dir_option)
    from helpbot.knowledge.drafts import check_drafts, list_drafts

    zone = (kb.staff or StaffPolicy()).zone
    day = today.date() if today else dt.datetime.now(zone).date()
    # drafts too, as if they were added
    problems = [*problems, *future_date_problems(kb, today=day), *check_drafts(folder)]
    for problem in problems:
        click.echo(str(problem))
    warnings = [*kb.notices, *freshness_warnings(kb, today=day), *_unreachable_staff(kb)]
    for warning in warnings:
        click.echo(f"warning: {warning}")
    programs = sum(1 for entry in kb.entries if entry.kind is EntryKind.PROGRAM)
    click.echo(
        f"{folder}: {len(knowledge_files(folder))} files, {len(kb.entries)} entries "
        f"({len(kb.entries) - programs} FAQ, {programs} programs), "
        f"{len(kb.synonyms)} synonym groups, {len(list_drafts(folder))} draft(s), "
        f"{len(problems)} problem(s), {len(warnings)} warning(s) as of {day.isoformat()}"
    )
    if problems:
        click.echo("Fix the problems above, then run this check again. "
                   "（上のまちがいを直して保存し、もう一度チェックしてください。"
                   "直すまで、ボットは前の内容で答えます）")
        raise click.exceptions.Exit(1)
    if warnings:
        click.echo("OK: no problems found, but look at the warnings above "
                   "（問題はありませんが、上の注意を確かめてください）.")
        if strict:
            raise click.exceptions.Exit(1)
        return
    click.echo("OK: no problems found. （まちがいはありません）")


def _unreachable_staff(kb: KnowledgeBase) -> list[Problem]:
    """staff.yaml without ``contact``, unless this machine's settings connect Slack (then a
    person who asks for staff gets a case): on LINE alone they would get no one to reach."""
    from helpbot.config import load_settings
    from helpbot.errors import ConfigError
    from helpbot.knowledge.reach import no_contact_warning

    warning = no_contact_warning(kb)
    if warning is None:
        return []
    try:
        slack = load_settings().slack_enabled
    except ConfigError:  # settings not readable here: warn, as on a machine without them
        slack = False
    return [] if slack else [warning]


@faq.command()
@_dir_argument
@_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def export(directory: Path | None, dir_option: Path | None, as_json: bool) -> None:
    """Print every loaded entry, as JSON lines or as a readable list."""
    _folder, kb, problems = _load(directory, dir_option)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    if as_json:
        for entry in kb.entries:
            click.echo(json.dumps(entry_to_json(entry), ensure_ascii=False))
        return
    rows = [(e.id, e.kind.value, e.category or "-", e.language, e.question) for e in kb.entries]
    widths = [max((_width(row[i]) for row in rows), default=0) for i in range(4)]
    for row in rows:
        cells = [_pad(text, width) for text, width in zip(row[:4], widths, strict=True)]
        click.echo("  ".join([*cells, row[4].replace("\n", " ")]))
    click.echo(f"{len(rows)} entries")


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """Describe an entry as JSON-ready data (dates as ISO text, empty fields left out)."""
    data: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind.value,
        "question": entry.question,
        "answer": entry.answer,
        "alternates": list(entry.alternates),
        "keywords": list(entry.keywords),
        "category": entry.category,
        "language": entry.language,
        "source": entry.source,
        "name": entry.name,
        "summary": entry.summary,
        "eligibility": entry.eligibility,
        "area": entry.area,
        "how_to_apply": entry.how_to_apply,
        "hours": entry.hours,
        "last_checked": entry.last_checked.isoformat() if entry.last_checked else None,
        "deadline": entry.deadline.isoformat() if entry.deadline else None,
        "status": entry.status if entry.status != "active" else None,
        "area_code": entry.area_code,
        "extra": dict(entry.extra) or None,
    }
    contact = {
        key: value
        for key, value in (
            ("phone", entry.contact.phone),
            ("url", entry.contact.url),
            ("address", entry.contact.address),
        )
        if value
    }
    if contact:
        data["contact"] = contact
    return {key: value for key, value in data.items() if value not in (None, [])}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
