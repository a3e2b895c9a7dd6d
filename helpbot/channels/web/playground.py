"""``GET /`` serves the web chat page; ``/api/playground/messages`` talks to the core."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from helpbot.channels.web.inputs import (
    MAX_POSTBACK,
    MAX_TEXT,
    json_object,
    message_id_arg,
    refuse,
    text_field,
)
from helpbot.channels.web.session import (
    CHANNEL,
    given_session,
    new_session_id,
    remember,
    required_session,
    session_exists,
)
from helpbot.conversation.turn import SENT, Sent, Turn
from helpbot.core.messages import Incoming, MessageKind, Reply
from helpbot.storage import history

STATIC = Path(__file__).parent / "static"
EXAMPLE = '{"text": "..."}'

blueprint = Blueprint(
    "playground", __name__, static_folder="static", static_url_path="/static/web"
)


@functools.cache
def _page() -> bytes:
    return (STATIC / "playground.html").read_bytes()


@blueprint.get("/")
def playground_page() -> Response:
    return Response(_page(), mimetype="text/html")


@blueprint.get("/api/playground/config")
def playground_config() -> Response:
    return jsonify(staff_pane=current_app.extensions["helpbot"].slack_handler is None)


def _reply_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "quick_replies": [
            {"label": q.label, "postback": q.postback, "display_text": q.display_text}
            for q in reply.quick_replies
        ],
    }


def in_response(turn: Turn, *, resend: bool) -> Sent:
    """The web chat's transport: the replies go out as this request's response body."""
    return SENT


def _incoming(body: dict[str, Any], session_id: str) -> Incoming:
    postback = text_field(body, "postback", limit=MAX_POSTBACK)
    text = text_field(body, "text", limit=MAX_TEXT)
    if postback is not None:
        kind, text = MessageKind.POSTBACK, ""
    elif text is not None:
        kind, postback = MessageKind.TEXT, ""
    elif body.get("event") == "follow":
        kind, text, postback = MessageKind.FOLLOW, "", ""
    else:
        refuse(400, f"send a non-empty text or a postback, like {EXAMPLE}")
    return Incoming(
        channel=CHANNEL,
        user_id=session_id,
        kind=kind,
        received_at=dt.datetime.now(dt.UTC),
        text=text,
        postback=postback,
    )


@blueprint.post("/api/playground/messages")
def playground_message() -> tuple[Response, int]:
    body = json_object(EXAMPLE)
    session_id = given_session(body)
    services = current_app.extensions["helpbot"]
    minted = session_id is None
    if session_id is None:
        session_id = new_session_id()
    incoming = _incoming(body, session_id)
    limits = current_app.extensions["web_chat_limits"]
    if limits is not None and (minted or not session_exists(services.database, session_id)):
        allowed, retry_after = limits.new_session_allowed()
        if not allowed:
            return limits.too_many_sessions(retry_after)
    turn = services.conversation.answer(incoming, in_response)
    response = jsonify(
        replies=[
            {"id": row_id, **_reply_json(reply)}
            for row_id, reply in zip(turn.outbound_ids, turn.replies, strict=True)
        ],
        decision=turn.decision,
        entry_id=turn.entry_id,
        last_message_id=max(turn.outbound_ids, default=None),
    )
    if minted:
        remember(response, session_id)
    return response, 200


@blueprint.get("/api/playground/messages")
def playground_new_messages() -> tuple[Response, int]:
    """Messages that reached this session later: a case worker's replies, notices."""
    session_id = required_session()
    after = message_id_arg("after")
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
