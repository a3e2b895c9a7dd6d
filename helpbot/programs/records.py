"""A support program as a record aligned with Open Referral HSDS 3, plus its ``conditions``.

The fields staff write in ``faq/`` (``type: program``) and their HSDS 3 names:

| faq/ field | HSDS 3 | meaning |
| --- | --- | --- |
| ``organisation`` | organization.name | who runs it (「市区町村（国の制度）」) |
| ``name`` / ``summary`` | service.name / description | |
| ``eligibility_description`` (or ``for``) | service.eligibility_description | who, in words |
| ``application_process`` (or ``how_to_apply``) | service.application_process | |
| ``required_documents`` | required_document.document | what to bring |
| ``fees`` | service.fees_description | |
| ``languages`` | language.code | |
| ``service_areas`` | service_area (+ JIS code in ``extent``) | where it applies |
| ``schedule`` (or ``hours``) | schedule.description | |
| ``deadline`` | (our own) | after it, never recommended |
| ``url`` | service.url | the official page |
| ``last_checked`` | service.assured_date | |
| ``status`` | service.status | ``active`` / ``inactive`` / ``defunct`` / ``temporarily closed`` |
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from helpbot.programs.conditions import ConditionProblem, Conditions, parse_conditions
from helpbot.programs.facts import NEEDS

HSDS_FIELDS = (
    "organisation", "eligibility_description", "application_process", "required_documents",
    "fees", "languages", "service_areas", "schedule", "url", "status", "conditions",
    "helps_with", "where_to_go", "level",
)
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LEVELS = ("national", "prefecture", "municipal", "npo")
AREA_FIELDS = ("prefecture", "municipality", "code")
_CODE = re.compile(r"\d{2}|\d{5,6}")  # JIS X 0401 prefecture, or a local government code


@dataclass(frozen=True, slots=True)
class ServiceArea:
    prefecture: str | None = None
    municipality: str | None = None
    code: str | None = None  # 全国地方公共団体コード (6 digits with the check digit) or 2 digits

    def label(self) -> str:
        return "".join(part for part in (self.prefecture, self.municipality) if part) or "全国"


@dataclass(frozen=True, slots=True)
class ProgramRecord:
    """Everything the finder and the answers need about one support program."""

    id: str
    name: str
    language: str = "ja"
    source: str = ""
    summary: str | None = None
    organisation: str | None = None
    eligibility_description: str | None = None
    application_process: str | None = None
    required_documents: tuple[str, ...] = ()
    fees: str | None = None
    languages: tuple[str, ...] = ()
    service_areas: tuple[ServiceArea, ...] = ()  # empty: nationwide
    level: str = "national"
    where_to_go: str | None = None
    schedule: str | None = None
    deadline: dt.date | None = None
    phone: str | None = None
    address: str | None = None
    url: str | None = None
    last_checked: dt.date | None = None
    status: str = "active"
    helps_with: tuple[str, ...] = ()
    conditions: Conditions = field(default_factory=Conditions)
    names: tuple[str, ...] = ()  # its name and keywords: a person who names it means it

    def available(self, today: dt.date) -> bool:
        """Active and not past its deadline: only such a program is ever recommended."""
        return self.status == "active" and (self.deadline is None or self.deadline >= today)


def read_program_fields(
    fields: Mapping[str, Any], lines: Mapping[str, int], line: int,
) -> tuple[dict[str, Any], list[ConditionProblem]]:
    """The HSDS fields of a program record, checked; problems carry the line of the field."""
    problems: list[ConditionProblem] = []

    def at(key: str) -> int:
        return lines.get(key, line)

    def text(key: str) -> str | None:
        value = fields.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            problems.append((at(key), f"'{key}' must be text", "write it on one line"))
            return None
        return value.strip() or None

    def texts(key: str) -> tuple[str, ...]:
        value = fields.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.append((at(key), f"'{key}' must be a list of texts",
                             f"write it like: {key}: [a, b]"))
            return ()
        return tuple(item.strip() for item in value if item.strip())

    out: dict[str, Any] = {
        "organisation": text("organisation"),
        "eligibility_description": text("eligibility_description"),
        "application_process": text("application_process"),
        "required_documents": texts("required_documents"),
        "fees": text("fees"),
        "languages": texts("languages"),
        "schedule": text("schedule"),
        "url": text("url"),
        "where_to_go": text("where_to_go"),
    }
    status = (text("status") or "active").lower().replace("_", " ")
    if status not in STATUSES:
        problems.append((at("status"), f"unknown status {status!r}",
                         f"use one of: {', '.join(STATUSES)}"))
    out["status"] = status
    level = (text("level") or "national").lower()
    if level not in LEVELS:
        problems.append((at("level"), f"unknown level {level!r}",
                         f"use one of: {', '.join(LEVELS)}"))
    out["level"] = level
    helps = texts("helps_with")
    for need in helps:
        if need not in NEEDS:
            problems.append((at("helps_with"), f"unknown need {need!r} in 'helps_with'",
                             f"use some of: {', '.join(NEEDS)}"))
    out["helps_with"] = tuple(need for need in helps if need in NEEDS)
    if out["url"] and not out["url"].startswith(("https://", "http://")):
        problems.append((at("url"), f"'url' is not a web address: {out['url']!r}",
                         "write the whole address, starting with https://"))
    out["service_areas"] = _areas(fields.get("service_areas"), at("service_areas"), problems)
    if "conditions" in fields:
        conditions, found = parse_conditions(fields["conditions"], at("conditions"))
        problems.extend(found)
        out["conditions"] = conditions
    return out, problems


def _areas(value: Any, line: int, problems: list[ConditionProblem]) -> tuple[ServiceArea, ...]:
    if value is None or value in ("全国", "national"):
        return ()
    items = value if isinstance(value, list) else [value]
    lines = getattr(value, "item_lines", [line] * len(items))
    areas = []
    for index, item in enumerate(items):
        where = lines[index] if index < len(lines) else line
        if not isinstance(item, Mapping) or not item or set(item) - set(AREA_FIELDS):
            problems.append((where, "each of 'service_areas' needs prefecture, municipality "
                             "and/or code", "write it like: - {prefecture: 東京都, "
                             "municipality: 千代田区, code: '131016'}"))
            continue
        parts = {key: str(item[key]).strip() if item.get(key) is not None else None
                 for key in AREA_FIELDS}
        if parts["code"] and not _CODE.fullmatch(parts["code"]):
            problems.append((where, f"area code {parts['code']!r} is not a JIS code",
                             "use the 6-digit 全国地方公共団体コード (2 digits: a prefecture)"))
            continue
        areas.append(ServiceArea(**parts))
    return tuple(areas)
