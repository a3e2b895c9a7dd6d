"""Signing in to the staff pages: Sign in with Slack when it is configured, else a token
from ``helpbot staff token`` typed into the form. Either way a session cookie follows."""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for

from helpbot.channels.staff.access import (
    COOKIE,
    COOKIE_PATH,
    STATE_COOKIE,
    safe_next,
    services,
    set_session_cookie,
)
from helpbot.errors import StaffSignInError
from helpbot.storage.models import StaffAccessKind
from helpbot.storage.staff_access import close_session, find_access, open_session

logger = logging.getLogger(__name__)

blueprint = Blueprint("staff_sign_in", __name__, url_prefix="/staff",
                      template_folder="templates")
EXTENSION = "helpbot_staff_sign_in"


def _slack() -> Any:
    return current_app.extensions.get(EXTENSION)


@blueprint.get("/sign-in")
def sign_in_page() -> Any:
    return render_template("staff_sign_in.html", slack=_slack() is not None,
                           next=safe_next(request.args.get("next")), problem=None)


@blueprint.post("/sign-in")
def sign_in_with_token() -> Any:
    """The token form (only without Sign in with Slack)."""
    target = safe_next(request.form.get("next"))
    if _slack() is not None:
        return render_template("staff_sign_in.html", slack=True, next=target,
                               problem="Sign in with Slack."), 400
    app = services()
    token = request.form.get("token", "").strip()
    staff = find_access(app.database, token, kind=StaffAccessKind.TOKEN, now=app.clock())
    if staff is None:
        logger.info("staff sign-in: a wrong or expired token")
        return render_template(
            "staff_sign_in.html", slack=False, next=target,
            problem="このトークンは使えません（期限切れか、まちがい）。 This token is not valid: "
                    "make a new one with `helpbot staff token`.",
        ), 401
    secret = open_session(app.database, staff, now=app.clock())
    return set_session_cookie(redirect(target), secret)


@blueprint.get("/sign-in/slack")
def sign_in_with_slack() -> Any:
    slack = _slack()
    if slack is None:
        return redirect(url_for("staff_sign_in.sign_in_page"))
    state = secrets.token_urlsafe(24)
    target = safe_next(request.args.get("next"))
    response = redirect(slack.authorize_url(
        redirect_uri=url_for("staff_sign_in.slack_callback", _external=True),
        state=state, nonce=secrets.token_urlsafe(16),
    ))
    response.set_cookie(STATE_COOKIE, f"{state} {target}", max_age=600, path=COOKIE_PATH,
                        httponly=True, secure=request.is_secure, samesite="Lax")
    return response


@blueprint.get("/sign-in/slack/callback")
def slack_callback() -> Any:
    slack = _slack()
    state, _, target = request.cookies.get(STATE_COOKIE, "").partition(" ")
    given = request.args.get("state", "")
    code = request.args.get("code", "")
    problem = None
    if slack is None:
        problem = "Sign in with Slack is not configured."
    elif not state or not hmac.compare_digest(state, given) or not code:
        problem = "The sign-in expired or came from elsewhere; start again."
    if problem is None:
        try:
            staff = slack.finish(
                code=code[:256],
                redirect_uri=url_for("staff_sign_in.slack_callback", _external=True),
            )
        except StaffSignInError as why:
            problem = str(why)
    if problem is not None:
        response = current_app.make_response((render_template(
            "staff_sign_in.html", slack=slack is not None, next=safe_next(target),
            problem=problem), 401))
        response.delete_cookie(STATE_COOKIE, path=COOKIE_PATH)
        return response
    app = services()
    secret = open_session(app.database, staff, now=app.clock())
    response = set_session_cookie(redirect(safe_next(target)), secret)
    response.delete_cookie(STATE_COOKIE, path=COOKIE_PATH)
    return response


@blueprint.post("/sign-out")
def sign_out() -> Any:
    secret = request.cookies.get(COOKIE, "")
    if secret:
        close_session(services().database, secret)
    response = redirect(url_for("staff_sign_in.sign_in_page"))
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


def install_sign_in(app: Flask) -> None:
    settings = app.extensions["helpbot"].settings
    if settings.slack_enabled and settings.slack_client_id:
        from helpbot.channels.slack.wiring import slack_sign_in

        app.extensions[EXTENSION] = slack_sign_in(settings)
    app.register_blueprint(blueprint)
