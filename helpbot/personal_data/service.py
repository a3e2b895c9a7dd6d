"""One entry point for the staff tool: export or erase the person of a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from helpbot.cases.masking import NameSpans
from helpbot.cases.outbox import StaffOutbox
from helpbot.cases.views import recent_messages
from helpbot.errors import PersonNotFoundError
from helpbot.personal_data.erase import ErasureReport, erase_person
from helpbot.personal_data.export import export_person
from helpbot.personal_data.identity import contact_of_case
from helpbot.storage.audit import AuditAction, record
from helpbot.storage.database import Database
from helpbot.storage.models import Case


class PersonalData:
    """Export and erasure addressed by case number (what a case worker knows)."""

    def __init__(
        self, *, database: Database, outbox: StaffOutbox, clock: Callable[[], dt.datetime]
    ) -> None:
        self._database = database
        self._outbox = outbox
        self._clock = clock

    def person_of_case(self, case_id: int) -> int:
        """The contact id; PersonNotFoundError when there is no such case."""
        with self._database.session() as session:
            return contact_of_case(session, case_id).id

    def export_case(self, case_id: int, *, actor: str) -> dict[str, Any]:
        return export_person(self._database, self.person_of_case(case_id), actor=actor,
                             now=self._clock())

    def original_messages(self, case_id: int, *, actor: str) -> str:
        """The case's recent messages unmasked, for one worker; the look is audited."""
        now = self._clock()
        with self._database.session() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise PersonNotFoundError(f"there is no case #{case_id}")
            recent = recent_messages(session, case.contact_id, mask=_unmasked)
            record(session, actor=actor, action=AuditAction.SHOW_ORIGINAL, now=now,
                   case_id=case.id, contact_id=case.contact_id, detail=f"messages={len(recent)}")
        lines = [f"{m.at:%m/%d %H:%M} {m.who}: {m.text}" for m in recent]
        return "\n".join(lines) or "(no messages)"

    def erase_case(self, case_id: int, *, actor: str) -> ErasureReport:
        return erase_person(self._database, self.person_of_case(case_id), actor=actor,
                            now=self._clock(), outbox=self._outbox)


def _unmasked(text: str, *, known_names: NameSpans | None = None) -> str:
    return text


def erasure_summary(report: ErasureReport) -> str:
    """One paragraph for the worker who asked (no personal data)."""
    rows = sum(report.removed.values())
    text = (f"Erased person #{report.contact_id}: texts of {rows} row(s) removed, "
            f"{report.cases_closed} open case(s) closed, "
            f"{report.slack_redacted} Slack thread message(s) replaced, "
            f"{report.slack_files_deleted} file(s) deleted.")
    if report.slack_left:
        files = f" (with {report.slack_files_left} file(s))" if report.slack_files_left else ""
        text += (f" {report.slack_left} reply(ies) written by workers{files} are left: delete "
                 "them by hand.")
    if report.slack_failed:
        text += (f" Slack was not reached for case(s) {report.slack_failed}: the worker "
                 "tries again until it answers.")
    return text
