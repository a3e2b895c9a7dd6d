"""Read the environment (and a ``.env`` file) into ``Settings``: ``load_settings``.

The rules between variables live here (both LINE keys or neither, all three Slack ones or
none); each single value is read by ``config/parse.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpbot.config import parse
from helpbot.config.settings import (
    DEFAULT_LINE_API_BASE_URL,
    DEFAULT_SLACK_API_BASE_URL,
    Settings,
)
from helpbot.errors import ConfigError


def _read_env(environ: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        from dotenv import dotenv_values

        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    # The real environment wins over the .env file.
    values.update(os.environ if environ is None else environ)
    return values


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
    parse.check_quiet_hours(quiet_hours)
    cache = env.get("HELPBOT_EMBEDDING_CACHE")
    if cache is None:
        cache_dir: Path | None = instance_path.resolve() / "embeddings"
    else:
        cache_dir = Path(cache) if cache.strip() else None
    return Settings(
        **slack,
        semantic_matching=parse.flag("HELPBOT_SEMANTIC", env.get("HELPBOT_SEMANTIC"), default=True),
        embedding_cache_dir=cache_dir,
        quiet_hours=quiet_hours,
        delivery_give_up_hours=parse.positive_float(
            "HELPBOT_DELIVERY_GIVE_UP_HOURS", env.get("HELPBOT_DELIVERY_GIVE_UP_HOURS"), 24.0
        ),
        reannounce_after_minutes=parse.positive_float(
            "HELPBOT_REANNOUNCE_AFTER_MINUTES", env.get("HELPBOT_REANNOUNCE_AFTER_MINUTES"), 30.0
        ),
        database_url=database_url,
        faq_dir=Path(env.get("HELPBOT_FAQ_DIR") or "faq"),
        line_channel_secret=secret,
        line_channel_access_token=token,
        line_api_base_url=base_url,
        line_api_data_base_url=data_url,
        port=parse.port(env.get("PORT")),
        faq_check_interval=parse.positive_float(
            "HELPBOT_FAQ_CHECK_INTERVAL", env.get("HELPBOT_FAQ_CHECK_INTERVAL"), 2.0
        ),
        log_pseudonym_key=parse.log_key(env.get("HELPBOT_LOG_KEY") or secret),
        retention_days=parse.days("HELPBOT_RETENTION_DAYS", env.get("HELPBOT_RETENTION_DAYS"), 365),
        erase_after_unfollow_days=parse.days(
            "HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS", env.get("HELPBOT_ERASE_AFTER_UNFOLLOW_DAYS"), 30
        ),
        **_web_chat_settings(env),
    )


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
        "web_chat": None if raw is None or not raw.strip() else parse.flag(
            "HELPBOT_WEB_CHAT", raw, default=False
        ),
        "trusted_proxies": parse.count(
            "HELPBOT_TRUSTED_PROXIES", env.get("HELPBOT_TRUSTED_PROXIES")
        ),
    }
    limits = env.get("HELPBOT_WEB_CHAT_LIMITS")
    values["web_chat_limits"] = (
        None if limits is None or not limits.strip()
        else parse.flag("HELPBOT_WEB_CHAT_LIMITS", limits, default=True)
    )
    for name, (attribute, default) in WEB_CHAT_LIMITS.items():
        values[attribute] = parse.rate_limit(name, env.get(name) or default)
    return values


SLACK_VARIABLES = ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_ESCALATION_CHANNEL")


def cases_reach_no_staff(settings: Settings) -> str | None:
    """The start-up warning when LINE is on and Slack off: LINE cases reach no staff tool
    (the web chat's staff pane shows only its own session's cases); None otherwise."""
    if not settings.line_enabled or settings.slack_enabled:
        return None
    return (
        f"LINE is configured but Slack is not ({', '.join(SLACK_VARIABLES)} not set): people "
        "on LINE will not reach staff; no staff tool would show their cases, so none is "
        "opened: a person in danger gets the crisis lines, and one who asks for staff is told "
        "staff cannot answer on LINE, with `contact` from faq/staff.yaml; a request to erase "
        "their records is listed by `helpbot person requests`. Set the three Slack variables."
    )


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
