"""Who may see the staff pages: a session cookie made by signing in (Slack or a token)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, g, redirect, request

from helpbot.storage.models import StaffAccessKind
from helpbot.storage.staff_access import SESSION_HOURS, find_access

COOKIE = "helpbot_staff"
STATE_COOKIE = "helpbot_staff_state"
COOKIE_PATH = "/staff"


def services() -> Any:
    return current_app.extensions["helpbot"]


def signed_in_staff() -> Any:
    """The StaffMember of this request's cookie, or None."""
    secret = request.cookies.get(COOKIE, "")
    if not secret:
        return None
    app = services()
    return find_access(app.database, secret, kind=StaffAccessKind.SESSION, now=app.clock())


def staff_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a visitor without a staff session to the sign-in page (pages) or answer 401."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        staff = signed_in_staff()
        if staff is None:
            if request.path.endswith(".svg"):
                return Response("sign in first\n", status=401, mimetype="text/plain")
            return redirect(f"{COOKIE_PATH}/sign-in?next={quote(request.full_path)}")
        g.staff = staff
        return view(*args, **kwargs)

    return guarded


def set_session_cookie(response: Response, secret: str) -> Response:
    response.set_cookie(
        COOKIE, secret, max_age=SESSION_HOURS * 3600, path=COOKIE_PATH, httponly=True,
        secure=request.is_secure, samesite="Lax",
    )
    return response


def safe_next(value: str | None) -> str:
    """Only a path of the staff pages: never an open redirect to another site."""
    if value and value.startswith(f"{COOKIE_PATH}/") and "//" not in value and "\\" not in value:
        return value
    return f"{COOKIE_PATH}/report"
