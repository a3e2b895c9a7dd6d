"""Build helpbot's Slack objects from the settings, so that only this package imports Slack's
SDKs: ``app/services.py`` asks for a notifier and a request handler and knows no SDK class."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk import WebClient

from helpbot.cases.service import CaseService
from helpbot.channels.slack.bolt_app import CaseWorkerListeners, build_bolt_app
from helpbot.channels.slack.digest import WeeklyDigest
from helpbot.channels.slack.guards import RequestGuards
from helpbot.channels.slack.logs import library_logger
from helpbot.channels.slack.names import SlackNames, WorkerIntroductions
from helpbot.channels.slack.notifier import SlackNotifier
from helpbot.channels.slack.privacy import PrivacyCommands
from helpbot.channels.slack.shortcuts import FaqDraftListeners, register_faq_drafts
from helpbot.channels.slack.sign_in import SlackSignIn
from helpbot.channels.slack.threads import CaseThreads
from helpbot.config import Settings, SlackKeys
from helpbot.knowledge.store import KnowledgeStore
from helpbot.personal_data.service import PersonalData
from helpbot.reminders.service import Reminders
from helpbot.storage.database import Database
from helpbot.storage.inbox import Inbox


def slack_client(keys: SlackKeys, *, base_url: str) -> WebClient:
    """The Web API client (bot token; 5 s timeout)."""
    return WebClient(token=keys.bot_token, base_url=base_url, timeout=5,
                     logger=library_logger("helpbot.slack.sdk"))


def slack_notifier(client: WebClient, keys: SlackKeys) -> SlackNotifier:
    """Posts cases and notices to the escalation channel."""
    return SlackNotifier(client, keys.escalation_channel)


def slack_request_handler(
    keys: SlackKeys,
    *,
    client: WebClient,
    cases: CaseService,
    database: Database,
    reminders: Reminders,
    inbox: Inbox,
    clock: Callable[[], dt.datetime],
    timezone: Callable[[], ZoneInfo],
    team_id: str | None,
    executor: Executor,
    settings: Settings,
    knowledge: KnowledgeStore[Any],
    personal_data: PersonalData | None = None,
) -> SlackRequestHandler:
    """bolt's Flask handler for case workers' buttons, modals and thread replies."""
    privacy = None
    if personal_data is not None:
        privacy = PrivacyCommands(personal_data=personal_data,
                                  escalation_channel=keys.escalation_channel)
    names = SlackNames(client, clock=clock)

    def introduce_workers() -> bool:
        staff = knowledge.snapshot().kb.staff
        return staff is not None and staff.introduce_workers

    listeners = CaseWorkerListeners(
        cases=cases, threads=CaseThreads(database), reminders=reminders, inbox=inbox,
        clock=clock, timezone=timezone, privacy=privacy, names=names,
        introductions=WorkerIntroductions(database=database, names=names,
                                          enabled=introduce_workers),
    )
    faq_drafts = faq_draft_listeners(settings, database=database, knowledge=knowledge,
                                     clock=clock)
    return SlackRequestHandler(
        build_bolt_app(
            signing_secret=keys.signing_secret,
            client=client,
            listeners=listeners,
            executor=executor,
            guards=RequestGuards(
                inbox=inbox, clock=clock, escalation_channel=keys.escalation_channel,
                team_id=team_id,
            ),
            extra=functools.partial(register_faq_drafts, listeners=faq_drafts),
        )
    )


def slack_sign_in(settings: Settings) -> SlackSignIn | None:
    """Sign in with Slack for the staff pages, when Slack and its client id are configured."""
    keys = settings.slack_keys
    if keys is None or not settings.slack_client_id or not settings.slack_client_secret:
        return None
    return SlackSignIn(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
        api_base_url=settings.slack_api_base_url,
        bot_client=slack_client(keys, base_url=settings.slack_api_base_url),
        team_id=settings.slack_team_id,
    )


def faq_draft_listeners(
    settings: Settings, *, database: Database, knowledge: KnowledgeStore[Any],
    clock: Callable[[], dt.datetime],
) -> FaqDraftListeners:
    """「FAQに追加」 and the digest's 「この質問に答える」, writing drafts to faq/drafts/."""

    def categories() -> list[str]:
        kb = knowledge.snapshot().kb
        named = list(kb.staff.categories) if kb.staff is not None else []
        return named or kb.categories()

    return FaqDraftListeners(database=database, faq_dir=settings.faq_dir, categories=categories,
                             clock=clock)


def weekly_digest(
    settings: Settings, *, client: WebClient, database: Database, inbox: Inbox,
    knowledge: KnowledgeStore[Any], clock: Callable[[], dt.datetime],
) -> WeeklyDigest:
    """The Monday digest for the staff channel (Slack is configured)."""
    return WeeklyDigest(database=database, inbox=inbox, client=client,
                        channel=settings.slack_escalation_channel or "",
                        knowledge=lambda: knowledge.snapshot().kb, clock=clock)
