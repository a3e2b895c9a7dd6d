"""The port through which cases, deliveries and reminders reach a person.

The channel adapters implement ``PersonMessenger`` (LINE push, the web chat); tests use the
real adapters against local fake servers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from helpbot.core.messages import Reply


class PersonMessenger(Protocol):
    """Sends messages to a person on their channel; raises DeliveryError if not taken."""

    def send(self, *, channel: str, user_id: str, replies: Sequence[Reply], key: str) -> None: ...
