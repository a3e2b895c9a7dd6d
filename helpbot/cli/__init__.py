"""The ``helpbot`` command: ``db``, ``faq``, ``ask``, ``serve``, ``worker``, ``bench``."""

from __future__ import annotations

import click

from helpbot.cli.ask import ask
from helpbot.cli.db import db
from helpbot.cli.events import events
from helpbot.cli.serve import serve
from helpbot.cli.worker import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """helpbot: a LINE chatbot for NPOs, answering from the files in faq/."""
    from helpbot.storage.redact import install_log_redaction

    install_log_redaction()  # database errors in the logs never carry what people wrote


def _register() -> None:
    from helpbot.cli.bench import bench
    from helpbot.cli.crisis import crisis
    from helpbot.cli.faq import faq
    from helpbot.cli.faq_status import status
    from helpbot.cli.gaps import gaps
    from helpbot.cli.report import report
    from helpbot.cli.staff import staff

    faq.add_command(gaps)
    from helpbot.cli.faq_drafts import approve, drafts

    faq.add_command(drafts)
    faq.add_command(approve)
    from helpbot.cli.bench_crisis import crisis as crisis_bench
    faq.add_command(status)
    from helpbot.cli.bench_escalation import escalation
    from helpbot.cli.bench_fuzz import fuzz
    from helpbot.cli.bench_reminders import reminders
    from helpbot.cli.bench_webhook import webhook

    for benchmark in (webhook, escalation, reminders, crisis_bench, fuzz):
        bench.add_command(benchmark)
    for command in (db, faq, ask, serve, events, bench, worker, crisis, report, staff):
        main.add_command(command)


_register()
