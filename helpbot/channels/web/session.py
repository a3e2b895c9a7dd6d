"""Which web chat session a request belongs to: a cookie the server sets, never the URL.

The first message without a session gets a new id in an HttpOnly, SameSite=Strict cookie
(Secure over https). Scripts may name a session in the ``X-Helpbot-Session`` header instead;
the ``session`` field of the JSON body and the ``?session=`` query parameter of the first
versions are still read, but put the id into logs and should not be used.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from flask import Response, request
from sqlalchemy import select

from helpbot.channels.web.inputs import body_or_none, refuse
from helpbot.storage.database import Database
from helpbot.storage.models import Contact

CHANNEL = "web"
COOKIE = "helpbot_web_session"
HEADER = "X-Helpbot-Session"
COOKIE_PATH = "/api/playground"
COOKIE_MAX_AGE = dt.timedelta(days=30)
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MALFORMED = "session must be 8-64 letters, digits, - or _"
MISSING = "no chat session yet: open the chat page, or send a message first (it sets a cookie)"


def _named(body: dict[str, Any] | None) -> list[object]:
    given = [request.headers.get(HEADER)]
    if body is not None:
        given.append(body.get("session"))
    given.append(request.args.get("session"))
    return [value for value in given if value is not None]


def _cookie() -> str | None:
    cookie = request.cookies.get(COOKIE)
    # A damaged cookie is as good as none: the next message replaces it.
    return cookie if cookie and SESSION_ID.fullmatch(cookie) else None


def given_session(body: dict[str, Any] | None = None) -> str | None:
    """The session the request names (header, legacy field, cookie); refuse a malformed one."""
    for value in _named(body):
        if isinstance(value, str) and SESSION_ID.fullmatch(value):
            return value
        refuse(400, MALFORMED)
    return _cookie()


def required_session() -> str:
    session_id = given_session()
    if session_id is None:
        refuse(400, MISSING)
    return session_id


def session_or_none() -> str | None:
    """Like ``given_session`` but never refuses (for rate-limit keys, before the view)."""
    for value in _named(body_or_none()):
        return value if isinstance(value, str) and SESSION_ID.fullmatch(value) else None
    return _cookie()


def new_session_id() -> str:
    return "web-" + secrets.token_urlsafe(18)


def remember(response: Response, session_id: str) -> None:
    """Give the browser its session in a cookie that scripts and other sites cannot use."""
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=COOKIE_MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )


def session_exists(database: Database, session_id: str) -> bool:
    with database.session() as session:
        found = session.scalar(
            select(Contact.id).where(
                Contact.channel == CHANNEL, Contact.channel_user_id == session_id
            )
        )
    return found is not None
