"""Reach a person on the channel they wrote from (LINE push, or the playground page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from helpbot.conversation.messages import Reply


class ChannelSender(Protocol):
    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> str | None: ...


class PlaygroundSender:
    """The playground page fetches new messages from the database; sending is storing."""

    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> str | None:
        return None


class LinePushSender:
    """Messages that are not answers to an event go out as pushes, with a retry key."""

    def __init__(self, sender: object) -> None:
        from helpbot.channels.line.sender import LineSender

        assert isinstance(sender, LineSender)
        self._sender = sender

    def send(self, *, user_id: str, replies: Sequence[Reply], key: str) -> str | None:
        return self._sender.deliver(user_id=user_id, reply_token=None, replies=replies,
                                    key=key).error


class PeopleMessenger:
    """The PersonMessenger: routes by channel name."""

    def __init__(self, senders: dict[str, ChannelSender]) -> None:
        self._senders = senders

    def send(
        self, *, channel: str, user_id: str, replies: Sequence[Reply], key: str
    ) -> str | None:
        sender = self._senders.get(channel)
        if sender is None:
            return f"no way to reach people on {channel!r} (is it configured?)"
        return sender.send(user_id=user_id, replies=replies, key=key)
