"""``POST /webhooks/slack``: events, interactivity and slash commands, handed to bolt."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from helpbot.channels.slack.guards import malformed_auth_headers

blueprint = Blueprint("slack", __name__)


@blueprint.post("/webhooks/slack")
def receive_slack_request() -> Response | tuple[Response, int]:
    services = current_app.extensions["helpbot"]
    if services.slack_handler is None:
        return jsonify(
            error="Slack is not configured: set SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and "
            "SLACK_ESCALATION_CHANNEL and restart helpbot."
        ), 503
    problem = malformed_auth_headers(request.headers)
    if problem is not None:
        return jsonify(error=problem), 401
    return services.slack_handler.handle(request)
