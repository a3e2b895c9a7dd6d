"""The playground's staff pane: claim, reply and resolve without Slack.

Only when Slack is not configured, and only for the cases of the caller's own web chat
session: the pane is for trying both sides, never a window onto real people's cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from helpbot.cases.ports import CaseView
from helpbot.cases.service import CaseService, cases_of_contact
from helpbot.cases.states import CaseState
from helpbot.channels.web.inputs import MAX_ID, MAX_TEXT, json_object, refuse, text_field
from helpbot.channels.web.session import CHANNEL, required_session
from helpbot.errors import CaseNotFoundError, InvalidTransitionError

blueprint = Blueprint("staff_pane", __name__)

WORKER_ID = "playground-worker"
WORKER_NAME = "you (playground)"
REPLY_EXAMPLE = '{"text": "..."}'
# The pane sits beside a Japanese chat: its words are Japanese (Slack keeps its own).
_SATISFACTION = {3: "よかった", 2: "ふつう", 1: "よくなかった"}


def state_text(view: CaseView) -> str:
    """The case's state in the pane's words; the playground's worker is 「あなた」."""
    who = "あなた" if view.claimed_by == WORKER_ID else (view.claimed_by_name or view.claimed_by)
    if view.state is CaseState.CLAIMED:
        return f"対応中（担当: {who}）" if who else "対応中"
    if view.state is CaseState.RESOLVED:
        said = _SATISFACTION.get(view.satisfaction or 0)
        text = "終了" + (f"（担当: {who}）" if who else "")
        return text + (f" · 相談者の声: {said}" if said else "")
    return "受付: 担当者を待っています"


def waited_text(waited: dt.timedelta) -> str:
    minutes = int(waited.total_seconds() // 60)
    return f"{minutes}分" if minutes < 60 else f"{minutes // 60}時間{minutes % 60}分"


def _view_json(view: CaseView) -> dict[str, Any]:
    return {
        "number": view.number,
        "state": view.state,
        "state_text": state_text(view),
        "urgency": view.urgency,
        "reason": view.reason,
        "topic": view.topic,
        "waited": waited_text(view.waited),
        "satisfaction": view.satisfaction,
        "recent": [{"who": m.who, "text": m.text} for m in view.recent],
    }


def _own_case(session_id: str, number: int) -> bool:
    services = current_app.extensions["helpbot"]
    views = cases_of_contact(
        services.database, channel=CHANNEL, user_id=session_id, now=services.clock()
    )
    return any(view.number == number for view in views)


@blueprint.before_request
def only_without_slack() -> tuple[Response, int] | None:
    if current_app.extensions["helpbot"].slack_handler is not None:
        return jsonify(error="Slack is configured: case workers act in Slack."), 404
    return None


@blueprint.get("/api/playground/cases")
def list_cases() -> tuple[Response, int]:
    services = current_app.extensions["helpbot"]
    views = cases_of_contact(
        services.database, channel=CHANNEL, user_id=required_session(), now=services.clock(),
        mask=services.cases.outbox.mask,  # the NPO's public numbers (faq/) stay visible
    )
    return jsonify(cases=[_view_json(v) for v in views]), 200


def _claim(cases: CaseService, number: int) -> None:
    cases.claim(number, worker_id=WORKER_ID, worker_name=WORKER_NAME)


def _resolve(cases: CaseService, number: int) -> None:
    cases.resolve(number, worker_id=WORKER_ID, worker_name=WORKER_NAME)


def _reply(cases: CaseService, number: int) -> None:
    text = text_field(json_object(REPLY_EXAMPLE), "text", limit=MAX_TEXT)
    if text is None:
        refuse(400, f"send JSON like {REPLY_EXAMPLE}")
    cases.relay_from_worker(number, worker_name=WORKER_NAME, worker_id=WORKER_ID, text=text)


ACTIONS: dict[str, Callable[[CaseService, int], None]] = {
    "claim": _claim,
    "reply": _reply,
    "resolve": _resolve,
}


@blueprint.post("/api/playground/cases/<int:number>/<action>")
def act_on_case(number: int, action: str) -> tuple[Response, int]:
    session_id = required_session()
    act = ACTIONS.get(action)
    if act is None:
        return jsonify(error="action must be claim, reply or resolve"), 404
    if number > MAX_ID or not _own_case(session_id, number):
        return jsonify(error=f"there is no case #{number} in this web chat session"), 404
    try:
        act(current_app.extensions["helpbot"].cases, number)
    except (InvalidTransitionError, CaseNotFoundError) as why:
        return jsonify(error=str(why)), 409
    return jsonify(ok=True), 200
