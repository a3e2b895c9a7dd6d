"""The ``helpbot`` command: ``db``, ``faq``, ``ask``, ``serve``, ``worker``, ``bench``, ``line``,
``data``, ``person``, ``audit``, ``programs``,
``report``, ``staff``.

The subcommands are imported when the command line is read, not when this package is: gunicorn's
master imports ``helpbot.cli.access_log`` for its logger class and should not carry SQLAlchemy,
numpy and the crisis lexicon for it (about 35 MiB).
"""

from __future__ import annotations

import click


class _HelpbotGroup(click.Group):
    """A click group whose subcommands are added on first use."""

    _registered = False

    def _ensure_registered(self) -> None:
        if not self._registered:
            self._registered = True
            _register(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._ensure_registered()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._ensure_registered()
        return super().list_commands(ctx)


@click.group(cls=_HelpbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """helpbot: a LINE chatbot for NPOs, answering from the files in faq/."""
    from helpbot.storage.redact import install_log_redaction

    install_log_redaction()  # database errors in the logs never carry what people wrote


def _register(group: click.Group) -> None:
    from helpbot.cli.ask import ask
    from helpbot.cli.bench import bench
    from helpbot.cli.bench_crisis import crisis as crisis_bench
    from helpbot.cli.bench_escalation import escalation
    from helpbot.cli.bench_footprint import footprint
    from helpbot.cli.bench_fuzz import fuzz
    from helpbot.cli.bench_programs import programs as programs_bench
    from helpbot.cli.bench_reminders import reminders
    from helpbot.cli.bench_webhook import webhook
    from helpbot.cli.crisis import crisis
    from helpbot.cli.db import db
    from helpbot.cli.events import events
    from helpbot.cli.faq import faq
    from helpbot.cli.faq_drafts import approve, drafts
    from helpbot.cli.faq_status import status
    from helpbot.cli.gaps import gaps
    from helpbot.cli.line import line
    from helpbot.cli.personal_data import audit, data, person
    from helpbot.cli.programs import programs
    from helpbot.cli.report import report
    from helpbot.cli.serve import serve
    from helpbot.cli.staff import staff
    from helpbot.cli.worker import worker

    faq.add_command(gaps)
    faq.add_command(drafts)
    faq.add_command(approve)
    faq.add_command(status)
    benchmarks = (webhook, escalation, reminders, crisis_bench, fuzz, footprint, programs_bench)
    for benchmark in benchmarks:
        bench.add_command(benchmark)
    for command in (db, faq, ask, serve, events, bench, worker, crisis, line, data, person, audit,
                    programs, report, staff):
        group.add_command(command)
