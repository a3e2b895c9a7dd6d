"""The Flask app factory: settings in, wired services and blueprints out."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, jsonify

from helpbot.background import CountingExecutor
from helpbot.cases.masking import KnowledgeMasker
from helpbot.cases.outbox import StaffOutbox
from helpbot.cases.ports import PlaygroundNotifier, StaffNotifier
from helpbot.cases.service import CaseService
from helpbot.channels.line.content import media_relay
from helpbot.channels.messenger import (
    ChannelSender,
    LinePushSender,
    PeopleMessenger,
    PlaygroundSender,
)
from helpbot.config import Settings, load_settings
from helpbot.conversation.service import ConversationService
from helpbot.conversation.turn import utc_now
from helpbot.core.retry import RetryPolicy
from helpbot.delivery.outbox import PeopleOutbox
from helpbot.errors import DatabaseError
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.knowledge.store import KnowledgeStore
from helpbot.matching.base import Matcher
from helpbot.personal_data.service import PersonalData
from helpbot.privacy import Pseudonymizer
from helpbot.reminders.gate import QuietHoursGate
from helpbot.reminders.service import Reminders
from helpbot.storage.database import Database
from helpbot.storage.health import check_database, ping
from helpbot.storage.inbox import Inbox
from helpbot.storage.knowledge_versions import KnowledgeBoard, process_name
from helpbot.storage.redact import install_log_redaction

if TYPE_CHECKING:
    from helpbot.channels.line.channel import LineChannel

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


@dataclass(slots=True)
class Services:
    """Everything the views need, built once per process."""

    settings: Settings
    database: Database
    knowledge: KnowledgeStore[Matcher]
    conversation: ConversationService
    inbox: Inbox
    line: LineChannel | None
    cases: CaseService
    people: PeopleOutbox
    reminders: Reminders
    clock: Callable[[], dt.datetime] = utc_now
    slack_handler: object | None = None  # bolt's SlackRequestHandler when Slack is configured
    slack_executor: CountingExecutor | None = None
    # The worker's Monday digest to the staff channel (channels/slack/digest.py); None without
    # Slack. Returns 1 when it posted.
    digest: Callable[[], int] | None = None

    def wait_idle(self, timeout: float = 20.0) -> bool:
        """Wait for Slack listeners that run after the acknowledgement; for tests and shutdown."""
        if self.slack_executor is None:
            return True
        return self.slack_executor.wait_idle(timeout)

    def close(self) -> None:
        if self.slack_executor is not None:
            self.slack_executor.shutdown(wait=True)
        self.inbox.close()
        self.database.dispose()


def build_index(kb: KnowledgeBase, *, semantic: bool, cache_dir: Path | None) -> Matcher:
    """The matcher of a knowledge snapshot, and its crisis detector built beside it."""
    from helpbot.crisis.detector import snapshot_detector
    from helpbot.matching import build_matcher

    matcher = build_matcher(kb, semantic=semantic, cache_dir=cache_dir)
    snapshot_detector(kb, matcher)
    return matcher


def deferred_index(kb: KnowledgeBase, *, semantic: bool, cache_dir: Path | None) -> Matcher:
    """A stand-in that builds the matcher on first use (the web process, web chat off); the
    crisis detector is then built on the first message, keyed by this stand-in."""
    from helpbot.matching import build_matcher
    from helpbot.matching.deferred import DeferredMatcher

    return DeferredMatcher(
        kb, functools.partial(build_matcher, semantic=semantic, cache_dir=cache_dir)
    )


def build_services(
    settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now, role: str = "web"
) -> Services:
    """Wire every service; ``role`` names this process in ``helpbot faq status``.

    The web process matches messages only for the web chat: with it off, the matcher (Sudachi,
    the sentence encoder, the vectors) is built only if something asks for a match.
    """
    database = Database(settings.database_url)
    board = KnowledgeBoard(database, name=process_name(role), role=role, clock=clock)
    defer = role == "web" and not settings.web_chat_enabled
    knowledge: KnowledgeStore[Matcher] = KnowledgeStore(
        settings.faq_dir,
        build_index=functools.partial(
            deferred_index if defer else build_index,
            semantic=settings.semantic_matching,
            cache_dir=settings.embedding_cache_dir,
        ),
        check_interval=settings.faq_check_interval,
        board=board,
    )
    inbox = Inbox(database)
    senders: dict[str, ChannelSender] = {"web": PlaygroundSender()}
    line_sender = None
    line_keys = settings.line_keys
    if line_keys is not None:
        from helpbot.channels.line.sender import LineSender

        line_sender = LineSender(
            access_token=line_keys.access_token,
            base_url=settings.line_api_base_url,
        )
        senders["line"] = LinePushSender(line_sender)
    slack_client = None
    notifier: StaffNotifier = PlaygroundNotifier()
    slack_keys = settings.slack_keys
    if slack_keys is not None:
        from helpbot.channels.slack.wiring import slack_client as new_slack_client
        from helpbot.channels.slack.wiring import slack_notifier

        slack_client = new_slack_client(slack_keys, base_url=settings.slack_api_base_url)
        notifier = slack_notifier(slack_client, slack_keys)
    gate = QuietHoursGate(knowledge, default=settings.quiet_hours)
    retry = RetryPolicy(give_up_after=dt.timedelta(hours=settings.delivery_give_up_hours))
    staff_outbox = StaffOutbox(
        database=database, notifier=notifier, clock=clock, timezone=gate.timezone, policy=retry,
        mask=KnowledgeMasker(lambda: knowledge.served().kb),  # called inside a turn's transaction
        media=media_relay(settings).post,
    )
    people = PeopleOutbox(
        database=database,
        messenger=PeopleMessenger(senders),
        clock=clock,
        policy=retry,
        postpone=gate,
        staff_alert=staff_outbox.alert,
        case_changed=staff_outbox.refresh_case,
    )
    knowledge.on_rejected = staff_outbox.notice  # a broken faq/ edit, told once
    reminders = Reminders(database=database, staff_outbox=staff_outbox, gate=gate, clock=clock)
    cases = CaseService(
        database=database,
        outbox=staff_outbox,
        people=people,
        clock=clock,
        reannounce_after=dt.timedelta(minutes=settings.reannounce_after_minutes),
    )
    conversation = ConversationService(
        database=database, knowledge=knowledge, clock=clock, cases=cases, retry=retry,
        reminders=reminders,
    )
    line = None
    if line_keys is not None and line_sender is not None:
        from helpbot.channels.line.channel import LineChannel

        line = LineChannel(
            channel_secret=line_keys.channel_secret,
            sender=line_sender,
            inbox=inbox,
            conversation=conversation,
            pseudonym=Pseudonymizer(settings.log_pseudonym_key),
            clock=clock,
            retry=retry,
        )
    slack_handler = slack_executor = None
    digest = None
    if slack_keys is not None and slack_client is not None:
        from helpbot.channels.slack.wiring import slack_request_handler, weekly_digest

        digest = weekly_digest(settings, client=slack_client, database=database, inbox=inbox,
                               knowledge=knowledge, clock=clock).run

        slack_executor = CountingExecutor(4, name="slack")
        slack_handler = slack_request_handler(
            slack_keys, client=slack_client, cases=cases, database=database,
            reminders=reminders, inbox=inbox,
            clock=clock, timezone=gate.timezone, team_id=settings.slack_team_id,
            executor=slack_executor,
            personal_data=PersonalData(database=database, outbox=staff_outbox, clock=clock),
            settings=settings, knowledge=knowledge,
        )
    return Services(
        settings=settings,
        database=database,
        knowledge=knowledge,
        conversation=conversation,
        inbox=inbox,
        line=line,
        cases=cases,
        people=people,
        reminders=reminders,
        clock=clock,
        slack_handler=slack_handler,
        slack_executor=slack_executor,
        digest=digest,
    )


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
    if services.slack_handler is None:
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
