"""Staff-edited rules beside the entries: ``staff.yaml`` (office hours, holidays, phrases that
ask for a human). ``crisis.yaml`` has its own module, ``crisis_file``.

Both are optional; without them helpbot uses the safe defaults below. Mistakes are reported
like any other knowledge problem, with file and line, and the last good version stays in use.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from dataclasses import dataclass, field

from helpbot.core.texts import CATALOGUE_LANGUAGES
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.hours import parse_hours, public_holiday, read_public_holidays, weekday
from helpbot.knowledge.record_fields import TEXT_LANGUAGES
from helpbot.knowledge.yaml_files import (
    LineDict,
    LineList,
    key_line,
    parse_yaml,
    settings_problems,
    text_list,
    unknown_fields,
)

CLOSED = {"", "closed", "off", "休み", "お休み", "休", "定休日"}  # a day with no hours


@dataclass(frozen=True, slots=True)
class StaffPolicy:
    """When staff answer, and how a person asks for them."""

    timezone: str = "Asia/Tokyo"
    # weekday index (0 = Monday) -> (opens, closes); a missing day is closed.
    hours: dict[int, tuple[dt.time, dt.time]] = field(
        default_factory=lambda: {d: (dt.time(9), dt.time(18)) for d in range(5)}
    )
    holidays: frozenset[dt.date] = frozenset()
    # ``public_holidays: closed`` (the default) or ``open``: whether staff are off on Japan's
    # public holidays, without listing each one under ``holidays``.
    closed_on_public_holidays: bool = True
    handoff_phrases: tuple[str, ...] = (
        "相談したい",
        "人と話したい",
        "スタッフと話したい",
        "スタッフと話す",
        "担当者",
        "電話したい",
        "talk to staff",
        "talk to a person",
        "human",
    )
    expected_reply: dict[str, str] = field(
        default_factory=lambda: {"ja": "1時間ほど", "en": "about an hour"}
    )
    # How to reach the NPO without the bot (phone, hours), by language; sent with an apology
    # when a message could not be answered, and where staff cannot talk with the person.
    contact: dict[str, str] = field(default_factory=dict)
    # Where ``contact`` is written or missing: staff.yaml's name and the line (for checks).
    contact_at: tuple[str, int] | None = field(default=None, compare=False)
    # The categories entries may use (``categories:``); empty: any category is accepted.
    categories: tuple[str, ...] = ()
    # Freshness (``stale_after_months``, ``deadline_warning_days``): a record last checked
    # longer ago is "stale" in `helpbot faq check` and the weekly digest; a deadline this close
    # is "expiring" in the digest.
    stale_after_months: int = 12
    deadline_warning_days: int = 30
    # The NPO's own area (``area: {prefecture, municipality, code}``), named where a
    # municipal program says where to go; None: not set.
    area_label: str | None = None
    # A worker's first reply in a case starts with 「相談員の<name>です。」 (the Slack name).
    introduce_workers: bool = False

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def day_off(self, day: dt.date) -> bool:
        """One of the NPO's ``holidays``, or a public holiday when staff are off on those."""
        return day in self.holidays or (self.closed_on_public_holidays and public_holiday(day))


STAFF_FIELDS = (
    "timezone", "hours", "holidays", "public_holidays", "handoff_phrases", "expected_reply",
    "contact", "categories", "stale_after_months", "deadline_warning_days", "area",
    "introduce_workers",
)


def _yes_no(value: object) -> bool | None:
    """true/false (the loader keeps scalars as text); None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "on", "はい"}:
        return True
    if text in {"false", "no", "off", "いいえ", ""}:
        return False
    return None


def _by_language(data: LineDict, name: str, file: str, problems: list[Problem]
                 ) -> dict[str, str]:
    """``name:`` written per language (ja: …, en: …, vi: …); a key that is not a language of
    texts.yaml is a problem (the bot would never say it)."""
    raw = data.get(name)
    if not isinstance(raw, LineDict):
        if raw is not None:
            problems.append(Problem(file, key_line(data, name), f"'{name}' must be written "
                                    "per language", f"{name}:\n  ja: …\n  en: …"))
        return {}
    for code in raw:
        if code not in CATALOGUE_LANGUAGES:
            problems.append(Problem(file, key_line(raw, code),
                                    f"'{name}' has an unknown language {code!r}",
                                    "use one of " + ", ".join(CATALOGUE_LANGUAGES)))
    return {k: v.strip() for k, v in raw.items()
            if k in CATALOGUE_LANGUAGES and isinstance(v, str) and v.strip()}


def _day_hours(value: str) -> tuple[dt.time, dt.time] | None:
    """One day's hours in staff.yaml: within the day (closing at 24:00 is the day's end)."""
    parsed = parse_hours(value)
    if parsed is None:
        return None
    opens, closes = parsed
    if closes == dt.time(0):
        closes = dt.time(23, 59, 59)
    return (opens, closes) if opens < closes else None


def read_staff_policy(text: str, file: str) -> tuple[StaffPolicy | None, list[Problem]]:
    data, problems = parse_yaml(text, file)
    if problems or data is None:
        return None, problems
    if not isinstance(data, LineDict):
        return None, [Problem(file, 1, "staff.yaml should be a set of fields like 'hours:'")]
    problems.extend(settings_problems(data, file, texts=TEXT_LANGUAGES))
    problems.extend(unknown_fields(data, STAFF_FIELDS, file))
    defaults = StaffPolicy()
    timezone = data.get("timezone", defaults.timezone)
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(
            Problem(
                file,
                key_line(data, "timezone"),
                f"unknown time zone {timezone!r}",
                "write it like Asia/Tokyo",
            )
        )
    hours = _read_hours(data, file, problems, defaults.hours)
    holidays = _read_holidays(data, file, problems)
    public_holidays = read_public_holidays(data, file, problems) is not False  # closed
    phrases = text_list(data.get("handoff_phrases", LineList())) or defaults.handoff_phrases
    # staff's own expected_reply replaces the built-in one whole (an "about an hour" kept
    # beside their 「3日ほど」 would tell English readers something else)
    expected_reply = (_by_language(data, "expected_reply", file, problems)
                      if "expected_reply" in data else dict(defaults.expected_reply))
    contact = _by_language(data, "contact", file, problems)
    categories = text_list(data.get("categories", LineList()))
    if categories is None:
        problems.append(Problem(file, key_line(data, "categories"), "'categories' must be a list",
                                "categories: [食べ物, 住まい]"))
    introduce = _yes_no(data.get("introduce_workers", False))
    if introduce is None:
        problems.append(Problem(file, key_line(data, "introduce_workers"),
                                "'introduce_workers' must be true or false",
                                "introduce_workers: true"))
    stale_after_months = _whole_number(data, "stale_after_months", defaults.stale_after_months,
                                       unit="months", file=file, problems=problems)
    warning_days = _whole_number(data, "deadline_warning_days", defaults.deadline_warning_days,
                                 unit="days", file=file, problems=problems)
    area_label = _read_area(data, file, problems)
    if problems:
        return None, problems
    return StaffPolicy(
        stale_after_months=stale_after_months,
        deadline_warning_days=warning_days,
        area_label=area_label,
        introduce_workers=bool(introduce),
        categories=categories or (),
        timezone=str(timezone),
        hours=hours,
        holidays=frozenset(holidays),
        closed_on_public_holidays=public_holidays,
        handoff_phrases=phrases,
        expected_reply=expected_reply,
        contact=contact,
        contact_at=(file, key_line(data, "contact")),
    ), []


def _whole_number(
    data: LineDict, key: str, default: int, *, unit: str, file: str, problems: list[Problem]
) -> int:
    """A positive whole number setting such as ``stale_after_months: 12``."""
    value = data.get(key)  # plain YAML scalars are read as text here
    if value is None:
        return default
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        problems.append(Problem(file, key_line(data, key),
                                f"'{key}' must be a whole number of {unit}", f"{key}: {default}"))
        return default
    return int(text)


def _read_hours(
    data: LineDict,
    file: str,
    problems: list[Problem],
    default: dict[int, tuple[dt.time, dt.time]],
) -> dict[int, tuple[dt.time, dt.time]]:
    raw_hours = data.get("hours")
    if raw_hours is None:
        return dict(default)
    if not isinstance(raw_hours, LineDict):
        problems.append(
            Problem(file, key_line(data, "hours"), "'hours' must list weekdays", "mon: 09:00-18:00")
        )
        return dict(default)
    hours: dict[int, tuple[dt.time, dt.time]] = {}
    for key, value in raw_hours.items():
        line = raw_hours.key_lines.get(key, raw_hours.line)
        day = weekday(key)
        if day is None:
            problems.append(
                Problem(file, line, f"unknown weekday {key!r}",
                        "use mon, tue, wed, thu, fri, sat, sun (or 月, 火, 水, 木, 金, 土, 日)")
            )
            continue
        if value is None or unicodedata.normalize("NFKC", str(value)).strip().lower() in CLOSED:
            continue
        parsed = _day_hours(str(value))
        if parsed is None:
            problems.append(
                Problem(
                    file,
                    line,
                    f"cannot read hours {value!r}",
                    "write them like 09:00-18:00 (or 9:00〜18:00), or closed (休み)",
                )
            )
            continue
        hours[day] = parsed
    return hours


def _read_holidays(data: LineDict, file: str, problems: list[Problem]) -> set[dt.date]:
    raw_holidays = data.get("holidays", LineList())
    if not isinstance(raw_holidays, LineList):
        problems.append(
            Problem(
                file,
                key_line(data, "holidays"),
                "'holidays' must be a list",
                "holidays: [2026-12-29, 2026-12-30]",
            )
        )
        return set()
    holidays: set[dt.date] = set()
    for position, value in enumerate(raw_holidays):
        try:
            holidays.add(dt.date.fromisoformat(str(value).strip()))
        except ValueError:
            line = raw_holidays.item_lines[position] if raw_holidays.item_lines else 1
            problems.append(Problem(file, line, f"bad date {value!r}", "write it like 2026-04-01"))
    return holidays


def _read_area(data: LineDict, file: str, problems: list[Problem]) -> str | None:
    area = data.get("area")
    if area is None:
        return None
    if not isinstance(area, LineDict) or not isinstance(area.get("prefecture"), str) or (
            set(area) - {"prefecture", "municipality", "code"}):
        problems.append(Problem(file, key_line(data, "area"),
                                "'area' in staff.yaml needs prefecture (and municipality, code)",
                                "write it like: area: {prefecture: 東京都, municipality: 千代田区, "
                                "code: '131016'}"))
        return None
    municipality = area.get("municipality")
    return area["prefecture"] + (municipality if isinstance(municipality, str) else "")
