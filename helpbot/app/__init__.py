"""The Flask app factory: settings in, wired services and blueprints out.

The services themselves are wired in ``app/services.py`` (shared with the worker and the CLI).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, jsonify

from helpbot.app.services import Services, build_index, build_services, deferred_index
from helpbot.config import Settings, cases_reach_no_staff, load_settings
from helpbot.conversation.turn import utc_now
from helpbot.errors import DatabaseError
from helpbot.storage.health import check_database, ping
from helpbot.storage.redact import install_log_redaction

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "EXIT_BOOT_ERROR",
    "MAX_BODY_BYTES",
    "SECURITY_HEADERS",
    "Services",
    "build_index",
    "build_services",
    "check_database_or_exit",
    "create_app",
    "deferred_index",
    "security_headers",
]

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
# gunicorn's WORKER_BOOT_ERROR: the master stops instead of starting the worker again and again.
EXIT_BOOT_ERROR = 3

# No inline script or style anywhere (the web chat's are static files), no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


_SECURITY_HEADER_NAMES = tuple(
    (name.lower(), name, value) for name, value in SECURITY_HEADERS.items()
)


def security_headers(response: Response) -> Response:
    """The same protective headers on every response: pages, JSON, webhooks, errors.

    A header the view set itself is kept. One pass over the names: werkzeug's ``setdefault``
    scans all headers once per name, on every request.
    """
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    headers.extend([(name, value) for lower, name, value in _SECURITY_HEADER_NAMES
                    if lower not in present])
    return response


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], dt.datetime] = utc_now
) -> Flask:
    """Build the helpbot web app; ``settings`` default to the environment."""
    if settings is None:
        # The same defaults as the CLI: ./instance/helpbot.sqlite3 beside ./faq.
        settings = load_settings()
    install_log_redaction()
    app = Flask(__name__, instance_path=str(Path("instance").resolve()))
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    services = build_services(settings, clock=clock)
    check_database_or_exit(services)
    # Load the knowledge now so a missing faq/ folder fails at start-up, not on a message.
    snapshot = services.knowledge.snapshot()
    logger.info("knowledge loaded: %d entries from %s", len(snapshot.kb.entries),
                settings.faq_dir)
    no_staff = cases_reach_no_staff(settings)
    if no_staff:
        logger.warning(no_staff)
    elif services.slack_handler is None:
        logger.info(
            "Slack is not configured: cases are shown in the playground's staff pane. Set "
            "SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and SLACK_ESCALATION_CHANNEL to use Slack."
        )
    if services.line is None:
        logger.warning(
            "LINE is not configured: POST /webhooks/line answers 503. Set "
            "LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN to connect a LINE channel."
        )
    app.extensions["helpbot"] = services

    from helpbot.channels.line.webhook import blueprint as line_blueprint
    from helpbot.channels.slack.webhook import blueprint as slack_blueprint
    from helpbot.channels.staff.pages import install_staff_pages
    from helpbot.channels.web.channel import install_web_chat

    app.register_blueprint(line_blueprint)
    app.register_blueprint(slack_blueprint)
    install_web_chat(app)
    install_staff_pages(app)
    app.after_request(security_headers)
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )

    @app.get("/healthz")
    def health() -> Response:
        """Liveness: the process answers. Readiness is /readyz."""
        return jsonify(status="ok", entries=len(services.knowledge.snapshot().kb.entries))

    @app.get("/readyz")
    def ready() -> tuple[Response, int]:
        """Ready when the database answers and this process serves the published knowledge."""
        problem = ping(services.database)
        knowledge = services.knowledge.readiness()
        body = {
            "database": "ok" if problem is None else problem,
            "knowledge": {"serving": knowledge.serving, "published": knowledge.published,
                          "state": knowledge.reason},
        }
        if problem is None and knowledge.ready:
            return jsonify(status="ready", **body), 200
        reason = problem if problem is not None else knowledge.reason
        return jsonify(status="not ready", reason=reason, **body), 503

    return app


def check_database_or_exit(services: Services) -> None:
    """Stop start-up with one line (URL without password, cause) if the database is not ready."""
    try:
        check_database(services.database)
    except DatabaseError as error:
        services.close()
        print(f"helpbot: {error}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_BOOT_ERROR) from None
