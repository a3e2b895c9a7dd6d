"""A support program's answer in plain language, written from its fields."""

from __future__ import annotations

import datetime as dt

from helpbot.knowledge.entries import Entry

_LABELS = {
    "ja": {
        "for": "対象",
        "area": "地域",
        "apply": "申し込み方法",
        "documents": "持っていくもの",
        "phone": "電話",
        "url": "ウェブ",
        "address": "場所",
        "hours": "受付時間",
        "deadline": "締め切り",
        "checked": "情報確認日",
    },
    "en": {
        "for": "Who it is for",
        "area": "Area",
        "apply": "How to apply",
        "documents": "What to bring",
        "phone": "Phone",
        "url": "Web",
        "address": "Address",
        "hours": "Hours",
        "deadline": "Deadline",
        "checked": "Information checked on",
    },
}


def render_program_answer(entry: Entry) -> str:
    """Write a plain-language answer from a support program's fields."""
    english = entry.language == "en"
    labels = _LABELS["en" if english else "ja"]
    lines = [f"[{entry.name}]" if english else f"【{entry.name}】"]
    if entry.summary:
        lines.append(entry.summary)
    rows = (
        ("for", entry.eligibility),
        ("area", entry.area),
        ("apply", entry.how_to_apply),
        ("documents", "、".join(entry.program.required_documents) if entry.program else None),
        ("phone", entry.contact.phone),
        ("url", entry.contact.url),
        ("address", entry.contact.address),
        ("hours", entry.hours),
        ("deadline", _format_date(entry.deadline, english=english)),
        ("checked", _format_date(entry.last_checked, english=english)),
    )
    lines.extend(f"{labels[label]}: {value}" for label, value in rows if value)
    return "\n".join(lines)


def _format_date(date: dt.date | None, *, english: bool) -> str | None:
    if date is None:
        return None
    return date.isoformat() if english else f"{date.year}年{date.month}月{date.day}日"
