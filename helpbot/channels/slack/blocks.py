"""Block Kit for a case: what a case worker sees, and the buttons to act on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from helpbot.cases.ports import CaseView
from helpbot.cases.states import CaseReason, CaseState, Urgency

CLAIM_ACTION = "case_claim"
RESOLVE_ACTION = "case_resolve"
MAX_SECTION = 2900

_WHO = {"person": "👤", "bot": "🤖", "staff": "🧑‍💼"}
_REASONS = {
    CaseReason.ASKED: "asked for a person",
    CaseReason.BOT_FAILED: "the bot could not answer twice",
    CaseReason.CRISIS: "danger signs",
}
_SATISFACTION = {3: "good", 2: "OK", 1: "not good"}


def waited_text(waited: dt.timedelta) -> str:
    minutes = int(waited.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def state_text(view: CaseView) -> str:
    if view.state is CaseState.CLAIMED:
        return f"claimed by <@{view.claimed_by}>" if view.claimed_by else "claimed"
    if view.state is CaseState.RESOLVED:
        who = f" by <@{view.claimed_by}>" if view.claimed_by else ""
        csat = _SATISFACTION.get(view.satisfaction or 0)
        return f"resolved{who}" + (f" · person said: {csat}" if csat else "")
    return "open: waiting for a case worker"


def summary_text(view: CaseView) -> str:
    """The plain-text fallback (notifications, screen readers)."""
    urgent = "URGENT " if view.urgency is Urgency.URGENT else ""
    return f"{urgent}Case #{view.number}: {state_text(view)}"


def case_blocks(view: CaseView) -> list[dict[str, Any]]:
    urgent = view.urgency is Urgency.URGENT
    title = f"{'🚨 URGENT · ' if urgent else ''}Case #{view.number}"
    reason = _REASONS[view.reason]
    if view.crisis_category:
        reason += f" ({view.crisis_category})"
    fields = [
        f"*State*\n{state_text(view)}",
        f"*Waited*\n{waited_text(view.waited)}",
        f"*Why*\n{reason}",
        f"*Topic (bot's guess)*\n{view.topic or '-'}",
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
                    f"{view.person_channel.upper()}. Lines starting with `//` stay internal. "
                    "Contact details are masked.",
                }
            ],
        },
    ]
    buttons = []
    if view.state is CaseState.OPEN:
        buttons.append(_button("Claim", CLAIM_ACTION, view.number, style="primary"))
    if view.state in {CaseState.OPEN, CaseState.CLAIMED}:
        buttons.append(_button("Resolve", RESOLVE_ACTION, view.number))
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
