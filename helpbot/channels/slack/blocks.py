"""Block Kit for a case: what a case worker sees, and the buttons to act on it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from helpbot.cases.ports import ERASED_NOTICE, CaseView
from helpbot.cases.states import CaseReason, CaseState, Urgency

CASE_NUMBER = re.compile(r"[0-9]{1,9}")  # a case number in a button's value or a form
CLAIM_ACTION = "case_claim"
RESOLVE_ACTION = "case_resolve"
FALSE_ALARM_ACTION = "case_not_crisis"
CLEAR_ANSWERS_ACTION = "case_clear_program_answers"
FOLLOWUP_ACTION = "case_followup"
FOLLOWUP_CALLBACK = "case_followup_form"
MAX_SECTION = 2900

_WHO = {"person": "👤", "bot": "🤖", "staff": "🧑‍💼"}
_REASONS = {
    CaseReason.ASKED: "asked for a person",
    CaseReason.BOT_FAILED: "the bot could not answer twice",
    CaseReason.CRISIS: "danger signs",
}
_SATISFACTION = {3: "good", 2: "OK", 1: "not good"}
# Where the person writes from, as case workers know it.
_CHANNELS = {"line": "LINE", "web": "Web チャット"}


def channel_label(view: CaseView) -> str:
    return _CHANNELS.get(view.person_channel, view.person_channel.upper())


_LANGUAGES = {
    "ja": "日本語", "easy": "やさしい日本語", "en": "English", "zh": "中文", "ko": "한국어",
    "vi": "Tiếng Việt", "pt": "Português", "es": "Español", "tl": "Tagalog", "ne": "नेपाली",
    "id": "Bahasa Indonesia", "my": "မြန်မာ (ミャンマー語)",
}


def language_text(view: CaseView) -> str:
    """The person's language, and whether they asked for やさしい日本語."""
    shown = _LANGUAGES.get(view.person_language, view.person_language)
    if view.easy_japanese:
        return f"{shown} · やさしい日本語を希望 (asked for easy Japanese)"
    return shown


def waited_text(waited: dt.timedelta) -> str:
    minutes = int(waited.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def worker_text(view: CaseView) -> str:
    """``<@U…> (さとう)``: the mention, and the name from users.info when it differs."""
    return _mention(view.claimed_by, view.claimed_by_name)


def _mention(user_id: str | None, name: str | None) -> str:
    shown = f" ({name})" if name and name != user_id else ""
    return f"<@{user_id}>{shown}"


def state_text(view: CaseView) -> str:
    if view.state is CaseState.CLAIMED:
        return f"claimed by {worker_text(view)}" if view.claimed_by else "claimed"
    if view.state is CaseState.RESOLVED:
        if view.resolved_by:  # who resolved it; claimed_by stays who claimed it
            who = f" by {_mention(view.resolved_by, None)}"
        else:
            who = f" by {worker_text(view)}" if view.claimed_by else ""
        csat = _SATISFACTION.get(view.satisfaction or 0)
        return f"resolved{who}" + (f" · person said: {csat}" if csat else "")
    return "open: waiting for a case worker"


def summary_text(view: CaseView) -> str:
    """The plain-text fallback (notifications, screen readers)."""
    if view.erased:
        return f"Case #{view.number}: {ERASED_NOTICE}"
    urgent = "URGENT " if view.urgency is Urgency.URGENT else ""
    return f"{urgent}Case #{view.number} ({channel_label(view)}): {state_text(view)}"


def case_blocks(view: CaseView) -> list[dict[str, Any]]:
    if view.erased:
        return [
            {"type": "header", "text": {"type": "plain_text",
                                        "text": f"Case #{view.number} · {channel_label(view)}"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": ERASED_NOTICE}},
        ]
    urgent = view.urgency is Urgency.URGENT
    title = f"{'🚨 URGENT · ' if urgent else ''}Case #{view.number} · {channel_label(view)}"
    reason = _REASONS[view.reason]
    if view.crisis_category:
        reason += f" ({view.crisis_category}: {view.crisis_why or '-'})"
    if view.false_alarm_by:
        reason += f"\n危険ではない: marked by <@{view.false_alarm_by}>"
    fields = [
        f"*State*\n{state_text(view)}",
        f"*Waited*\n{waited_text(view.waited)}",
        f"*Why*\n{reason}",
        f"*Topic (bot's guess)*\n{view.topic or '-'}",
        f"*Channel*\n{channel_label(view)}",
        f"*Language*\n{language_text(view)}",
    ]
    recent = "\n".join(f"{_WHO.get(m.who, '•')} {m.text}" for m in view.recent) or "-"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*Recent messages*\n{recent}"[:MAX_SECTION]},
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "Reply in this thread to answer the person on "
                    f"{channel_label(view)}. Lines starting with `//` stay internal. "
                    "Contact details are masked.",
                }
            ],
        },
    ]
    if view.followups:
        lines = "\n".join(view.followups)
        blocks.append(
            {"type": "section",
             "text": {"type": "mrkdwn", "text": f"*Follow-ups*\n{lines}"[:MAX_SECTION]}}
        )
    if view.program_answers:
        lines = "\n".join(view.program_answers)
        blocks.append(
            {"type": "section",
             "text": {"type": "mrkdwn", "text": f"*制度さがしの回答*\n{lines}"[:MAX_SECTION]}}
        )
    buttons = []
    if view.state is CaseState.OPEN:
        buttons.append(_button("Claim", CLAIM_ACTION, view.number, style="primary"))
    if view.state in {CaseState.OPEN, CaseState.CLAIMED}:
        buttons.append(_button("Resolve", RESOLVE_ACTION, view.number))
    buttons.append(_button("Follow-up", FOLLOWUP_ACTION, view.number))
    if view.crisis_category and not view.false_alarm_by:
        buttons.append(_button("危険ではない", FALSE_ALARM_ACTION, view.number))
    if view.program_answers:
        buttons.append(_button("回答を消す", CLEAR_ANSWERS_ACTION, view.number))
    if buttons:
        blocks.append({"type": "actions", "block_id": f"case-{view.number}", "elements": buttons})
    return blocks


def _button(text: str, action_id: str, case_number: int, *, style: str | None = None):
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": str(case_number),
    }
    if style:
        button["style"] = style
    return button


def followup_form(case_number: str) -> dict[str, Any]:
    """The modal a worker fills in to schedule a follow-up for the person of a case."""
    return {
        "type": "modal",
        "callback_id": FOLLOWUP_CALLBACK,
        "private_metadata": str(case_number),
        "title": {"type": "plain_text", "text": f"Follow-up · case #{case_number}"[:24]},
        "submit": {"type": "plain_text", "text": "Schedule"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "when",
                "label": {"type": "plain_text", "text": "When"},
                "hint": {
                    "type": "plain_text",
                    "text": "e.g. 3日後, 来週月曜 10時, in 2 days, 2026-12-01 10:00. "
                    "Quiet hours (21:00-08:00) move it to the morning.",
                },
                "element": {"type": "plain_text_input", "action_id": "when"},
            },
            {
                "type": "input",
                "block_id": "message",
                "label": {"type": "plain_text", "text": "Message to the person"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "message",
                    "multiline": True,
                    "max_length": 1000,
                },
            },
            {
                "type": "input",
                "block_id": "keep",
                "optional": True,
                "label": {"type": "plain_text", "text": "After the case is resolved"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "keep",
                    "options": [
                        {
                            "text": {"type": "plain_text", "text": "Send it anyway"},
                            "value": "keep",
                        }
                    ],
                },
            },
        ],
    }


def followup_fields(view: dict[str, Any]) -> tuple[int, str, str, bool] | None:
    """(case id, when, message, keep) from the follow-up form, or None when it is malformed."""
    try:
        values = view["state"]["values"]
        when_text = values["when"]["when"]["value"] or ""
        message = values["message"]["message"]["value"] or ""
        keep = bool(values.get("keep", {}).get("keep", {}).get("selected_options"))
        metadata = str(view.get("private_metadata", ""))
    except (KeyError, TypeError, AttributeError):
        return None
    if CASE_NUMBER.fullmatch(metadata) is None or not isinstance(when_text, str):
        return None
    return int(metadata), when_text, str(message), keep
