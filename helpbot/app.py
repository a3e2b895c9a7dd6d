"""The Flask app factory: settings in, wired services and blueprints out."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, jsonify

from helpbot.background import BackgroundRunner
from helpbot.config import Settings, load_settings
from helpbot.conversation.service import ConversationService, utc_now
from helpbot.knowledge.store import KnowledgeStore
from helpbot.matching import build_matcher
from helpbot.matching.base import Matcher
from helpbot.privacy import Pseudonymizer
from helpbot.storage.database import Database
from helpbot.storage.inbox import Inbox

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024


@dataclass(slots=True)
class Services:
    """Everything the views need, built once per process."""

    settings: Settings
    database: Database
    knowledge: KnowledgeStore[Matcher]
    conversation: ConversationService
    inbox: Inbox
    event_runner: BackgroundRunner
    line: object | None  # LineChannel when LINE is configured

    def close(self) -> None:
        self.event_runner.shutdown()
        self.database.dispose()


def build_services(
    settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now
) -> Services:
    database = Database(settings.database_url)
    knowledge: KnowledgeStore[Matcher] = KnowledgeStore(
        settings.faq_dir,
        build_index=build_matcher,
        check_interval=settings.faq_check_interval,
    )
    conversation = ConversationService(database=database, knowledge=knowledge, clock=clock)
    inbox = Inbox(database)
    line = None
    if settings.line_enabled:
        from helpbot.channels.line.channel import LineChannel
        from helpbot.channels.line.sender import LineSender

        assert settings.line_channel_secret and settings.line_channel_access_token
        line = LineChannel(
            channel_secret=settings.line_channel_secret,
            sender=LineSender(
                access_token=settings.line_channel_access_token,
                base_url=settings.line_api_base_url,
            ),
            inbox=inbox,
            conversation=conversation,
            pseudonym=Pseudonymizer(settings.log_pseudonym_key),
            clock=clock,
        )
    runner = BackgroundRunner(
        line.process if line is not None else _nothing, threads=settings.event_workers
    )
    return Services(
        settings=settings,
        database=database,
        knowledge=knowledge,
        conversation=conversation,
        inbox=inbox,
        event_runner=runner,
        line=line,
    )


def _nothing(_row_id: int) -> None:
    """Without LINE no events are stored, so there is nothing to process."""


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], dt.datetime] = utc_now
) -> Flask:
    """Build the helpbot web app; ``settings`` default to the environment."""
    app = Flask(__name__, instance_relative_config=True)
    if settings is None:
        settings = load_settings(instance_path=Path(app.instance_path))
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    services = build_services(settings, clock=clock)
    # Load the knowledge now so a missing faq/ folder fails at start-up, not on a message.
    snapshot = services.knowledge.snapshot()
    logger.info("knowledge loaded: %d entries from %s", len(snapshot.kb.entries),
                settings.faq_dir)
    if services.line is None:
        logger.warning(
            "LINE is not configured: POST /webhooks/line answers 503. Set "
            "LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN to connect a LINE channel."
        )
    app.extensions["helpbot"] = services

    from helpbot.channels.line.webhook import blueprint as line_blueprint
    from helpbot.channels.web.playground import blueprint as playground_blueprint

    app.register_blueprint(line_blueprint)
    app.register_blueprint(playground_blueprint)

    @app.get("/healthz")
    def health() -> Response:
        return jsonify(status="ok", entries=len(services.knowledge.snapshot().kb.entries))

    return app
