"""Case workers' names from Slack's ``users.info``, cached, for case views, relayed replies
(「相談員のさとうです」 when ``introduce_workers: true`` in ``faq/staff.yaml``) and reports."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from helpbot.cases.introductions import already_introduced
from helpbot.storage.database import Database

logger = logging.getLogger(__name__)

CACHE_FOR = dt.timedelta(hours=6)
MAX_CACHED = 2000
# By the person's language; Japanese for any other.
INTRODUCTIONS = {
    "ja": "相談員の{name}です。",
    "en": "This is {name}, a member of our support staff.",
}


class SlackNames:
    """``users.info`` with a cache: the display name, else the real name, else the handle."""

    def __init__(self, client: WebClient, *, clock: Callable[[], dt.datetime]) -> None:
        self._client = client
        self._clock = clock
        self._cache: dict[str, tuple[str, dt.datetime]] = {}
        self._lock = threading.Lock()

    def name_of(self, user_id: str) -> str | None:
        """The worker's name, or None when Slack does not say (then callers show the id)."""
        if not user_id:
            return None
        now = self._clock()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and now - cached[1] < CACHE_FOR:
            return cached[0]
        try:
            user = self._client.users_info(user=user_id)["user"]
        except (SlackClientError, KeyError, TypeError) as error:
            logger.info("users.info gave no name (%s)", type(error).__name__)
            return cached[0] if cached is not None else None
        profile = user.get("profile") or {}
        name = str(profile.get("display_name") or profile.get("real_name")
                   or user.get("real_name") or user.get("name") or "").strip()
        if not name:
            return None
        with self._lock:
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            self._cache[user_id] = (name[:128], now)
        return name[:128]


class WorkerIntroductions:
    """Put 「相談員のさとうです。」 before a worker's first reply in a case, when enabled."""

    def __init__(self, *, database: Database, names: SlackNames,
                 enabled: Callable[[], bool]) -> None:
        self._database = database
        self._names = names
        self._enabled = enabled

    def introduce(self, *, case_id: int, worker_id: str, text: str) -> str:
        if not self._enabled():
            return text
        name = self._names.name_of(worker_id)
        if name is None:
            return text
        language = already_introduced(
            self._database, case_id=case_id,
            introductions=[phrase.format(name=name) for phrase in INTRODUCTIONS.values()],
        )
        if language is None:  # introduced before, or the case is gone
            return text
        phrase = INTRODUCTIONS.get(language, INTRODUCTIONS["ja"]).format(name=name)
        return f"{phrase}\n{text}"
