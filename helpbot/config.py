"""Settings, read once from the environment (and a ``.env`` file) and validated at start-up.

The names of the environment variables are a public contract: NPOs deploy helpbot with them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from helpbot.errors import ConfigError

DEFAULT_LINE_API_BASE_URL = "https://api.line.me"
DEFAULT_SLACK_API_BASE_URL = "https://slack.com/api/"
DEFAULT_PORT = 8000


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything helpbot reads from its environment."""

    database_url: str
    faq_dir: Path
    line_channel_secret: str | None = None
    line_channel_access_token: str | None = None
    line_api_base_url: str = DEFAULT_LINE_API_BASE_URL
    port: int = DEFAULT_PORT
    # Seconds between checks of faq/ for edits.
    faq_check_interval: float = 2.0
    # Key for pseudonymising user ids in logs; derived from the channel secret when unset.
    log_pseudonym_key: str = field(default="", repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_escalation_channel: str | None = None
    slack_api_base_url: str = DEFAULT_SLACK_API_BASE_URL
    # helpbot's Slack workspace (T...); requests from any other team are refused. None: the
    # bot token's own team, asked from auth.test on the first Slack request.
    slack_team_id: str | None = None
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

    @property
    def line_enabled(self) -> bool:
        return bool(self.line_channel_secret and self.line_channel_access_token)

    @property
    def slack_enabled(self) -> bool:
        return bool(
            self.slack_signing_secret and self.slack_bot_token and self.slack_escalation_channel
        )

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
        port=_port(env.get("PORT")),
        faq_check_interval=_positive_float(
            "HELPBOT_FAQ_CHECK_INTERVAL", env.get("HELPBOT_FAQ_CHECK_INTERVAL"), 2.0
        ),
        log_pseudonym_key=env.get("HELPBOT_LOG_KEY") or secret or "helpbot-dev",
    )


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
    return {
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
