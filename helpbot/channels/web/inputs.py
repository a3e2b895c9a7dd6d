"""What the web chat accepts: a bounded JSON object, storable text, a message id.

Anything else is refused with a 4xx and a short JSON ``{"error": ...}``; nothing a browser
or a script can send reaches the database unchecked.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any, NoReturn

from flask import abort, g, jsonify, make_response, request

from helpbot.core.messages import MAX_ROW_ID

MAX_BODY_BYTES = 16 * 1024
MAX_TEXT = 2000
MAX_POSTBACK = 300
# The largest id an INTEGER column holds on PostgreSQL (messages.id, cases.number).
MAX_ID = MAX_ROW_ID
_ID = re.compile(r"[0-9]{1,10}")
# NUL (PostgreSQL refuses it), other control characters but tab and newlines, and lone
# surrogates (no UTF-8 encoding exists for them).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_JSON = object()


def refuse(status: int, message: str) -> NoReturn:
    """Stop the request with ``status`` and ``{"error": message}``."""
    abort(make_response(jsonify(error=message), status))


def storable(text: str) -> str:
    """The text without the characters no database column can keep (surrogates become �)."""
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", text)


def _parsed_body() -> Any:
    """The request body as JSON, parsed once per request; ``_NOT_JSON`` when it is not."""
    if "web_chat_body" not in g:
        g.web_chat_body = _NOT_JSON
        length = request.content_length
        if request.is_json and (length is None or length <= MAX_BODY_BYTES):
            raw = request.get_data(cache=True)
            if len(raw) <= MAX_BODY_BYTES:
                # Deep nesting raises RecursionError, not ValueError.
                with contextlib.suppress(UnicodeDecodeError, ValueError, RecursionError):
                    g.web_chat_body = json.loads(raw.decode("utf-8"))
    return g.web_chat_body


def body_or_none() -> dict[str, Any] | None:
    """The JSON object of the request, or None; never raises (for rate-limit keys)."""
    body = _parsed_body()
    return body if isinstance(body, dict) else None


def json_object(example: str) -> dict[str, Any]:
    """The JSON object of the request; refuse anything else, naming what to send."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        refuse(413, f"the body is limited to {MAX_BODY_BYTES} bytes")
    if not request.is_json:
        refuse(415, f"send JSON (Content-Type: application/json) like {example}")
    body = _parsed_body()
    if not isinstance(body, dict):
        refuse(400, f"send one JSON object (UTF-8, at most {MAX_BODY_BYTES} bytes) like {example}")
    return body


def text_field(body: dict[str, Any], name: str, *, limit: int) -> str | None:
    """A non-blank string field, made storable; None when absent or blank; refuse if too long."""
    value = body.get(name)
    if not isinstance(value, str):
        return None
    value = storable(value)
    if not value.strip():
        return None
    if len(value) > limit:
        refuse(400, f"{name} is limited to {limit} characters")
    return value


def message_id_arg(name: str) -> int:
    """A non-negative message id from the query string (0 when absent)."""
    raw = request.args.get(name, "0")
    if not _ID.fullmatch(raw) or int(raw) > MAX_ID:
        refuse(400, f"{name} must be a message id: a whole number from 0 to {MAX_ID}")
    return int(raw)
