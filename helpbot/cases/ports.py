"""What the case logic needs from the outside world, as small protocols.

The Slack adapter implements ``StaffNotifier`` (the channel adapters implement
``PersonMessenger``, in ``helpbot/core/ports.py``). Tests use the real adapters against local
fake servers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Protocol

from helpbot.cases.states import CaseReason, CaseState, Urgency

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StaffRef:
    """Where a case lives in the staff tool (a Slack channel and message ts)."""

    channel: str
    ts: str


@dataclass(frozen=True, slots=True)
class RecentMessage:
    who: str  # "person", "bot" or "staff"
    text: str  # already masked
    at: dt.datetime


# What staff see where an erased person's words were (the case message, its thread).
ERASED_NOTICE = "記録は本人の希望で削除されました (erased at the person's request)"


@dataclass(frozen=True, slots=True)
class ThreadErasure:
    redacted: int  # messages replaced by the erasure notice
    left: int  # messages the app may not change (a worker's own): staff delete them by hand
    files_deleted: int = 0  # files the app had shared in the thread (the person's photos...)
    files_left: int = 0  # files workers attached: the app may not delete them


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything a case worker sees about a case; nothing more."""

    number: int
    state: CaseState
    urgency: Urgency
    reason: CaseReason
    topic: str | None
    crisis_category: str | None
    person_channel: str
    opened_at: dt.datetime
    waited: dt.timedelta
    recent: tuple[RecentMessage, ...]
    claimed_by: str | None
    claimed_by_name: str | None
    satisfaction: int | None
    followups: tuple[str, ...] = ()
    crisis_why: str | None = None  # the rule or nearest example that fired
    false_alarm_by: str | None = None  # the worker who marked the alarm as not a crisis
    resolved_by: str | None = None  # who resolved it (claimed_by is who claimed it)
    erased: bool = False  # the person's records were erased at their request
    # What the person told the program finder (「世帯: ひとり親と子ども」), one line each.
    program_answers: tuple[str, ...] = ()
    person_language: str = "ja"  # the language of the person's last message ("easy" too)
    easy_japanese: bool = False  # the person asked for やさしい日本語


class StaffNotifier(Protocol):
    """Shows cases to case workers. Raises DeliveryError when the staff tool fails."""

    def post_case(self, view: CaseView) -> StaffRef: ...

    def shows(self, person_channel: str) -> bool:
        """Whether case workers see the cases of people on ``person_channel`` here."""
        ...

    def update_case(self, ref: StaffRef, view: CaseView) -> None: ...

    def post_in_thread(self, ref: StaffRef, text: str, *, mention_channel: bool) -> None: ...

    def post_notice(self, text: str) -> None: ...

    def redact_thread(self, ref: StaffRef, notice: str) -> ThreadErasure:
        """Replace the app's messages in a case's thread by ``notice`` (erasure)."""
        ...
    def upload_in_thread(self, ref: StaffRef, *, file_name: str, data: bytes,
                         comment: str) -> None: ...


class PlaygroundNotifier:
    """Without Slack: cases live only in the database; the playground's staff pane shows them."""

    def shows(self, person_channel: str) -> bool:
        """Only the web chat's own cases, in its staff pane: a LINE case reaches nobody."""
        return person_channel == "web"

    def post_case(self, view: CaseView) -> StaffRef:
        return StaffRef(channel="playground", ts=str(view.number))

    def update_case(self, ref: StaffRef, view: CaseView) -> None:
        """The staff pane reads the case from the database; nothing to send."""

    def post_in_thread(self, ref: StaffRef, text: str, *, mention_channel: bool) -> None:
        """The staff pane shows the conversation from the database; nothing to send."""

    def redact_thread(self, ref: StaffRef, notice: str) -> ThreadErasure:
        """The staff pane reads the (erased) database; nothing to change."""
        return ThreadErasure(redacted=0, left=0)
    def upload_in_thread(self, ref: StaffRef, *, file_name: str, data: bytes,
                         comment: str) -> None:
        """The staff pane shows no files; the person is asked for words outside Slack."""

    def post_notice(self, text: str) -> None:
        logger.warning("staff notice (no Slack configured): %s", text)
