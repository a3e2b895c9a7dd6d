"""Reach a person on the channel they wrote from (LINE push, or the playground page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from helpbot.core.messages import Reply
from helpbot.errors import DeliveryError

if TYPE_CHECKING:
    from helpbot.channels.line.sender import LineSender


class ChannelSender(Protocol):
    """Sends to one channel; raises DeliveryError when the platform does not take it."""

    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> None: ...


class PlaygroundSender:
    """The playground page fetches new messages from the database; sending is storing."""

    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> None:
        """Nothing to send: the page polls ``/api/playground/messages``."""


class LinePushSender:
    """Messages that are not answers to an event go out as pushes, with a retry key."""

    def __init__(self, sender: LineSender) -> None:
        self._sender = sender

    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> None:
        self._sender.push_replies(user_id=user_id, replies=replies, key=key)


class PeopleMessenger:
    """The PersonMessenger: routes by channel name."""

    def __init__(self, senders: dict[str, ChannelSender]) -> None:
        self._senders = senders

    def send(self, *, channel: str, user_id: str, replies: Sequence[Reply], key: str) -> None:
        sender = self._senders.get(channel)
        if sender is None:
            raise DeliveryError(f"no way to reach people on {channel!r} (is it configured?)",
                                status=400)
        sender.send(user_id=user_id, replies=replies, key=key)
