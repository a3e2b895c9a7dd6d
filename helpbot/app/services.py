"""Wire every service of one process: settings in, ``Services`` out (no Flask here).

``create_app`` (the web process), ``helpbot worker`` and the CLI commands all build their
services here, so every process is wired the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
from helpbot.config import Settings
from helpbot.conversation.service import ConversationService
from helpbot.conversation.turn import utc_now
from helpbot.core.retry import RetryPolicy
from helpbot.delivery.outbox import PeopleOutbox
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.knowledge.store import KnowledgeStore
from helpbot.matching.base import Matcher
from helpbot.personal_data.service import PersonalData
from helpbot.privacy import Pseudonymizer
from helpbot.reminders.gate import QuietHoursGate
from helpbot.reminders.service import Reminders
from helpbot.storage.database import Database
from helpbot.storage.inbox import Inbox
from helpbot.storage.knowledge_versions import KnowledgeBoard, process_name

if TYPE_CHECKING:
    from helpbot.channels.line.channel import LineChannel


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
    from helpbot.matching.pages import release_build_pages

    matcher = build_matcher(kb, semantic=semantic, cache_dir=cache_dir)
    snapshot_detector(kb, matcher)
    release_build_pages()  # the build read much of Sudachi's dictionary: keep what messages read
    return matcher


def matcher_with_pages_released(
    kb: KnowledgeBase, *, semantic: bool, cache_dir: Path | None
) -> Matcher:
    """The deferred build, with the pages it read of Sudachi's dictionary given back (the
    crisis detector is built later, on the first message, and reads its pages back then)."""
    from helpbot.matching import build_matcher
    from helpbot.matching.pages import release_build_pages

    matcher = build_matcher(kb, semantic=semantic, cache_dir=cache_dir)
    release_build_pages()
    return matcher


def deferred_index(kb: KnowledgeBase, *, semantic: bool, cache_dir: Path | None) -> Matcher:
    """A stand-in that builds the matcher on first use (the web process, web chat off); the
    crisis detector is then built on the first message, keyed by this stand-in."""
    from helpbot.matching.deferred import DeferredMatcher

    return DeferredMatcher(
        kb, functools.partial(matcher_with_pages_released, semantic=semantic, cache_dir=cache_dir)
    )


def index_builder(settings: Settings, *, defer: bool = False) -> Callable[[KnowledgeBase], Matcher]:
    """How a process builds the index of a knowledge snapshot, from its settings; ``defer``:
    a stand-in that builds on first use (the web process with the web chat off)."""
    return functools.partial(
        deferred_index if defer else build_index,
        semantic=settings.semantic_matching,
        cache_dir=settings.embedding_cache_dir,
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
        build_index=index_builder(settings, defer=defer),
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
