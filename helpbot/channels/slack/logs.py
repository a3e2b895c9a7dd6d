"""The loggers handed to slack_bolt and slack_sdk, without their DEBUG lines.

At DEBUG both libraries log whole request and response bodies: the case posts, a worker's
reply, and the unmasked text `/helpbot original` shows a worker. Logs never carry what people
wrote, at any level, so those lines are dropped here; the libraries' INFO and above stay.
"""

from __future__ import annotations

import logging


class _WithoutBodies(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


def library_logger(name: str) -> logging.Logger:
    """``name``'s logger, made to drop DEBUG records (once, however often it is asked for)."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, _WithoutBodies) for f in logger.filters):
        logger.addFilter(_WithoutBodies())
    return logger
