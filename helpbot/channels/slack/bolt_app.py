"""The Slack app (slack-bolt): buttons, thread replies, the follow-up form and ``/helpbot``.

Bolt checks the request signature and its 5-minute window, answers ``url_verification``,
and acknowledges before the listener's work runs (on its executor), so Slack always gets its
answer within 3 seconds. Slack's retries of an event (``X-Slack-Retry-Num``) are recognised by
``event_id`` and never redo work; the bot's own messages are ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk import WebClient

from helpbot.cases.service import CaseService, without_notes
from helpbot.channels.slack.blocks import (
    CASE_NUMBER,
    CLAIM_ACTION,
    CLEAR_ANSWERS_ACTION,
    FALSE_ALARM_ACTION,
    FOLLOWUP_ACTION,
    FOLLOWUP_CALLBACK,
    RESOLVE_ACTION,
    followup_fields,
    followup_form,
)
from helpbot.channels.slack.guards import RequestGuards, answer_error
from helpbot.channels.slack.logs import library_logger
from helpbot.channels.slack.mrkdwn import plain_text
from helpbot.channels.slack.names import SlackNames, WorkerIntroductions
from helpbot.channels.slack.privacy import COMMAND as PRIVACY_COMMAND
from helpbot.channels.slack.privacy import PRIVACY_CALLBACK, PrivacyCommands
from helpbot.channels.slack.threads import CaseThreads
from helpbot.errors import CaseNotFoundError, InvalidTransitionError, WhenError
from helpbot.reminders.service import Reminders
from helpbot.reminders.when import parse_when, split_when_and_message
from helpbot.storage.inbox import Inbox, NewEvent

logger = logging.getLogger(__name__)

CHANNEL = "slack"
# Case numbers fit a database integer: nine digits at most.
_COMMAND = re.compile(r"^\s*(claim|release|resolve)\s+#?([0-9]{1,9})\s*$", re.IGNORECASE)
_REMIND = re.compile(r"^\s*remind\s+#?([0-9]{1,9})\s+(.+)$", re.IGNORECASE | re.DOTALL)
USAGE = (
    "Usage: `/helpbot claim 12`, `/helpbot release 12`, `/helpbot resolve 12`, "
    "`/helpbot remind 12 <when> <message>` (e.g. `remind 12 3日後 フードバンクに行けましたか？`), "
    "`/helpbot export 12`, `/helpbot erase 12` (the person's data, after a confirmation), "
    "`/helpbot original 12` (the recent messages unmasked, to you only; audited). "
    "Answer a person by replying in their case's thread; lines starting with `//` stay internal."
)


class CaseWorkerListeners:
    """What each Slack request does; bolt calls these after checking the signature."""

    def __init__(
        self,
        *,
        cases: CaseService,
        threads: CaseThreads,
        reminders: Reminders,
        inbox: Inbox,
        clock: Callable[[], dt.datetime],
        timezone: Callable[[], ZoneInfo],
        privacy: PrivacyCommands | None = None,
        names: SlackNames | None = None,
        introductions: WorkerIntroductions | None = None,
    ) -> None:
        self.privacy = privacy
        self._names = names
        self._introductions = introductions
        self._cases = cases
        self._threads = threads
        self._reminders = reminders
        self._inbox = inbox
        self._clock = clock
        self._timezone = timezone

    def skip_repeated_events(self, body: dict[str, Any], next: Callable[[], None]):
        """Slack retries an event it thinks we missed; the event_id says we have it."""
        event_id = body.get("event_id")
        if body.get("type") == "event_callback" and isinstance(event_id, str):
            event_type = str((body.get("event") or {}).get("type", "?"))
            stored = self._inbox.store(
                channel=CHANNEL,
                events=[NewEvent(event_id=event_id, event_type=event_type, payload={})],
                now=self._clock(),
            )
            if not stored:
                logger.info("Slack event %s seen before; not redoing it", event_id)
                return BoltResponse(status=200, body="")
        return next()

    def act(self, action: str, case_id: int, user: dict[str, Any]) -> str | None:
        """Claim or resolve; a sentence for the worker when that is not possible."""
        worker_id = str(user.get("id", ""))
        worker_name = self._name_of(worker_id, str(user.get("username") or user.get("name") or ""))
        try:
            if action == "claim":
                self._cases.claim(case_id, worker_id=worker_id, worker_name=worker_name)
            elif action == "release":
                self._cases.release(case_id, worker_id=worker_id)
            elif action == "clear_answers":
                if not self._cases.clear_program_answers(case_id, worker_id=worker_id):
                    return f"Case #{case_id}: no program answers to clear."
            elif action == "not_crisis":
                if not self._cases.mark_false_alarm(case_id, worker_id=worker_id):
                    return f"Case #{case_id}: already marked, or not a crisis alert."
            else:
                self._cases.resolve(case_id, worker_id=worker_id, worker_name=worker_name)
        except (InvalidTransitionError, CaseNotFoundError) as why:
            return f"Case #{case_id}: {why}."
        return None

    def _name_of(self, worker_id: str, handle: str = "") -> str:
        known = self._names.name_of(worker_id) if self._names is not None else None
        return known or handle or worker_id

    def on_claim(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                 client: WebClient) -> None:
        ack()
        self._button("claim", body, action, client)

    def on_resolve(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                   client: WebClient) -> None:
        ack()
        self._button("resolve", body, action, client)

    def on_not_crisis(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                      client: WebClient) -> None:
        ack()
        self._button("not_crisis", body, action, client)

    def on_clear_answers(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                         client: WebClient) -> None:
        ack()
        self._button("clear_answers", body, action, client)

    def on_followup(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                    client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=followup_form(action["value"]))

    def on_followup_form(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = followup_fields(view)
        if form is None:
            ack(response_action="errors", errors={"when": "This form is incomplete."})
            return
        case_id, when_text, message, keep = form
        try:
            when = parse_when(when_text, now=self._clock(), tz=self._timezone())
        except WhenError as why:
            ack(response_action="errors", errors={"when": str(why)[:150]})
            return
        ack()
        user_id = str((body.get("user") or {}).get("id", ""))
        answer = self.schedule(case_id, when, message, user_id, keep=keep)
        logger.info("follow-up form: %s", answer.split(":")[0])

    def on_message(self, event: dict[str, Any]) -> None:
        thread_ts = event.get("thread_ts")
        channel = event.get("channel")
        if (
            not isinstance(thread_ts, str)
            or not isinstance(channel, str)
            or thread_ts == event.get("ts")
            or event.get("bot_id")
            or event.get("subtype") is not None
        ):
            return
        case_id = self._threads.case_in_thread(channel=channel, thread_ts=thread_ts)
        if case_id is None:
            return  # a thread that is not a case's
        # Slack's markup as a person types; a colleague Slack does not name is left out
        names = self._names
        text = plain_text(event, name_of=lambda uid: (names.name_of(uid) if names else None) or "")
        # 「相談員のさとうです。」 when staff.yaml says so, before a reply the person will get
        # (never before `//` note lines alone: those stay in Slack)
        if self._introductions is not None and without_notes(text):
            text = self._introductions.introduce(
                case_id=case_id, worker_id=str(event.get("user", "")), text=text
            )
        worker_id = str(event.get("user", ""))  # a resolved case reopens claimed by them
        self._cases.relay_from_worker(case_id, worker_name=self._name_of(worker_id), text=text,
                                      worker_id=worker_id)

    def on_command(self, ack: Ack, command: dict[str, Any], client: WebClient,
                   respond: Respond) -> None:
        text = command.get("text", "")
        privacy = PRIVACY_COMMAND.match(text)
        if privacy is not None and self.privacy is not None:
            self.privacy.on_command(ack, command, client, privacy)
            return
        remind = _REMIND.match(text)
        if remind is not None:
            try:
                when, message = split_when_and_message(
                    remind.group(2), now=self._clock(), tz=self._timezone()
                )
            except WhenError as why:
                ack(f"Not scheduled: {why}")
                return
            ack(self.schedule(int(remind.group(1)), when, message,
                              command.get("user_id", ""), keep=False))
            return
        match = _COMMAND.match(text)
        if match is None:
            ack(USAGE)
            return
        action, number = match.group(1).lower(), int(match.group(2))
        ack(f"Working on case #{number}…")
        user = {"id": command.get("user_id"), "username": command.get("user_name")}
        problem = self.act(action, number, user)
        if problem:  # acked already: told afterwards, to the worker who typed it only
            logger.info("slash command refused: %s", problem)
            respond(text=problem, response_type="ephemeral")

    def schedule(self, case_id: int, when: dt.datetime, message: str, user_id: str, *,
                 keep: bool) -> str:
        """Schedule a follow-up; the sentence to show the worker."""
        try:
            followup = self._reminders.schedule_followup(
                case_id=case_id, when=when, text=message, created_by=user_id,
                keep_after_resolve=keep,
            )
        except (ValueError, CaseNotFoundError) as why:
            return f"Not scheduled: {why}"
        local = followup.due_at.astimezone(self._timezone())
        return f"Follow-up for case #{case_id} scheduled for {local:%Y-%m-%d %H:%M}."

    def _button(self, action_name: str, body: dict[str, Any], action: dict[str, Any],
                client: WebClient) -> None:
        value = str(action.get("value", ""))
        if CASE_NUMBER.fullmatch(value) is None:
            return
        case_id = int(value)
        user = body.get("user") if isinstance(body.get("user"), dict) else {}
        problem = self.act(action_name, case_id, user)
        channel = (body.get("channel") or {}).get("id")
        user_id = user.get("id")
        if problem and channel and user_id:
            try:
                client.chat_postEphemeral(channel=channel, user=user_id, text=problem)
            except Exception:  # a courtesy note; the case itself is already safe
                logger.warning("could not tell the worker why the action was refused")


# bolt's answer when its auth.test (the first request after a start) fails: with a 200, Slack
# would never send the request again and a worker's reply would be lost.
NOT_AUTHORIZED = "helpbot could not check its bot token with Slack; send the request again"


def build_bolt_app(
    *, signing_secret: str, client: WebClient, listeners: CaseWorkerListeners,
    executor: Executor, guards: RequestGuards, extra: Callable[[App], None] | None = None,
) -> App:
    bolt = App(
        signing_secret=signing_secret,
        client=client,
        token_verification_enabled=False,  # no call to Slack at start-up
        user_facing_authorize_error_message=NOT_AUTHORIZED,  # webhook.py: a 503, not a 200
        listener_executor=executor,
        logger=library_logger("helpbot.slack.bolt"),
    )
    # After bolt's signature check: other workspaces, then replays, then Slack's retries.
    bolt.error(answer_error)
    bolt.middleware(guards.refuse_other_workspaces)
    bolt.middleware(guards.run_once)
    bolt.middleware(listeners.skip_repeated_events)
    bolt.action(CLAIM_ACTION)(listeners.on_claim)
    bolt.action(RESOLVE_ACTION)(listeners.on_resolve)
    bolt.action(FALSE_ALARM_ACTION)(listeners.on_not_crisis)
    bolt.action(CLEAR_ANSWERS_ACTION)(listeners.on_clear_answers)
    bolt.action(FOLLOWUP_ACTION)(listeners.on_followup)
    bolt.view(FOLLOWUP_CALLBACK)(listeners.on_followup_form)
    bolt.event("message")(listeners.on_message)
    bolt.command("/helpbot")(listeners.on_command)
    if listeners.privacy is not None:
        bolt.view(PRIVACY_CALLBACK)(listeners.privacy.on_confirm)
    if extra is not None:  # more listeners from their own modules (shortcuts.py)
        extra(bolt)
    return bolt
