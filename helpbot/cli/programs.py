"""``helpbot programs find "TEXT" [--fact key=value ...] --json``: programs that fit a person."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

import click

from helpbot.cli.faq import resolve_faq_dir
from helpbot.errors import KnowledgeError


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(zoneinfo.ZoneInfo("Asia/Tokyo")).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("write the date like 2026-12-01", param_hint="--today") from None


def _facts(text: str, pairs: tuple[str, ...]) -> dict[str, Any]:
    from helpbot.programs.facts import coerce
    from helpbot.programs.words import facts_from_words

    facts = facts_from_words(text)
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r}: write it as key=value, like children=2",
                                     param_hint="--fact")
        try:
            facts[key.strip()] = coerce(key.strip(), raw)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--fact") from None
    return facts


@click.group()
def programs() -> None:
    """Find the support programs in faq/ that fit a person's situation."""


@programs.command("find")
@click.argument("text")
@click.option("--fact", "fact_pairs", multiple=True, metavar="KEY=VALUE",
              help="A fact (or an answer: unknown / declined); repeat for several. "
              "Known facts: see faq/README.md.")
@click.option("--asked", multiple=True, metavar="FACT",
              help="Facts already asked about (they count toward the 4 questions).")
@click.option("--dir", "faq_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The FAQ folder (default: $HELPBOT_FAQ_DIR or ./faq).")
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="The day deadlines are compared with (default: today in Japan).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def find(*, text: str, fact_pairs: tuple[str, ...], asked: tuple[str, ...],
         faq_dir: Path | None, today: str | None, as_json: bool) -> None:
    """Facts from TEXT (and --fact), the programs that fit, and the next question."""
    from helpbot.knowledge.loader import load_dir
    from helpbot.programs.finder import find_programs

    facts = _facts(text, fact_pairs)
    try:
        kb, problems = load_dir(resolve_faq_dir(None, faq_dir))
    except KnowledgeError as error:
        raise click.ClickException(str(error)) from error
    if problems:
        click.echo(f"{len(problems)} problem(s) in the FAQ folder: run `helpbot faq check`; "
                   "the entries without problems are used.", err=True)
    records = [entry.program for entry in kb.entries if entry.program is not None]
    asked_facts = {*asked, *(pair.partition("=")[0].strip() for pair in fact_pairs)}
    finding = find_programs(records, facts, today=_today(today), asked=asked_facts, text=text)
    report = finding.to_json()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo("わかったこと: " + (", ".join(f"{k}={v}" for k, v in report["facts"].items())
                                 or "（なし）"))
    for index, program in enumerate(report["programs"], start=1):
        click.echo(f"{index}. {program['name']} ({program['id']}, {program['score']})")
        click.echo(f"   なぜ: {' / '.join(program['why']) or '-'}")
        if program["unknown"]:
            click.echo(f"   まだわからない: {', '.join(program['unknown'])}")
    question = report["next_question"]
    if question:
        labels = " / ".join(option["label"] for option in question["options"])
        click.echo(f"次の質問 ({question['fact']}): {question['text']} [{labels}]")


def _records(faq_dir: Path | None) -> list[Any]:
    from helpbot.knowledge.loader import load_dir

    try:
        kb, _problems = load_dir(resolve_faq_dir(None, faq_dir))
    except KnowledgeError as error:
        raise click.ClickException(str(error)) from error
    return [entry.program for entry in kb.entries if entry.program is not None]


@programs.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True, help="HSDS 3 services as JSON, or one CSV sheet.")
@click.option("--dir", "faq_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The FAQ folder (default: $HELPBOT_FAQ_DIR or ./faq).")
def export(*, fmt: str, faq_dir: Path | None) -> None:
    """Print the program records as Open Referral HSDS 3 (JSON or CSV)."""
    from helpbot.programs.hsds import to_hsds_csv, to_hsds_json

    records = _records(faq_dir)
    if fmt == "csv":
        click.echo(to_hsds_csv(records), nl=False)
    else:
        click.echo(json.dumps(to_hsds_json(records), ensure_ascii=False, indent=1))


@programs.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the faq/ YAML here (default: print it). Then run `helpbot faq check`.")
def import_(*, source: Path, out: Path | None) -> None:
    """Read HSDS 3 services (.json, or the .csv sheet `export` writes) as faq/ YAML."""
    from helpbot.programs.hsds import services_from_csv, to_faq_yaml

    text = source.read_text(encoding="utf-8-sig")
    try:
        services = services_from_csv(text) if source.suffix.lower() == ".csv" else json.loads(text)
        if not isinstance(services, list):
            raise ValueError("the file must hold a list of HSDS services")
        result = to_faq_yaml(services)
    except (ValueError, KeyError, TypeError) as error:
        raise click.ClickException(f"cannot read {source} as HSDS 3: {error} (expected what "
                                   "`helpbot programs export` writes)") from None
    if out is None:
        click.echo(result, nl=False)
    else:
        out.write_text(result, encoding="utf-8")
        click.echo(f"wrote {len(services)} program(s) to {out}; check it: helpbot faq check",
                   err=True)
