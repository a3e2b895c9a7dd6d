"""``POST /webhooks/line``: verify, store, answer 200; the answering happens off this path."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from helpbot.errors import RejectedWebhook

logger = logging.getLogger(__name__)

blueprint = Blueprint("line", __name__)


@blueprint.post("/webhooks/line")
def receive_line_webhook() -> tuple[Response, int]:
    services = current_app.extensions["helpbot"]
    if services.line is None:
        return jsonify(
            error="LINE is not configured: set LINE_CHANNEL_SECRET and "
            "LINE_CHANNEL_ACCESS_TOKEN and restart helpbot."
        ), 503
    try:
        # Bytes as they came (WSGI gives headers as latin-1 text): compared as bytes.
        signature = request.headers.get("X-Line-Signature", "").encode("latin-1", "replace")
        accepted = services.line.accept(request.get_data(cache=False), signature)
    except RequestEntityTooLarge:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return jsonify(error=f"body is larger than {limit} bytes"), 413
    except RejectedWebhook as rejected:
        logger.warning("rejected a LINE webhook: %s", rejected)
        return jsonify(error=str(rejected)), rejected.status
    # The same JSON as jsonify, without its provider machinery on the hot path.
    body = f'{{"new":{len(accepted.new_row_ids)},"received":{accepted.received}}}\n'
    return Response(body, 200, mimetype="application/json"), 200
