"""The conversation core wired for tests: real database, real knowledge and matcher, the
in-memory platform as the only channel and an in-memory staff tool. No Flask, no HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from helpbot.cases.outbox import StaffOutbox
from helpbot.cases.service import CaseService
from helpbot.channels.messenger import PeopleMessenger
from helpbot.conversation.runner import EventRunner
from helpbot.conversation.service import ConversationService
from helpbot.core.retry import RetryPolicy
from helpbot.delivery.outbox import PeopleOutbox
from helpbot.knowledge.store import KnowledgeStore
from helpbot.matching import build_matcher
from helpbot.matching.base import Matcher
from helpbot.privacy import Pseudonymizer
from helpbot.reminders.gate import QuietHoursGate
from helpbot.reminders.service import Reminders
from helpbot.storage.database import Database
from helpbot.storage.inbox import Inbox
from helpbot.storage.models import Case, Direction, Message, WebhookEvent
from tests.conftest import SAMPLE_FAQ, FakeClock
from tests.core.memory import MemoryChannel, MemoryPlatform, MemoryPushes, MemoryStaffTool


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeStore[Matcher]:
    """The sample faq/ with the production matcher (semantic layer included); read-only."""
    store: KnowledgeStore[Matcher] = KnowledgeStore(
        SAMPLE_FAQ, build_index=build_matcher, check_interval=3600.0
    )
    store.snapshot()
    return store


@dataclass
class Core:
    database: Database
    clock: FakeClock
    platform: MemoryPlatform
    channel: MemoryChannel
    staff: MemoryStaffTool
    conversation: ConversationService
    runner: EventRunner
    cases: CaseService
    people: PeopleOutbox
    inbox: Inbox

    def run(self) -> int:
        """What the worker does: answer the due events, then send due deliveries."""
        handled = self.runner.answer_due(self.channel)
        self.people.run_due()
        return handled

    def say(self, user: str, text: str) -> list[str]:
        """The person writes; the texts they got back for it."""
        before = len(self.platform.texts(user))
        self.channel.write(user, text)
        self.run()
        return self.platform.texts(user)[before:]

    def tap(self, user: str, data: str) -> list[str]:
        """The person taps a button (a postback); the texts they got back for it."""
        before = len(self.platform.texts(user))
        self.channel.deliver(self.channel.event(user, "postback", data=data))
        self.run()
        return self.platform.texts(user)[before:]

    def case(self) -> Case:
        with self.database.session() as session:
            return session.scalars(select(Case).order_by(Case.id.desc()).limit(1)).one()

    def outbound_count(self) -> int:
        with self.database.session() as session:
            return session.scalar(
                select(func.count()).select_from(Message).where(Message.direction == Direction.OUT)
            ) or 0

    def event_row(self, event_id: str) -> WebhookEvent:
        with self.database.session() as session:
            return session.scalars(
                select(WebhookEvent).where(WebhookEvent.event_id == event_id)
            ).one()


@pytest.fixture
def core(database: Database, clock: FakeClock, knowledge: KnowledgeStore[Matcher]
         ) -> Iterator[Core]:
    platform = MemoryPlatform()
    staff = MemoryStaffTool()
    retry = RetryPolicy()
    inbox = Inbox(database)
    gate = QuietHoursGate(knowledge, default="21:00-08:00")
    staff_outbox = StaffOutbox(database=database, notifier=staff, clock=clock,
                               timezone=gate.timezone, policy=retry)
    people = PeopleOutbox(
        database=database, messenger=PeopleMessenger({"memory": MemoryPushes(platform)}),
        clock=clock, policy=retry, postpone=gate, staff_alert=staff_outbox.alert,
    )
    cases = CaseService(database=database, outbox=staff_outbox, people=people, clock=clock)
    reminders = Reminders(database=database, staff_outbox=staff_outbox, gate=gate, clock=clock)
    conversation = ConversationService(database=database, knowledge=knowledge, clock=clock,
                                       cases=cases, retry=retry, reminders=reminders)
    runner = EventRunner(inbox=inbox, conversation=conversation, clock=clock,
                         pseudonym=Pseudonymizer("test-key"), retry=retry)
    try:
        yield Core(
            database=database, clock=clock, platform=platform,
            channel=MemoryChannel(platform, inbox, clock), staff=staff,
            conversation=conversation, runner=runner, cases=cases, people=people, inbox=inbox,
        )
    finally:
        inbox.close()


