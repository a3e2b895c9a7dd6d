"""``GET /`` serves the playground; ``POST /api/playground/messages`` talks to the core."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from helpbot.conversation.messages import Incoming, MessageKind, Reply
from helpbot.storage import history
from helpbot.storage.models import DeliveryStatus

CHANNEL = "web"
MAX_TEXT = 2000
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

blueprint = Blueprint("playground", __name__)


@functools.cache
def _page() -> bytes:
    return (Path(__file__).parent / "static" / "playground.html").read_bytes()


@blueprint.get("/")
def playground_page() -> Response:
    return Response(_page(), mimetype="text/html")


def _reply_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "quick_replies": [
            {"label": q.label, "postback": q.postback, "display_text": q.display_text}
            for q in reply.quick_replies
        ],
    }


@blueprint.post("/api/playground/messages")
def playground_message() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error="send JSON like {\"session\": \"...\", \"text\": \"...\"}"), 400
    session_id = body.get("session")
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
        return jsonify(error="session must be 8-64 letters, digits, - or _"), 400
    text = body.get("text")
    postback = body.get("postback")
    if isinstance(postback, str) and postback:
        kind, text = MessageKind.POSTBACK, ""
    elif isinstance(text, str) and text.strip():
        kind, postback = MessageKind.TEXT, ""
    elif body.get("event") == "follow":
        kind, text, postback = MessageKind.FOLLOW, "", ""
    else:
        return jsonify(error="send a non-empty text or a postback"), 400
    if len(text) > MAX_TEXT:
        return jsonify(error=f"messages are limited to {MAX_TEXT} characters"), 400
    services = current_app.extensions["helpbot"]
    turn = services.conversation.handle(
        Incoming(
            channel=CHANNEL,
            user_id=session_id,
            kind=kind,
            received_at=dt.datetime.now(dt.UTC),
            text=text,
            postback=postback,
        )
    )
    services.conversation.record_delivery(turn.outbound_ids, status=DeliveryStatus.SENT)
    services.conversation.deliver_staff_posts(turn)
    return jsonify(
        replies=[
            {"id": row_id, **_reply_json(reply)}
            for row_id, reply in zip(turn.outbound_ids, turn.replies, strict=True)
        ],
        decision=turn.decision,
        entry_id=turn.entry_id,
        last_message_id=max(turn.outbound_ids, default=None),
    ), 200


@blueprint.get("/api/playground/messages")
def playground_new_messages() -> tuple[Response, int]:
    """Messages that reached this session later: a case worker's replies, notices."""
    session_id = request.args.get("session", "")
    if not SESSION_ID.match(session_id):
        return jsonify(error="session must be 8-64 letters, digits, - or _"), 400
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        return jsonify(error="after must be a message id (a number)"), 400
    database = current_app.extensions["helpbot"].database
    with database.session() as session:
        rows = history.outbound_after(
            session, channel=CHANNEL, user_id=session_id, after_id=after
        )
        messages = [
            {"id": row.id, "kind": row.kind, "text": row.text,
             "quick_replies": (row.extra or {}).get("quick_replies", [])}
            for row in rows
        ]
    return jsonify(messages=messages), 200
