"""``helpbot data purge``, ``helpbot person export|erase``, ``helpbot audit``."""

from __future__ import annotations

import datetime as dt
import json

import click

from helpbot.cli.settings import cli_settings, database_errors_stop, ready_database, stop
from helpbot.errors import PersonNotFoundError
from helpbot.storage.audit import audit_lines, cli_actor
from helpbot.storage.database import Database


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@click.group()
def data() -> None:
    """What helpbot stores, over time."""


@data.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Override HELPBOT_RETENTION_DAYS for this run.")
def purge(dry_run: bool, days: int | None) -> None:
    """Remove texts older than HELPBOT_RETENTION_DAYS; print what was removed, per table."""
    from helpbot.personal_data.purge import purge_old_texts

    settings = cli_settings()
    days = settings.retention_days if days is None else days
    if days is None:
        raise click.ClickException(
            "HELPBOT_RETENTION_DAYS is off: nothing is purged. Set a number of days, or pass "
            "--days N for this run."
        )
    database = Database(settings.database_url)
    try:
        ready_database(database)
        with database_errors_stop():
            report = purge_old_texts(database, days=days, now=_now(), actor=cli_actor(),
                                     dry_run=dry_run)
    finally:
        database.dispose()
    verb = "would remove" if dry_run else "removed"
    click.echo(f"texts older than {days} days (before {report.before:%Y-%m-%d %H:%M} UTC):")
    for table, count in report.removed.items():
        click.echo(f"  {table:22s} {verb} text of {count} row(s)")
    click.echo(f"  kept whole: {report.kept_people} person(s) with a case open or resolved "
               "within the window")


@click.group()
def person() -> None:
    """One person's data: export it, or erase it (CHANNEL:USER_ID, e.g. line:U4af49806...)."""


def _contact_id(database: Database, reference: str) -> int:
    from helpbot.personal_data.identity import find_contact

    with database.session() as session:
        return find_contact(session, reference).id


@person.command("export")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="JSON (the only format for now).")
def export(reference: str, as_json: bool) -> None:
    """Print everything stored about one person: messages, cases, follow-ups, program answers."""
    from helpbot.personal_data.export import export_person

    database = Database(cli_settings().database_url)
    try:
        ready_database(database)
        with database_errors_stop():
            contact_id = _contact_id(database, reference)
            record = export_person(database, contact_id, actor=cli_actor(), now=_now())
    except PersonNotFoundError as error:
        stop(error)
    finally:
        database.dispose()
    click.echo(json.dumps(record, ensure_ascii=False, indent=None if as_json else 2))


@person.command("erase")
@click.argument("reference")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(reference: str, yes: bool) -> None:
    """Erase one person's data here and in their Slack case threads; leave a tombstone."""
    from helpbot.app import build_services
    from helpbot.personal_data.erase import erase_person

    services = build_services(cli_settings(), role="cli")
    try:
        ready_database(services.database)
        with database_errors_stop():
            contact_id = _contact_id(services.database, reference)
            if not yes:
                click.confirm(f"Erase everything stored about {reference}? This cannot be "
                              "undone", abort=True)
            report = erase_person(services.database, contact_id, actor=cli_actor(), now=_now(),
                                  outbox=services.cases.outbox)
    except PersonNotFoundError as error:
        stop(error)
    finally:
        services.close()
    click.echo(f"erased person #{report.contact_id} (the record stays, without a user id):")
    for table, count in report.removed.items():
        click.echo(f"  {table:22s} removed text of {count} row(s)")
    click.echo(f"  cases closed: {report.cases_closed}; cancelled: "
               + ", ".join(f"{k}={v}" for k, v in report.cancelled.items()))
    click.echo(f"  Slack: {report.slack_redacted} thread message(s) replaced, "
               f"{report.slack_files_deleted} file(s) deleted"
               + (f", {report.slack_left} written by workers to delete by hand"
                  if report.slack_left else "")
               + (f" (with {report.slack_files_left} file(s))" if report.slack_files_left else "")
               + (f"; NOT reached yet for case(s) {report.slack_failed}: the worker retries until "
                  "Slack answers"
                  if report.slack_failed else ""))


@person.command("requests")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def requests(as_json: bool) -> None:
    """People who asked in the chat to erase their records and are not erased yet."""
    from helpbot.personal_data.requests import pending_requests

    database = Database(cli_settings().database_url)
    try:
        ready_database(database)
        with database_errors_stop(), database.session() as session:
            pending = pending_requests(session)
    finally:
        database.dispose()
    for request in pending:
        if as_json:
            click.echo(json.dumps({"person": request.contact_id, "reference": request.reference,
                                   "asked_at": request.asked_at.isoformat(),
                                   "case": request.case_id}, ensure_ascii=False))
            continue
        case = f"case #{request.case_id}" if request.case_id else "no case (no staff tool)"
        click.echo(f"{request.asked_at:%Y-%m-%d %H:%M} UTC  person #{request.contact_id}  "
                   f"{case}  helpbot person erase {request.reference}")
    if not pending and not as_json:
        click.echo("no erasure requests waiting")


@click.command("audit")
@click.option("--case", "case_id", type=int, default=None, help="Only this case number.")
@click.option("--person", "person_ref", default=None,
              help="Only this person: CHANNEL:USER_ID, or the person number the trail shows.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def audit(case_id: int | None, person_ref: str | None, as_json: bool) -> None:
    """Who did what on cases and people's data, oldest first (no message text)."""
    database = Database(cli_settings().database_url)
    try:
        ready_database(database)
        with database_errors_stop():
            contact_id = None
            if person_ref is not None:
                contact_id = (int(person_ref) if person_ref.isdigit()
                              else _contact_id(database, person_ref))
            lines = audit_lines(database, case_id=case_id, contact_id=contact_id)
    except PersonNotFoundError as error:
        stop(error)
    finally:
        database.dispose()
    for line in lines:
        if as_json:
            click.echo(json.dumps(line.as_json(), ensure_ascii=False))
        else:
            where = " ".join(
                part for part in (f"case #{line.case_id}" if line.case_id else "",
                                  f"person #{line.contact_id}" if line.contact_id else "") if part
            )
            click.echo(f"{line.at:%Y-%m-%d %H:%M:%S}  {line.actor:16s} {line.action:18s} "
                       f"{where}  {line.detail or ''}".rstrip())
    if not lines and not as_json:
        click.echo("no audit events recorded")
