"""One environment variable each: read a value, or raise ConfigError naming the variable.

Used as ``parse.flag("HELPBOT_SEMANTIC", raw, default=True)`` by ``config/environment.py``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from helpbot.config.settings import DEFAULT_PORT
from helpbot.errors import ConfigError

logger = logging.getLogger(__name__)
N = TypeVar("N", int, float)


def port(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_PORT
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"PORT must be a number like 8000, got {raw!r}.") from None
    if not 0 < port < 65536:
        raise ConfigError(f"PORT must be between 1 and 65535, got {port}.")
    return port


def _not_negative(name: str, raw: str, convert: Callable[[str], N], what: str) -> N:
    """``raw`` converted, or a ConfigError saying it must be ``what``, or not negative."""
    try:
        value = convert(raw)
    except ValueError:
        raise ConfigError(f"{name} must be {what}, got {raw!r}.") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}.")
    return value


def positive_float(name: str, raw: str | None, default: float) -> float:
    if raw is None or raw == "":
        return default
    return _not_negative(name, raw, float, "a number of seconds")


def days(name: str, raw: str | None, default: int) -> int | None:
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
    return _not_negative(name, raw, int, "a whole number of days like 365, or off")


def count(name: str, raw: str | None) -> int:
    if raw is None or not raw.strip():
        return 0
    return _not_negative(name, raw, int, "a whole number like 1")


def flag(name: str, raw: str | None, *, default: bool) -> bool:
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be on or off (1/0), got {raw!r}.")


def rate_limit(name: str, value: str) -> str:
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


def check_quiet_hours(value: str) -> None:
    from zoneinfo import ZoneInfo

    from helpbot.reminders.quiet_hours import parse_quiet_hours

    try:
        parse_quiet_hours(value, ZoneInfo("UTC"))
    except ValueError as error:
        raise ConfigError(
            f"HELPBOT_QUIET_HOURS: {error}. Write it like 21:00-08:00, or off."
        ) from None


def log_key(configured: str | None) -> str:
    if configured:
        return configured
    logger.warning(
        "HELPBOT_LOG_KEY is not set (nor LINE_CHANNEL_SECRET): the pseudonyms of user ids in "
        "the logs use a random key for this run only, so they differ between processes and "
        "restarts. Set HELPBOT_LOG_KEY to a long random string to follow a person across them."
    )
    return secrets.token_hex(16)
