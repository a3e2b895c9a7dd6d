"""An in-memory chat platform and its channel adapter: the core driven with no Flask, no HTTP.

``MemoryPlatform`` stands in for a chat service (errbot's test backend): people write, what
the bot sends lands in each person's transcript. Like LINE, it takes a retry key with every
send and shows a message only once per key, and it can be told to refuse sends or to take them
without answering (a timeout). ``MemoryChannel`` is the adapter a real channel would be: it
stores the platform's events in the real inbox, translates them, and sends through the
platform; everything else is the core's.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from helpbot.cases.ports import CaseView, StaffRef
from helpbot.conversation.turn import SendStatus, Sent, Turn
from helpbot.core.messages import Incoming, MessageKind, Reply
from helpbot.errors import DeliveryError, UnsupportedEvent
from helpbot.storage.inbox import ClaimedEvent, Inbox, NewEvent

CHANNEL = "memory"
_KINDS = {
    "text": MessageKind.TEXT,
    "postback": MessageKind.POSTBACK,
    "follow": MessageKind.FOLLOW,
    "unfollow": MessageKind.UNFOLLOW,
    "sticker": MessageKind.STICKER,
}


@dataclass
class MemoryPlatform:
    """The chat service: transcripts per person, one delivery per retry key."""

    transcripts: dict[str, list[Reply]] = field(default_factory=lambda: defaultdict(list))
    keys_seen: set[str] = field(default_factory=set)
    refuse_next: int = 0  # sends refused outright (like a 500 before anything is shown)
    lose_next: int = 0  # sends shown to the person, but the answer never comes back
    break_next: int = 0  # the connection breaks before anything is sent
    sends: int = 0  # every call, taken or not

    def take(self, user_id: str, replies: Sequence[Reply], key: str) -> None:
        """Show the replies once per key; DeliveryError when refused or the answer is lost."""
        self.sends += 1
        if self.break_next:
            self.break_next -= 1
            raise ConnectionResetError("the connection broke")
        if self.refuse_next:
            self.refuse_next -= 1
            raise DeliveryError("the platform answered 500", status=500)
        if key not in self.keys_seen:
            self.keys_seen.add(key)
            self.transcripts[user_id].extend(replies)
        if self.lose_next:
            self.lose_next -= 1
            raise TimeoutError("no answer from the platform")

    def texts(self, user_id: str) -> list[str]:
        return [reply.text for reply in self.transcripts[user_id]]


class MemoryChannel:
    """The platform's adapter: events in (stored first), replies out; nothing else."""

    channel = CHANNEL
    label = "in-memory"

    def __init__(self, platform: MemoryPlatform, inbox: Inbox,
                 clock: Callable[[], dt.datetime]) -> None:
        self.platform = platform
        self._inbox = inbox
        self._clock = clock
        self._ids = itertools.count(1)
        self.resends: list[bool] = []  # the ``resend`` flag of every send, in order

    # -- the platform's webhook: store, nothing else ------------------------------------

    def deliver(self, payload: dict[str, Any]) -> list[int]:
        """The platform delivers one event (again, for a redelivery); new row ids."""
        return self._inbox.store(
            channel=CHANNEL,
            events=[NewEvent(event_id=payload["id"], event_type=payload["type"],
                             payload=payload, source=payload["user"])],
            now=self._clock(),
        )

    def event(self, user: str, kind: str = "text", **fields: str) -> dict[str, Any]:
        return {"id": f"ev-{next(self._ids)}", "type": kind, "user": user, **fields}

    def write(self, user: str, text: str) -> dict[str, Any]:
        payload = self.event(user, text=text)
        self.deliver(payload)
        return payload

    # -- the EventAdapter the core's runner calls ---------------------------------------

    def incoming(self, event: ClaimedEvent) -> Incoming:
        payload = event.payload
        if payload["type"] == "explode":
            raise ValueError("this event cannot be read")  # a bug in translation
        kind = _KINDS.get(payload["type"])
        if kind is None:
            raise UnsupportedEvent(f"event type {payload['type']!r}")
        return Incoming(
            channel=CHANNEL,
            user_id=payload["user"],
            kind=kind,
            received_at=event.received_at,
            text=payload.get("text", ""),
            postback=payload.get("data", ""),
        )

    def send(self, event: ClaimedEvent, turn: Turn, *, resend: bool) -> Sent:
        self.resends.append(resend)
        try:
            self.platform.take(event.payload["user"], turn.replies, key=f"event/{event.event_id}")
        except DeliveryError as error:
            return Sent(SendStatus.REFUSED, failure=error, error=str(error))
        except TimeoutError as error:
            return Sent(SendStatus.UNKNOWN, error=str(error))
        return Sent(SendStatus.SENT)


class MemoryPushes:
    """The platform's push API, for deliveries (a ``ChannelSender``)."""

    def __init__(self, platform: MemoryPlatform) -> None:
        self._platform = platform

    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> None:
        try:
            self._platform.take(user_id, replies, key)
        except TimeoutError as error:
            raise DeliveryError(str(error)) from None


@dataclass
class MemoryStaffTool:
    """Where case workers see cases (a ``StaffNotifier``): each case and its thread lines."""

    cases: dict[int, CaseView] = field(default_factory=dict)
    threads: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    notices: list[str] = field(default_factory=list)

    def shows(self, person_channel: str) -> bool:
        return True

    def post_case(self, view: CaseView) -> StaffRef:
        self.cases[view.number] = view
        return StaffRef(channel="memory-staff", ts=str(view.number))

    def update_case(self, ref: StaffRef, view: CaseView) -> None:
        self.cases[int(ref.ts)] = view

    def post_in_thread(self, ref: StaffRef, text: str, *, mention_channel: bool) -> None:
        self.threads[int(ref.ts)].append(("@channel " if mention_channel else "") + text)

    def post_notice(self, text: str) -> None:
        self.notices.append(text)
