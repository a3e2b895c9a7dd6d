"""The ``Settings`` dataclass: everything helpbot reads from its environment, once read."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_LINE_API_BASE_URL = "https://api.line.me"
# LINE's host for binary data (the rich menu's image, what people send): LINE_API_DATA_BASE_URL.
DEFAULT_LINE_API_DATA_BASE_URL = "https://api-data.line.me"
DEFAULT_SLACK_API_BASE_URL = "https://slack.com/api/"
DEFAULT_PORT = 8000


@dataclass(frozen=True, slots=True)
class LineKeys:
    channel_secret: str
    access_token: str


@dataclass(frozen=True, slots=True)
class SlackKeys:
    signing_secret: str = field(repr=False)
    bot_token: str = field(repr=False)
    escalation_channel: str


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything helpbot reads from its environment."""

    database_url: str
    faq_dir: Path
    line_channel_secret: str | None = None
    line_channel_access_token: str | None = None
    line_api_base_url: str = DEFAULT_LINE_API_BASE_URL
    # LINE's data host (rich menu images, the content API for what people send). None:
    # api-data.line.me, or LINE_API_BASE_URL when that points elsewhere (a local fake serves both).
    line_api_data_base_url: str | None = None
    port: int = DEFAULT_PORT
    # Seconds between checks of faq/ for edits.
    faq_check_interval: float = 2.0
    # Key for pseudonymising user ids in logs: HELPBOT_LOG_KEY, else the channel secret, else
    # random for this run (never a fixed default: anyone could reverse the pseudonyms).
    log_pseudonym_key: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_escalation_channel: str | None = None
    slack_api_base_url: str = DEFAULT_SLACK_API_BASE_URL
    # helpbot's Slack workspace (T...); requests from any other team are refused. None: the
    # bot token's own team, asked from auth.test on the first Slack request.
    slack_team_id: str | None = None
    # Sign in with Slack for the staff pages (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET); without
    # them staff sign in with a token from `helpbot staff token`.
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    # An unclaimed case is announced again in its thread after this many minutes.
    reannounce_after_minutes: float = 30.0
    # No reminders in this window of the NPO's local time ("21:00-08:00"; "off" for none).
    quiet_hours: str = "21:00-08:00"
    # A message to a person that still fails this many hours after it was due is given up.
    delivery_give_up_hours: float = 24.0
    # Sentence vectors in matching (HELPBOT_SEMANTIC=0 turns them off), and where entry
    # vectors are kept between restarts (None: in memory only).
    semantic_matching: bool = True
    embedding_cache_dir: Path | None = None
    # The web chat (GET / and /api/playground/...): True on, False off, None for the default,
    # which is on only when neither LINE nor Slack is configured (HELPBOT_WEB_CHAT).
    web_chat: bool | None = None
    # Rate limits of the web chat, in flask-limiter's notation ("20/minute"), per process:
    # True on, False off, None for the default, which is on beside LINE or Slack (a public
    # web chat) and off for the local playground (HELPBOT_WEB_CHAT_LIMITS).
    web_chat_limits: bool | None = None
    web_chat_session_limit: str = "20/minute"
    web_chat_client_limit: str = "60/minute"
    web_chat_poll_limit: str = "120/minute"
    web_chat_new_session_limit: str = "10/hour"
    # Reverse proxies in front of the web process whose X-Forwarded-For/-Proto to trust.
    trusted_proxies: int = 0
    # Days a conversation's texts are kept (HELPBOT_RETENTION_DAYS); None ("off"): forever.
    retention_days: int | None = 365
    # Days after a person blocks the account (unfollow) before their data is erased
    # (HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS); None ("off"): never by that alone.
    erase_after_unfollow_days: int | None = 30

    @property
    def line_keys(self) -> LineKeys | None:
        """LINE's secret and token when both are set (LINE is on), else None."""
        if self.line_channel_secret and self.line_channel_access_token:
            return LineKeys(self.line_channel_secret, self.line_channel_access_token)
        return None

    @property
    def line_content_base_url(self) -> str:
        if self.line_api_data_base_url:
            return self.line_api_data_base_url
        if self.line_api_base_url != DEFAULT_LINE_API_BASE_URL:
            return self.line_api_base_url
        return DEFAULT_LINE_API_DATA_BASE_URL

    @property
    def line_enabled(self) -> bool:
        return self.line_keys is not None

    @property
    def slack_keys(self) -> SlackKeys | None:
        """Slack's secret, token and channel when all three are set (Slack is on), else None."""
        secret, token, channel = (
            self.slack_signing_secret, self.slack_bot_token, self.slack_escalation_channel
        )
        if secret and token and channel:
            return SlackKeys(secret, token, channel)
        return None

    @property
    def slack_enabled(self) -> bool:
        return self.slack_keys is not None

    @property
    def web_chat_limited(self) -> bool:
        if self.web_chat_limits is not None:
            return self.web_chat_limits
        return self.line_enabled or self.slack_enabled

    @property
    def web_chat_enabled(self) -> bool:
        if self.web_chat is not None:
            return self.web_chat
        return not (self.line_enabled or self.slack_enabled)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **overrides)
