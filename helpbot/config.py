"""Settings, read once from the environment (and a ``.env`` file) and validated at start-up.

The names of the environment variables are a public contract: NPOs deploy helpbot with them.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from helpbot.errors import ConfigError

logger = logging.getLogger(__name__)

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
    # How much ``helpbot worker`` lowers its own CPU priority (nice increment, 0-19; 0: not
    # at all), so that on a shared host the web process acknowledges LINE first
    # (HELPBOT_WORKER_NICE). The worker still gets every idle cycle.
    worker_nice: int = 10

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


def _read_env(environ: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        from dotenv import dotenv_values

        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    # The real environment wins over the .env file.
    values.update(os.environ if environ is None else environ)
    return values


def _port(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_PORT
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"PORT must be a number like 8000, got {raw!r}.") from None
    if not 0 < port < 65536:
        raise ConfigError(f"PORT must be between 1 and 65535, got {port}.")
    return port


def _positive_float(name: str, raw: str | None, default: float) -> float:
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}.") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}.")
    return value


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'helpbot.sqlite3'}"


def load_settings(
    *,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    instance_path: Path = Path("instance"),
) -> Settings:
    """Read and validate settings; raise ConfigError naming the variable that is wrong."""
    env = _read_env(environ, env_file)
    database_url = env.get("HELPBOT_DATABASE_URL") or default_database_url(
        instance_path.resolve()
    )
    if database_url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy wants the psycopg 3 driver named.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    if not database_url.startswith(("sqlite:", "postgresql")):
        raise ConfigError(
            "HELPBOT_DATABASE_URL must be an sqlite:/// or postgresql:// URL, "
            f"got one starting with {database_url.split(':', 1)[0]!r}."
        )
    secret = env.get("LINE_CHANNEL_SECRET") or None
    token = env.get("LINE_CHANNEL_ACCESS_TOKEN") or None
    if bool(secret) != bool(token):
        missing = "LINE_CHANNEL_ACCESS_TOKEN" if secret else "LINE_CHANNEL_SECRET"
        raise ConfigError(
            f"{missing} is not set, but its partner is. Set both LINE_CHANNEL_SECRET and "
            "LINE_CHANNEL_ACCESS_TOKEN (LINE Developers console -> your channel -> "
            "Basic settings / Messaging API), or neither to run without LINE."
        )
    base_url = (env.get("LINE_API_BASE_URL") or DEFAULT_LINE_API_BASE_URL).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"LINE_API_BASE_URL must start with http:// or https://: {base_url!r}")
    data_url = (env.get("LINE_API_DATA_BASE_URL") or "").rstrip("/") or None
    if data_url is not None and not data_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"LINE_API_DATA_BASE_URL must start with http:// or https://: {data_url!r}")
    slack = _slack_settings(env)
    quiet_hours = env.get("HELPBOT_QUIET_HOURS", "21:00-08:00")
    _check_quiet_hours(quiet_hours)
    cache = env.get("HELPBOT_EMBEDDING_CACHE")
    if cache is None:
        cache_dir: Path | None = instance_path.resolve() / "embeddings"
    else:
        cache_dir = Path(cache) if cache.strip() else None
    return Settings(
        **slack,
        semantic_matching=_flag("HELPBOT_SEMANTIC", env.get("HELPBOT_SEMANTIC"), default=True),
        embedding_cache_dir=cache_dir,
        quiet_hours=quiet_hours,
        delivery_give_up_hours=_positive_float(
            "HELPBOT_DELIVERY_GIVE_UP_HOURS", env.get("HELPBOT_DELIVERY_GIVE_UP_HOURS"), 24.0
        ),
        reannounce_after_minutes=_positive_float(
            "HELPBOT_REANNOUNCE_AFTER_MINUTES", env.get("HELPBOT_REANNOUNCE_AFTER_MINUTES"), 30.0
        ),
        database_url=database_url,
        faq_dir=Path(env.get("HELPBOT_FAQ_DIR") or "faq"),
        line_channel_secret=secret,
        line_channel_access_token=token,
        line_api_base_url=base_url,
        line_api_data_base_url=data_url,
        port=_port(env.get("PORT")),
        faq_check_interval=_positive_float(
            "HELPBOT_FAQ_CHECK_INTERVAL", env.get("HELPBOT_FAQ_CHECK_INTERVAL"), 2.0
        ),
        log_pseudonym_key=_log_key(env.get("HELPBOT_LOG_KEY") or secret),
        retention_days=_days("HELPBOT_RETENTION_DAYS", env.get("HELPBOT_RETENTION_DAYS"), 365),
        erase_after_unfollow_days=_days(
            "HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS", env.get("HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS"), 30
        ),
        worker_nice=_nice("HELPBOT_WORKER_NICE", env.get("HELPBOT_WORKER_NICE"), 10),
        **_web_chat_settings(env),
    )


def _nice(name: str, raw: str | None, default: int) -> int:
    """A nice increment: 0 (off) to 19 (only idle CPU)."""
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name} must be a whole number from 0 (off) to 19, like 10, got {raw!r}."
        ) from None
    if not 0 <= value <= 19:
        raise ConfigError(f"{name} must be from 0 (off) to 19, got {raw!r}.")
    return value


def _days(name: str, raw: str | None, default: int) -> int | None:
    """A number of days, or None for "off" (keep forever)."""
    if raw is None or not raw.strip():
        return default
    if raw.strip().lower() == "off":
        if name == "HELPBOT_RETENTION_DAYS":
            logger.warning(
                "HELPBOT_RETENTION_DAYS is off: what people wrote is kept forever. Set a number "
                "of days (365 is the default) unless your NPO has decided to keep everything."
            )
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name} must be a whole number of days like 365, or off, got {raw!r}."
        ) from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}.")
    return value


def _log_key(configured: str | None) -> str:
    if configured:
        return configured
    logger.warning(
        "HELPBOT_LOG_KEY is not set (nor LINE_CHANNEL_SECRET): the pseudonyms of user ids in "
        "the logs use a random key for this run only, so they differ between processes and "
        "restarts. Set HELPBOT_LOG_KEY to a long random string to follow a person across them."
    )
    return secrets.token_hex(16)


WEB_CHAT_LIMITS = {
    "HELPBOT_WEB_CHAT_SESSION_LIMIT": ("web_chat_session_limit", "20/minute"),
    "HELPBOT_WEB_CHAT_CLIENT_LIMIT": ("web_chat_client_limit", "60/minute"),
    "HELPBOT_WEB_CHAT_POLL_LIMIT": ("web_chat_poll_limit", "120/minute"),
    "HELPBOT_WEB_CHAT_NEW_SESSION_LIMIT": ("web_chat_new_session_limit", "10/hour"),
}


def _web_chat_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """HELPBOT_WEB_CHAT (on/off; unset: on only without LINE and Slack) and its limits."""
    raw = env.get("HELPBOT_WEB_CHAT")
    values: dict[str, Any] = {
        "web_chat": None if raw is None or not raw.strip() else _flag(
            "HELPBOT_WEB_CHAT", raw, default=False
        ),
        "trusted_proxies": _count("HELPBOT_TRUSTED_PROXIES", env.get("HELPBOT_TRUSTED_PROXIES")),
    }
    limits = env.get("HELPBOT_WEB_CHAT_LIMITS")
    values["web_chat_limits"] = (
        None if limits is None or not limits.strip()
        else _flag("HELPBOT_WEB_CHAT_LIMITS", limits, default=True)
    )
    for name, (attribute, default) in WEB_CHAT_LIMITS.items():
        values[attribute] = _rate_limit(name, env.get(name) or default)
    return values


def _rate_limit(name: str, value: str) -> str:
    from limits import parse_many

    try:
        rates = parse_many(value)
    except ValueError:
        rates = []
    if not rates or any(rate.amount < 1 for rate in rates):
        raise ConfigError(
            f"{name} must be a rate like 20/minute or 10/hour (several: 5/second;20/minute), "
            f"got {value!r}."
        )
    return value


def _count(name: str, raw: str | None) -> int:
    if raw is None or not raw.strip():
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number like 1, got {raw!r}.") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}.")
    return value


SLACK_VARIABLES = ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_ESCALATION_CHANNEL")


def _slack_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Slack is on when all three variables are set, off when none is; half is an error."""
    given = {name: env.get(name) or None for name in SLACK_VARIABLES}
    missing = [name for name, value in given.items() if value is None]
    if missing and len(missing) < len(SLACK_VARIABLES):
        raise ConfigError(
            f"{', '.join(missing)} not set, but other Slack settings are. Set all of "
            f"{', '.join(SLACK_VARIABLES)} (README: 'Connecting Slack'), or none of them "
            "to run without Slack (the playground then shows a staff pane)."
        )
    base_url = env.get("SLACK_API_BASE_URL") or DEFAULT_SLACK_API_BASE_URL
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_BASE_URL must start with http:// or https://: {base_url!r}")
    team_id = env.get("SLACK_TEAM_ID") or None
    if team_id is not None and re.fullmatch(r"T[A-Z0-9]{2,}", team_id) is None:
        raise ConfigError(
            f"SLACK_TEAM_ID must be a Slack team ID like T0123ABCD, got {team_id!r} (Slack: "
            "workspace menu -> Settings -> 'Workspace ID'), or unset to use the bot token's team."
        )
    client_id = env.get("SLACK_CLIENT_ID") or None
    client_secret = env.get("SLACK_CLIENT_SECRET") or None
    if (client_id is None) != (client_secret is None):
        raise ConfigError(
            "Set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Slack app -> Basic Information "
            "-> App Credentials) for Sign in with Slack on the staff pages, or neither to sign "
            "in with a token from `helpbot staff token`."
        )
    return {
        "slack_client_id": client_id,
        "slack_client_secret": client_secret,
        "slack_team_id": team_id,
        "slack_signing_secret": given["SLACK_SIGNING_SECRET"],
        "slack_bot_token": given["SLACK_BOT_TOKEN"],
        "slack_escalation_channel": given["SLACK_ESCALATION_CHANNEL"],
        # slack_sdk joins method names onto the base URL, which must end with a slash.
        "slack_api_base_url": base_url.rstrip("/") + "/",
    }


def _check_quiet_hours(value: str) -> None:
    from zoneinfo import ZoneInfo

    from helpbot.reminders.quiet_hours import parse_quiet_hours

    try:
        parse_quiet_hours(value, ZoneInfo("UTC"))
    except ValueError as error:
        raise ConfigError(
            f"HELPBOT_QUIET_HOURS: {error}. Write it like 21:00-08:00, or off."
        ) from None


def _flag(name: str, raw: str | None, *, default: bool) -> bool:
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be on or off (1/0), got {raw!r}.")
