"""Stale data is never shown as fresh: which entries may be offered today, and which need a look.

* An entry is **offered** while its ``status`` is ``active`` and its ``deadline`` (if any) has
  not passed. Nothing else in helpbot decides this: the conversation asks :func:`withdrawn_ids`
  on every turn with the day of its own clock, so an entry disappears the morning after its
  deadline without a reload, and an edit that sets a new deadline brings it back.
* A record is **stale** when ``last_checked`` is more than ``stale_after_months`` (staff.yaml,
  default 12) before today; **expiring** when its deadline is within ``deadline_warning_days``
  (default 30). `helpbot faq check` warns about both; the worker posts them once a week; and a
  stale entry's answer reaches people with a note saying when it was last checked.

"Today" is always passed in (a date in the NPO's time zone): no function here reads a clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from helpbot.knowledge.entries import Entry, KnowledgeBase, Problem
from helpbot.knowledge.policies import StaffPolicy

ACTIVE = "active"
# The most lines of each kind in one digest; a longer list ends with "ほか N 件".
DIGEST_LIMIT = 15


def is_offered(entry: Entry, today: dt.date) -> bool:
    """Whether people may be offered this entry today."""
    if entry.status != ACTIVE:
        return False
    return entry.deadline is None or entry.deadline >= today


def withdrawn_ids(kb: KnowledgeBase, today: dt.date) -> frozenset[str]:
    """The ids of entries not offered today (past their deadline, inactive or defunct)."""
    return frozenset(entry.id for entry in kb.entries if not is_offered(entry, today))


def is_stale(entry: Entry, *, today: dt.date, months: int) -> bool:
    """Whether the entry was last checked more than ``months`` before ``today``."""
    return entry.last_checked is not None and entry.last_checked < months_before(today, months)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return dt.date(year, month_index + 1, min(day.day, last_day))


@dataclass(frozen=True, slots=True)
class Review:
    """What staff should look at, as of one day."""

    today: dt.date
    expired: tuple[Entry, ...]  # active, but the deadline has passed (hidden from people)
    expiring: tuple[Entry, ...]  # the deadline is within the warning days
    stale: tuple[Entry, ...]  # last checked longer ago than the setting
    stale_after_months: int
    warning_days: int

    @property
    def empty(self) -> bool:
        return not (self.expired or self.expiring or self.stale)


def review(kb: KnowledgeBase, *, today: dt.date) -> Review:
    """Sort the active entries that need staff's attention (inactive ones are left alone)."""
    policy = kb.staff or StaffPolicy()
    soon = today + dt.timedelta(days=policy.deadline_warning_days)
    active = [entry for entry in kb.entries if entry.status == ACTIVE]
    return Review(
        today=today,
        expired=tuple(e for e in active if e.deadline is not None and e.deadline < today),
        expiring=tuple(e for e in active if e.deadline is not None and today <= e.deadline <= soon),
        stale=tuple(
            e for e in active if is_stale(e, today=today, months=policy.stale_after_months)
        ),
        stale_after_months=policy.stale_after_months,
        warning_days=policy.deadline_warning_days,
    )


def freshness_warnings(kb: KnowledgeBase, *, today: dt.date) -> list[Problem]:
    """Warnings for `helpbot faq check`: stale records and passed or near deadlines."""
    found = review(kb, today=today)
    warnings: list[Problem] = []
    for entry in found.stale:
        warnings.append(_at(entry, (
            f"last checked on {_iso(entry.last_checked)}, more than "
            f"{found.stale_after_months} months ago"),
            "check the information, then write today's date in last_checked"))
    for entry in found.expired:
        warnings.append(_at(
            entry, f"the deadline {_iso(entry.deadline)} has passed; people no longer see this "
            "entry", "update the deadline, or mark the entry 'status: inactive'"))
    for entry in found.expiring:
        days = (entry.deadline - today).days if entry.deadline else 0
        warnings.append(_at(entry, f"the deadline {_iso(entry.deadline)} is in {days} day(s)"))
    return sorted(warnings, key=lambda w: (w.file, w.line))


# A day of slack: "today" in another time zone, or a check written just after midnight.
FUTURE_SLACK = dt.timedelta(days=1)


def future_date_problems(kb: KnowledgeBase, *, today: dt.date) -> list[Problem]:
    """Errors for `helpbot faq check`: a ``last_checked`` after tomorrow is a typo (2062 for
    2026) that would keep the entry from ever being marked stale."""
    problems = [
        _at(entry, f"last_checked {_iso(entry.last_checked)} is in the future "
            f"(today is {today.isoformat()})",
            "write the day the information was checked (today or earlier), like 2026-04-01")
        for entry in kb.entries
        if entry.last_checked is not None and entry.last_checked > today + FUTURE_SLACK
    ]
    return sorted(problems, key=lambda p: (p.file, p.line))


def digest_text(found: Review) -> str | None:
    """The weekly message for the staff channel; None when nothing needs a look."""
    if found.empty:
        return None
    lines = [f"📋 情報の見直し（{found.today.isoformat()} の週）/ Records to review"]
    sections = (
        ("締め切りを過ぎた（いまは案内していません）/ deadline passed, hidden from people",
         found.expired, lambda e: f"締め切り {_iso(e.deadline)}"),
        (f"締め切りまで{found.warning_days}日以内 / deadline within {found.warning_days} days",
         found.expiring, lambda e: f"締め切り {_iso(e.deadline)}"),
        (f"最後の確認から{found.stale_after_months}か月以上 / not checked for "
         f"{found.stale_after_months} months", found.stale,
         lambda e: f"最後の確認 {_iso(e.last_checked)}"),
    )
    for title, entries, detail in sections:
        if not entries:
            continue
        lines.append(f"\n*{title}*: {len(entries)}")
        for entry in entries[:DIGEST_LIMIT]:
            lines.append(f"• {entry.name or entry.question}（{entry.id}, {entry.source}）"
                         f" {detail(entry)}")
        if len(entries) > DIGEST_LIMIT:
            lines.append(f"…ほか {len(entries) - DIGEST_LIMIT} 件 / and "
                         f"{len(entries) - DIGEST_LIMIT} more: `helpbot faq check`")
    return "\n".join(lines)


def _at(entry: Entry, message: str, hint: str = "") -> Problem:
    file, _, line = entry.source.rpartition(":")
    return Problem(file or entry.source, int(line) if line.isdigit() else 1, message, hint)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "?"
