"""Program records to and from Open Referral HSDS 3 (JSON services, and one CSV sheet).

JSON: a list of HSDS 3 ``service`` objects with the organization, phones, schedules,
service areas, languages and required documents nested as HSDS 3's API does. What HSDS
has no field for travels in extension fields prefixed ``x_helpbot_`` (conditions,
deadline, level, where to go, needs), which HSDS tools keep or ignore.

CSV: one row per service (a spreadsheet staff can edit), lists separated by ``|``, the
conditions as JSON text. Either file imports back into ``faq/`` YAML.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import yaml

from helpbot.programs.conditions import Clause, Conditions
from helpbot.programs.facts import FACTS_BY_KEY, FactKind
from helpbot.programs.records import ProgramRecord

CSV_COLUMNS = (
    "id", "name", "organization", "description", "eligibility_description",
    "application_process", "required_documents", "fees_description", "languages",
    "service_areas", "schedule", "deadline", "phone", "address", "url", "assured_date",
    "status", "x_helpbot_level", "x_helpbot_where_to_go", "x_helpbot_helps_with",
    "x_helpbot_conditions", "x_helpbot_language",
)


def conditions_to_dict(conditions: Conditions) -> dict[str, Any]:
    """The conditions as staff write them in YAML."""
    out: dict[str, Any] = {}
    for clause in conditions.clauses:
        out[clause.key] = _clause_value(clause)
    if conditions.any_of:
        out["any_of"] = [conditions_to_dict(group) for group in conditions.any_of]
    return out


def _clause_value(clause: Clause) -> Any:
    kind = FACTS_BY_KEY[clause.key].kind
    if kind is FactKind.NUMBER:
        return {k: v for k, v in (("min", clause.minimum), ("max", clause.maximum))
                if v is not None}
    if kind is FactKind.FLAG:
        return clause.values[0]
    return list(clause.values)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def to_hsds_json(records: list[ProgramRecord]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id, "name": r.name, "description": r.summary, "url": r.url,
            "organization": {"name": r.organisation},
            "eligibility_description": r.eligibility_description,
            "application_process": r.application_process, "fees_description": r.fees,
            "status": r.status, "assured_date": _date(r.last_checked),
            "required_documents": [{"document": d} for d in r.required_documents],
            "languages": [{"code": code} for code in r.languages],
            "service_areas": [{"name": a.label(), "extent": a.code, "extent_type": "jis_code",
                               "x_prefecture": a.prefecture, "x_municipality": a.municipality}
                              for a in r.service_areas],
            "schedules": [{"description": r.schedule}] if r.schedule else [],
            "phones": [{"number": r.phone}] if r.phone else [],
            "locations": [{"addresses": [{"address_1": r.address}]}] if r.address else [],
            "x_helpbot_deadline": _date(r.deadline), "x_helpbot_level": r.level,
            "x_helpbot_where_to_go": r.where_to_go, "x_helpbot_helps_with": list(r.helps_with),
            "x_helpbot_conditions": conditions_to_dict(r.conditions),
            "x_helpbot_language": r.language,
        }
        for r in records
    ]


def to_hsds_csv(records: list[ProgramRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for service in to_hsds_json(records):
        areas = "|".join(
            ":".join(part or "" for part in (a["x_prefecture"], a["x_municipality"], a["extent"]))
            for a in service["service_areas"])
        writer.writerow({
            "id": service["id"], "name": service["name"],
            "organization": service["organization"]["name"] or "",
            "description": service["description"] or "",
            "eligibility_description": service["eligibility_description"] or "",
            "application_process": service["application_process"] or "",
            "required_documents": "|".join(d["document"] for d in service["required_documents"]),
            "fees_description": service["fees_description"] or "",
            "languages": "|".join(lang["code"] for lang in service["languages"]),
            "service_areas": areas,
            "schedule": service["schedules"][0]["description"] if service["schedules"] else "",
            "deadline": service["x_helpbot_deadline"] or "",
            "phone": service["phones"][0]["number"] if service["phones"] else "",
            "address": (service["locations"][0]["addresses"][0]["address_1"]
                        if service["locations"] else ""),
            "url": service["url"] or "", "assured_date": service["assured_date"] or "",
            "status": service["status"], "x_helpbot_level": service["x_helpbot_level"],
            "x_helpbot_where_to_go": service["x_helpbot_where_to_go"] or "",
            "x_helpbot_helps_with": "|".join(service["x_helpbot_helps_with"]),
            "x_helpbot_conditions": json.dumps(service["x_helpbot_conditions"],
                                               ensure_ascii=False),
            "x_helpbot_language": service["x_helpbot_language"],
        })
    return buffer.getvalue()


def _faq_fields(service: dict[str, Any]) -> dict[str, Any]:
    """One HSDS service as the fields of a ``type: program`` entry in faq/."""
    contact = {k: v for k, v in (
        ("phone", (service.get("phones") or [{}])[0].get("number")),
        ("address", ((service.get("locations") or [{}])[0].get("addresses") or [{}])[0]
         .get("address_1")),
    ) if v}
    areas = [{k: v for k, v in (("prefecture", a.get("x_prefecture")),
                                ("municipality", a.get("x_municipality")),
                                ("code", a.get("extent"))) if v}
             for a in service.get("service_areas") or []]
    fields: dict[str, Any] = {
        "id": service["id"], "type": "program", "name": service["name"],
        "organisation": (service.get("organization") or {}).get("name"),
        "summary": service.get("description"),
        "eligibility_description": service.get("eligibility_description"),
        "application_process": service.get("application_process"),
        "required_documents": [d["document"] for d in service.get("required_documents") or []],
        "fees": service.get("fees_description"),
        "languages": [lang["code"] for lang in service.get("languages") or []],
        "service_areas": areas,
        "schedule": ((service.get("schedules") or [{}])[0]).get("description"),
        "deadline": service.get("x_helpbot_deadline"), "contact": contact,
        "url": service.get("url"), "last_checked": service.get("assured_date"),
        "status": service.get("status"), "level": service.get("x_helpbot_level"),
        "where_to_go": service.get("x_helpbot_where_to_go"),
        "helps_with": service.get("x_helpbot_helps_with") or [],
        "conditions": service.get("x_helpbot_conditions") or {},
        "language": service.get("x_helpbot_language"),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}


def services_from_csv(text: str) -> list[dict[str, Any]]:
    """CSV rows back into HSDS service objects (the shape :func:`to_hsds_json` writes)."""
    services = []
    for row in csv.DictReader(io.StringIO(text)):
        def split(key: str, row: dict[str, str] = row) -> list[str]:
            return [part for part in (row.get(key) or "").split("|") if part]

        areas = []
        for area in split("service_areas"):
            prefecture, municipality, code = ([*area.split(":"), "", ""])[:3]
            areas.append({"x_prefecture": prefecture or None,
                          "x_municipality": municipality or None, "extent": code or None})
        services.append({
            "id": row["id"], "name": row["name"], "organization": {"name": row["organization"]},
            "description": row["description"],
            "eligibility_description": row["eligibility_description"],
            "application_process": row["application_process"],
            "required_documents": [{"document": d} for d in split("required_documents")],
            "fees_description": row["fees_description"],
            "languages": [{"code": c} for c in split("languages")], "service_areas": areas,
            "schedules": [{"description": row["schedule"]}] if row["schedule"] else [],
            "phones": [{"number": row["phone"]}] if row["phone"] else [],
            "locations": [{"addresses": [{"address_1": row["address"]}]}]
            if row["address"] else [],
            "url": row["url"], "assured_date": row["assured_date"], "status": row["status"],
            "x_helpbot_deadline": row["deadline"], "x_helpbot_level": row["x_helpbot_level"],
            "x_helpbot_where_to_go": row["x_helpbot_where_to_go"],
            "x_helpbot_helps_with": split("x_helpbot_helps_with"),
            "x_helpbot_conditions": json.loads(row["x_helpbot_conditions"] or "{}"),
            "x_helpbot_language": row.get("x_helpbot_language") or None,
        })
    return services


def to_faq_yaml(services: list[dict[str, Any]]) -> str:
    """HSDS services as a ``faq/`` YAML file (``helpbot faq check`` then checks it)."""
    header = "# Imported from HSDS 3 (`helpbot programs import`); run `helpbot faq check`.\n"
    body = yaml.safe_dump([_faq_fields(s) for s in services], allow_unicode=True,
                          sort_keys=False, width=1000)
    return header + body
