"""Gunicorn's access log without the web chat's polling: ``helpbot serve`` uses it.

The web chat page asks for new messages every two seconds; those successful GETs were half
of the lines of ``make run``. Every other request, and any poll that fails, is still logged.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

# GET paths the web chat page polls (its chat and its staff pane).
POLLED_PATHS = frozenset({"/api/playground/messages", "/api/playground/cases"})
QUIET_STATUSES = frozenset({"200", "304"})


def is_quiet_poll(*, method: str, path: str, status: str) -> bool:
    """Whether an access-log line is a successful poll of the web chat."""
    return method == "GET" and path in POLLED_PATHS and status in QUIET_STATUSES


class QuietPollingLogger(Logger):
    """gunicorn's Logger, minus the access lines of successful web chat polls."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else str(resp.status)
        if is_quiet_poll(method=environ.get("REQUEST_METHOD", ""),
                         path=environ.get("PATH_INFO", ""), status=status):
            return
        super().access(resp, req, environ, request_time)
