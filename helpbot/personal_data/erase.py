"""Erase one person: their texts everywhere, their user id, and their words in Slack.

The rows stay as a tombstone (the contact with ``erased_at`` and no user id; messages, cases
and deliveries with their timestamps and decisions, texts empty), so every count still adds
up. Nothing is deleted, so no foreign key (``crisis_signals.message_id``, ``deliveries``) is
left dangling. Open cases are closed and everything still queued for the person is cancelled.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import select, update

from helpbot.cases.outbox import PostKind, StaffOutbox, add_post
from helpbot.cases.ports import ERASED_NOTICE, StaffRef
from helpbot.cases.states import ACTIVE_STATES, CaseState
from helpbot.errors import DeliveryError
from helpbot.personal_data.redaction import UNFINISHED, Scope, redact
from helpbot.storage.audit import AuditAction, on_case, record
from helpbot.storage.database import Database
from helpbot.storage.models import (
    Case,
    Contact,
    Delivery,
    QueueState,
    StaffPost,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

THREAD_NOTICE = ERASED_NOTICE


@dataclass(slots=True)
class ErasureReport:
    contact_id: int
    removed: dict[str, int]  # table -> rows whose texts were removed
    cases_closed: int = 0
    cancelled: dict[str, int] = field(default_factory=dict)  # deliveries, staff_posts
    slack_redacted: int = 0  # thread messages replaced in Slack
    slack_left: int = 0  # workers' own thread messages the app may not change
    slack_files_deleted: int = 0  # files the app shared in the threads (photos, documents)
    slack_files_left: int = 0  # files workers attached, which the app may not delete
    slack_failed: list[int] = field(default_factory=list)  # cases Slack could not be reached for

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def erase_person(
    database: Database,
    contact_id: int,
    *,
    actor: str,
    now: dt.datetime,
    outbox: StaffOutbox | None = None,
) -> ErasureReport:
    """Erase the person's data (one transaction), then their case threads in the staff tool."""
    with database.session() as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise LookupError(contact_id)
        report = ErasureReport(contact_id=contact.id, removed={})
        cases = list(session.scalars(select(Case).where(Case.contact_id == contact.id)))
        case_ids = [case.id for case in cases]
        report.cancelled["deliveries"] = session.execute(
            update(Delivery)
            .where(Delivery.contact_id == contact.id, Delivery.state.in_(UNFINISHED))
            .values(state=QueueState.CANCELLED, last_error="erased at the person's request")
        ).rowcount
        report.cancelled["staff_posts"] = session.execute(
            update(StaffPost)
            .where(StaffPost.case_id.in_(case_ids or [-1]), StaffPost.status.in_(UNFINISHED))
            .values(status=QueueState.CANCELLED)
        ).rowcount
        report.cancelled["webhook_events"] = session.execute(
            update(WebhookEvent)
            .where(WebhookEvent.channel == contact.channel,
                   WebhookEvent.source == contact.channel_user_id,
                   WebhookEvent.status.in_(UNFINISHED))
            .values(status=QueueState.CANCELLED)
        ).rowcount  # not yet answered: never answered now (the person is gone)
        for case in cases:
            if CaseState(case.state) in ACTIVE_STATES:
                case.state, case.resolved_at = CaseState.RESOLVED, now
                case.resolved_by, case.resolved_by_name = actor[:64], "erasure"
                # the report counts resolutions from the trail (reports/case_history.py)
                on_case(session, case, actor=actor, action=AuditAction.RESOLVE, now=now,
                        detail="erasure")
                report.cases_closed += 1
            case.person_waiting_since = None
        scope = Scope(contacts=[contact.id], users=[(contact.channel, contact.channel_user_id)])
        report.removed = redact(session, scope, apply=True)
        contact.channel_user_id = f"erased-{contact.id}"
        contact.erased_at, contact.reachable = now, False
        refs = [(c.id, StaffRef(c.slack_channel, c.slack_ts)) for c in cases
                if c.slack_channel and c.slack_ts]
        redraw = [add_post(session, case_id=case_id, kind=PostKind.UPDATE, text="", now=now).id
                  for case_id, _ in refs]
        # stored with the erasure: a thread Slack cannot be reached for now is erased later
        threads = [(case_id, add_post(session, case_id=case_id, kind=PostKind.ERASE, text="",
                                      now=now).id) for case_id, _ in refs]
        counts = " ".join(f"{table}={n}" for table, n in report.removed.items())
        record(session, actor=actor, action=AuditAction.ERASE, now=now, contact_id=contact.id,
               detail=f"cases={len(cases)} {counts}")
    if outbox is not None:
        outbox.deliver(redraw)  # the case message says the records were erased
        _erase_threads(outbox, threads, report)
    logger.info("erased person %s: %d rows redacted", report.contact_id, report.total)
    return report


def _erase_threads(
    outbox: StaffOutbox, threads: list[tuple[int, int]], report: ErasureReport
) -> None:
    for case_id, post_id in threads:
        try:
            done = outbox.erase_thread(post_id)
        except DeliveryError as error:
            logger.warning("case %s: the Slack thread was not erased yet (retried): %s",
                           case_id, error)
            report.slack_failed.append(case_id)
            continue
        if done is None:  # the worker's retry holds it: it is being erased
            continue
        report.slack_redacted += done.redacted
        report.slack_left += done.left
        report.slack_files_deleted += done.files_deleted
        report.slack_files_left += done.files_left
