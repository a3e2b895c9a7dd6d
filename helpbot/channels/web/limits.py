"""Rate limits of the web chat, with flask-limiter, counted in memory in each process.

- messages and staff-pane actions (POST): per session and per client address;
- polls and the page (GET): per client address;
- new sessions: per client address, so one client cannot create unlimited contacts.

With several gunicorn workers each counts on its own, so a client may get up to
"workers x limit" through; the limits are there to stop floods, not to meter.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time

from flask import Blueprint, Flask, Response, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import RateLimitItem, parse_many

from helpbot.channels.web.session import session_or_none
from helpbot.config import Settings

TOO_MANY = (
    "送信が多すぎます。少し待ってから、もう一度送ってください。"
    " Too many messages: please wait a little and try again."
)
TOO_MANY_SESSIONS = (
    "新しい会話が多すぎます。しばらくしてから、もう一度お試しください。"
    " Too many new conversations from here: please try again later."
)


def client_key() -> str:
    """The client's address (behind a proxy, set HELPBOT_TRUSTED_PROXIES to see the real one)."""
    return request.remote_addr or "unknown"


def too_many(error: RateLimitExceeded) -> Response:
    response = jsonify(error=TOO_MANY)
    response.status_code = 429
    return response


class WebChatLimits:
    """The limiter of one app, and the count of new sessions per client."""

    def __init__(self, app: Flask, settings: Settings, blueprints: list[Blueprint]) -> None:
        # Session ids are counted under a keyed hash: flask-limiter logs the keys it refuses.
        self._hash_key = secrets.token_bytes(16)
        self._limiter = Limiter(
            key_func=client_key,
            app=app,
            storage_uri="memory://",
            headers_enabled=True,
            retry_after="delta-seconds",
            key_prefix="web-chat",
            # A sliding window: a burst at a minute boundary does not get twice through.
            strategy="moving-window",
        )
        writes = [
            self._limiter.shared_limit(
                settings.web_chat_session_limit, "web-session", key_func=self.session_key,
                methods=["POST"], error_message=TOO_MANY,
            ),
            self._limiter.shared_limit(
                settings.web_chat_client_limit, "web-client", key_func=client_key,
                methods=["POST"], error_message=TOO_MANY,
            ),
            self._limiter.shared_limit(
                settings.web_chat_poll_limit, "web-poll", key_func=client_key,
                methods=["GET"], error_message=TOO_MANY,
            ),
        ]
        for blueprint in blueprints:
            for limit in writes:
                limit(blueprint)
        self._new_sessions: list[RateLimitItem] = parse_many(settings.web_chat_new_session_limit)
        app.register_error_handler(RateLimitExceeded, too_many)

    def session_key(self) -> str:
        session_id = session_or_none()
        if session_id is None:
            return f"new-session-from:{client_key()}"
        digest = hashlib.blake2b(session_id.encode(), key=self._hash_key, digest_size=12)
        return f"session:{digest.hexdigest()}"

    def new_session_allowed(self) -> tuple[bool, int]:
        """Count a new session for this client: (allowed, seconds to wait if not)."""
        key = client_key()
        strategy = self._limiter.limiter
        refused = [rate for rate in self._new_sessions
                   if not strategy.hit(rate, "web-chat-new-session", key)]
        if not refused:
            return True, 0
        reset = max(strategy.get_window_stats(rate, "web-chat-new-session", key).reset_time
                    for rate in refused)
        return False, max(1, math.ceil(reset - time.time()))

    def too_many_sessions(self, retry_after: int) -> tuple[Response, int]:
        response = jsonify(error=TOO_MANY_SESSIONS)
        response.headers["Retry-After"] = str(retry_after)
        return response, 429
