"""Settings for CLI commands, with ConfigError turned into a clear message and exit code."""

from __future__ import annotations

import click

from helpbot.config import Settings, load_settings
from helpbot.errors import ConfigError


def cli_settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
