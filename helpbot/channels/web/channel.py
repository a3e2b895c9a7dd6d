"""Wire the web chat into the app: on or off, its limits, JSON errors under its API.

The web chat is a channel anyone who can reach the server may use, so it is on by default
only where nothing else is connected (the quick start). With LINE or Slack configured it
is off unless HELPBOT_WEB_CHAT=on; off, its paths answer 404 with a short note.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, jsonify, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from helpbot.errors import DatabaseError, StorageError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/playground"
OFF_NOTE = (
    "The web chat is off on this server. Its operator can turn it on with HELPBOT_WEB_CHAT=on."
)

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

off_blueprint = Blueprint("web_chat_off", __name__)


@off_blueprint.route("/", methods=ALL_METHODS)
@off_blueprint.route(f"{API_PREFIX}/<path:rest>", methods=ALL_METHODS)
def web_chat_off(rest: str = "") -> tuple[Response, int]:
    if request.path.startswith(API_PREFIX):
        return jsonify(error=OFF_NOTE), 404
    return Response(OFF_NOTE + "\n", mimetype="text/plain"), 404


def _api_errors_as_json(error: HTTPException) -> HTTPException | tuple[Response, int]:
    """Under the web chat API every error is JSON (405, 413, ...); elsewhere Flask's own."""
    if not request.path.startswith(API_PREFIX) or error.response is not None:
        return error
    return jsonify(error=error.description or error.name), error.code or 400


def _storage_errors_as_503(error: Exception) -> tuple[Response, int]:
    """The database failing under the web chat: a clear 503, never a 500 page."""
    if not request.path.startswith(API_PREFIX):
        raise error
    logger.warning("web chat: the database failed (%s)", type(error).__name__)
    return jsonify(error="一時的に使えません。少し待ってから送ってください。"
                         " Temporarily unavailable: please try again in a moment."), 503


def install_web_chat(app: Flask) -> None:
    """Register the web chat's blueprints (or the 404 note), its limits and error format."""
    settings = app.extensions["helpbot"].settings
    if not settings.web_chat_enabled:
        app.register_blueprint(off_blueprint)
        logger.info("The web chat is off (HELPBOT_WEB_CHAT): GET / and %s/ answer 404.",
                    API_PREFIX)
        return
    if settings.line_enabled or settings.slack_enabled:
        limits = (
            f"limits: {settings.web_chat_session_limit} per session, "
            f"{settings.web_chat_client_limit} per client, "
            f"{settings.web_chat_new_session_limit} new sessions per client; counted per process"
            if settings.web_chat_limited
            else "limits are off: HELPBOT_WEB_CHAT_LIMITS=off"
        )
        logger.warning(
            "HELPBOT_WEB_CHAT=on with LINE or Slack configured: anyone who can reach this "
            "server can chat and open cases for your staff (%s). Set "
            "HELPBOT_WEB_CHAT=off unless you mean to offer the web chat.", limits,
        )
    from helpbot.channels.web.limits import WebChatLimits
    from helpbot.channels.web.playground import blueprint as playground
    from helpbot.channels.web.staff_pane import blueprint as staff_pane

    app.register_blueprint(playground)
    app.register_blueprint(staff_pane)
    # Limits beside LINE or Slack (a public web chat); the local playground has none unless
    # HELPBOT_WEB_CHAT_LIMITS=on, so a newcomer or a script may try many messages.
    limited = settings.web_chat_limited
    app.extensions["web_chat_limits"] = (
        WebChatLimits(app, settings, [playground, staff_pane]) if limited else None
    )
    app.register_error_handler(HTTPException, _api_errors_as_json)
    for storage_error in (SQLAlchemyError, StorageError, DatabaseError):
        app.register_error_handler(storage_error, _storage_errors_as_503)
