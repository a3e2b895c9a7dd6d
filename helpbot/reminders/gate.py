"""No reminders at night: a reminder that falls due in quiet hours waits until they end."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from helpbot.cases.views import REMINDER
from helpbot.knowledge.policies import StaffPolicy
from helpbot.reminders.quiet_hours import QuietHours, parse_quiet_hours

if TYPE_CHECKING:
    from helpbot.matching.base import KnowledgeSource


class QuietHoursGate:
    """When a delivery may go out: reminders respect quiet hours, other messages never wait."""

    def __init__(self, knowledge: KnowledgeSource, *, default: str) -> None:
        self.timezone = lambda: (knowledge.snapshot().kb.staff or StaffPolicy()).zone
        self._knowledge = knowledge
        self._setting = default

    def quiet_hours(self) -> QuietHours:
        policy = self._knowledge.snapshot().kb.staff or StaffPolicy()
        return parse_quiet_hours(self._setting, policy.zone)

    def __call__(self, kind: str, now: dt.datetime) -> dt.datetime:
        if kind != REMINDER:
            return now
        return self.quiet_hours().next_allowed(now)
