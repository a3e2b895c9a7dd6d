"""The Slack app (slack-bolt): buttons, thread replies and ``/helpbot``, all on one URL.

Bolt checks the request signature and its 5-minute window, answers ``url_verification``,
and acknowledges before the listener runs (on its executor), so Slack always gets its answer
within 3 seconds. Slack's retries of an event (``X-Slack-Retry-Num``) are recognised by
``event_id`` and never redo work; the bot's own messages are ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from helpbot.cases.service import CaseNotFoundError, CaseService
from helpbot.cases.states import InvalidTransitionError
from helpbot.channels.slack.blocks import CLAIM_ACTION, RESOLVE_ACTION
from helpbot.storage.inbox import Inbox, NewEvent

logger = logging.getLogger(__name__)

CHANNEL = "slack"
_COMMAND = re.compile(r"^\s*(claim|resolve)\s+#?(\d+)\s*$", re.IGNORECASE)
USAGE = (
    "Usage: `/helpbot claim 12`, `/helpbot resolve 12`. "
    "Answer a person by replying in their case's thread; lines starting with `//` stay internal."
)


def build_bolt_app(
    *,
    signing_secret: str,
    client: WebClient,
    cases: CaseService,
    inbox: Inbox,
    clock: Callable[[], dt.datetime],
    executor: Executor,
) -> App:
    bolt = App(
        signing_secret=signing_secret,
        client=client,
        token_verification_enabled=False,  # no call to Slack at start-up
        listener_executor=executor,
        logger=logging.getLogger("helpbot.slack.bolt"),
    )

    @bolt.middleware
    def skip_repeated_events(body: dict[str, Any], next: Callable[[], None]):
        """Slack retries an event it thinks we missed; the event_id says we have it."""
        event_id = body.get("event_id")
        if body.get("type") == "event_callback" and isinstance(event_id, str):
            event_type = str((body.get("event") or {}).get("type", "?"))
            stored = inbox.store(
                channel=CHANNEL,
                events=[NewEvent(event_id=event_id, event_type=event_type, payload={})],
                now=clock(),
            )
            if not stored:
                logger.info("Slack event %s seen before; not redoing it", event_id)
                return BoltResponse(status=200, body="")
        return next()

    def act(action: str, case_id: int, user: dict[str, Any]) -> str | None:
        worker_id = str(user.get("id", ""))
        worker_name = str(user.get("username") or user.get("name") or worker_id)
        try:
            if action == "claim":
                cases.claim(case_id, worker_id=worker_id, worker_name=worker_name)
            else:
                cases.resolve(case_id, worker_id=worker_id, worker_name=worker_name)
        except (InvalidTransitionError, CaseNotFoundError) as why:
            return f"Case #{case_id}: {why}."
        return None

    @bolt.action(CLAIM_ACTION)
    def on_claim(ack, body, action, client):  # type: ignore[no-untyped-def]
        ack()
        _button(act, "claim", body, action, client)

    @bolt.action(RESOLVE_ACTION)
    def on_resolve(ack, body, action, client):  # type: ignore[no-untyped-def]
        ack()
        _button(act, "resolve", body, action, client)

    @bolt.event("message")
    def on_message(event: dict[str, Any]) -> None:
        thread_ts = event.get("thread_ts")
        if (
            not thread_ts
            or thread_ts == event.get("ts")
            or event.get("bot_id")
            or event.get("subtype") is not None
        ):
            return
        cases.relay_from_worker(
            thread_ts, worker_name=str(event.get("user", "")), text=str(event.get("text", ""))
        )

    @bolt.command("/helpbot")
    def on_command(ack, command):  # type: ignore[no-untyped-def]
        match = _COMMAND.match(command.get("text", ""))
        if match is None:
            ack(USAGE)
            return
        action, number = match.group(1).lower(), int(match.group(2))
        user = {"id": command.get("user_id"), "username": command.get("user_name")}
        ack(f"Working on case #{number}…")
        problem = act(action, number, user)
        if problem:
            logger.info("slash command refused: %s", problem)

    return bolt


def _button(
    act: Callable[[str, int, dict[str, Any]], str | None],
    action_name: str,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
) -> None:
    try:
        case_id = int(action.get("value", ""))
    except ValueError:
        return
    problem = act(action_name, case_id, body.get("user") or {})
    channel = (body.get("channel") or {}).get("id")
    user_id = (body.get("user") or {}).get("id")
    if problem and channel and user_id:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, text=problem)
        except Exception:  # a courtesy note; the case itself is already safe
            logger.warning("could not tell the worker why the action was refused")
