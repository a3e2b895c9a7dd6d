"""``POST /webhooks/slack``: events, interactivity and slash commands, handed to bolt.

Before bolt sees a request, its signature headers must be well formed and the signature must
match the raw bytes (401 otherwise): bolt parses the body before it checks the signature, and
its parser and comparison raise (a 500) on malformed input. A signed body that still is not
Slack's JSON or form is a 400.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

blueprint = Blueprint("slack", __name__)
logger = logging.getLogger(__name__)


@blueprint.post("/webhooks/slack")
def receive_slack_request() -> Response | tuple[Response, int]:
    services = current_app.extensions["helpbot"]
    if services.slack_handler is None:
        return jsonify(
            error="Slack is not configured: set SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and "
            "SLACK_ESCALATION_CHANNEL and restart helpbot."
        ), 503
    # bolt is imported only where Slack is configured (not in a LINE-only web process).
    from slack_bolt.adapter.flask.handler import to_bolt_request

    from helpbot.channels.slack.guards import (
        SHAPE_ERRORS,
        malformed_auth_headers,
        unreadable_by_bolt,
        valid_signature,
    )

    problem = malformed_auth_headers(request.headers)
    if problem is not None:
        return jsonify(error=problem), 401
    # Wall-clock time, as Slack's timestamp and bolt's own check use (not the app's clock).
    if not valid_signature(
        services.settings.slack_signing_secret,
        request.get_data(),
        timestamp=request.headers["X-Slack-Request-Timestamp"],
        signature=request.headers["X-Slack-Signature"],
        now=time.time(),
    ):
        return jsonify(error="invalid or stale X-Slack-Signature"), 401
    try:
        bolt_request = to_bolt_request(request)
    except (ValueError, RecursionError, *SHAPE_ERRORS):  # JSON or payload= that does not parse
        return jsonify(error="body is not Slack's JSON or form"), 400
    if unreadable_by_bolt(bolt_request.body):
        return jsonify(error="body is not shaped as Slack sends it"), 400
    return _dispatch(services.slack_handler.app, bolt_request)


def _dispatch(bolt: Any, bolt_request: Any) -> Response | tuple[Response, int]:
    """bolt's answer; when bolt could not authorise, a 503 so that Slack sends the request
    again, unless Slack refuses the bot token itself: a retry cannot mend that, and answering
    503 to every event would only make Slack turn the app's events off."""
    from slack_bolt.adapter.flask.handler import to_flask_response

    from helpbot.channels.slack.bolt_app import NOT_AUTHORIZED
    from helpbot.channels.slack.guards import refused_token

    answer = bolt.dispatch(bolt_request)
    if answer.status == 200 and answer.body == NOT_AUTHORIZED:
        code = refused_token(bolt.client)
        if code is None:
            return jsonify(error=NOT_AUTHORIZED), 503
        logger.critical(
            "Slack refuses SLACK_BOT_TOKEN (%s): workers' replies and clicks are not received. "
            "Put the app's current Bot User OAuth Token in SLACK_BOT_TOKEN and restart helpbot.",
            code,
        )
        return jsonify(error=f"Slack refuses helpbot's bot token ({code})"), 200
    return to_flask_response(answer)
