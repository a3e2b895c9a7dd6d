"""The playground's staff pane: claim, reply and resolve without Slack.

Only when Slack is not configured, and only for the cases of the caller's own playground
session: the pane is for trying both sides, never a window onto real people's cases.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from helpbot.cases.ports import CaseView
from helpbot.cases.service import CaseNotFoundError, cases_of_contact
from helpbot.cases.states import InvalidTransitionError
from helpbot.channels.slack.blocks import state_text, waited_text
from helpbot.channels.web.playground import CHANNEL, SESSION_ID

blueprint = Blueprint("staff_pane", __name__)

WORKER_ID = "playground-worker"
WORKER_NAME = "you (playground)"


def _view_json(view: CaseView) -> dict[str, Any]:
    return {
        "number": view.number,
        "state": view.state,
        "state_text": state_text(view).replace(f"<@{WORKER_ID}>", WORKER_NAME),
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
    session_id = request.args.get("session", "")
    if not SESSION_ID.match(session_id):
        return jsonify(error="session must be 8-64 letters, digits, - or _"), 400
    return None


@blueprint.get("/api/playground/cases")
def list_cases() -> tuple[Response, int]:
    services = current_app.extensions["helpbot"]
    views = cases_of_contact(
        services.database, channel=CHANNEL, user_id=request.args["session"], now=services.clock()
    )
    return jsonify(cases=[_view_json(v) for v in views]), 200


@blueprint.post("/api/playground/cases/<int:number>/<action>")
def act_on_case(number: int, action: str) -> tuple[Response, int]:
    if not _own_case(request.args["session"], number):
        return jsonify(error=f"there is no case #{number} in this playground session"), 404
    cases = current_app.extensions["helpbot"].cases
    try:
        if action == "claim":
            cases.claim(number, worker_id=WORKER_ID, worker_name=WORKER_NAME)
        elif action == "resolve":
            cases.resolve(number, worker_id=WORKER_ID, worker_name=WORKER_NAME)
        elif action == "reply":
            body = request.get_json(silent=True) or {}
            text = body.get("text") if isinstance(body, dict) else None
            if not isinstance(text, str) or not text.strip():
                return jsonify(error="send JSON like {\"text\": \"...\"}"), 400
            cases.reply_as_worker(number, worker_name=WORKER_NAME, text=text[:2000])
        else:
            return jsonify(error="action must be claim, reply or resolve"), 404
    except (InvalidTransitionError, CaseNotFoundError) as why:
        return jsonify(error=str(why)), 409
    return jsonify(ok=True), 200
