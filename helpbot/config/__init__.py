"""Settings, read once from the environment (and a ``.env`` file) and validated at start-up.

The names of the environment variables are a public contract: NPOs deploy helpbot with them.

- ``settings``: the ``Settings`` dataclass (and the LINE and Slack keys it hands out)
- ``environment``: ``load_settings``, and the rules between variables
- ``parse``: one variable each, with the error message that names it
"""

from __future__ import annotations

from helpbot.config.environment import (
    SLACK_VARIABLES,
    WEB_CHAT_LIMITS,
    cases_reach_no_staff,
    default_database_url,
    load_settings,
)
from helpbot.config.settings import (
    DEFAULT_LINE_API_BASE_URL,
    DEFAULT_LINE_API_DATA_BASE_URL,
    DEFAULT_PORT,
    DEFAULT_SLACK_API_BASE_URL,
    LineKeys,
    Settings,
    SlackKeys,
)

__all__ = [
    "DEFAULT_LINE_API_BASE_URL",
    "DEFAULT_LINE_API_DATA_BASE_URL",
    "DEFAULT_PORT",
    "DEFAULT_SLACK_API_BASE_URL",
    "SLACK_VARIABLES",
    "WEB_CHAT_LIMITS",
    "LineKeys",
    "Settings",
    "SlackKeys",
    "cases_reach_no_staff",
    "default_database_url",
    "load_settings",
]
