"""A fake Slack Web API server: real HTTP on 127.0.0.1, Block Kit checking, recording.

Point the real client at it::

    with FakeSlackApi("xoxb-test-token") as fake:
        client = WebClient(token="xoxb-test-token", base_url=fake.api_url)  # ends with "/api/"

How slack_sdk (3.48) talks to it — verified by ``tests/test_fake_slack_api.py``:

* URLs are built with ``urllib.parse.urljoin(base_url, "chat.postMessage")``; the
  ``WebClient`` constructor appends a missing trailing slash itself (``.../api`` becomes
  ``.../api/``), but the ``/api/`` part is needed: ``base_url=fake.base_url`` would call
  ``/chat.postMessage``. The fake answers any path outside ``/api/`` with 404 (raised as
  ``SlackApiError``) and records a violation naming this mistake. :attr:`FakeSlackApi.api_url`
  is ``base_url + "/api/"``. (Code that calls ``urljoin`` itself does need the slash.)
* The sync ``WebClient`` always sends ``POST`` (even for ``users.info``, whose ``http_verb`` is
  ``GET``). ``chat.postMessage`` / ``chat.update`` / ``chat.postEphemeral`` / ``views.open``
  send ``application/json;charset=utf-8`` bodies; ``auth.test`` / ``users.info`` /
  ``conversations.info`` send ``application/x-www-form-urlencoded``. The fake parses both (and
  query strings), and, like Slack, accepts ``blocks`` / ``view`` / ``attachments`` /
  ``metadata`` given as JSON strings inside form data. The token travels as
  ``Authorization: Bearer <token>``; a ``token`` form field is accepted as Slack does.
* ``ok: false`` answers (HTTP 200) raise ``slack_sdk.errors.SlackApiError`` with
  ``e.response["error"]``. HTTP 429 / 500 raise it too, with ``e.response.status_code`` and,
  for 429, ``e.response.headers["Retry-After"]`` (slack_sdk copies it under both spellings).
* Retries: ``WebClient().retry_handlers`` is ``[ConnectionErrorRetryHandler()]`` only — it
  retries connection resets / URLErrors without a response, never an HTTP status. A 429 is
  therefore NOT retried unless the app adds
  ``slack_sdk.http_retry.builtin_handlers.RateLimitErrorRetryHandler(max_retry_count=n)``,
  which sleeps ``int(Retry-After) + random()`` seconds (blocking!) and resends. 5xx is never
  retried by the built-in handlers.
* ``chat_postMessage(blocks=...)`` without ``text`` makes slack_sdk emit a ``UserWarning``
  (an error under this project's ``filterwarnings = error``) — always pass ``text``.

Checks (a violation answers Slack's error and is appended to :attr:`FakeSlackApi.violations`,
so a test can end with ``assert fake.violations == []``): authentication (``not_authed`` /
``invalid_auth``), unknown methods (``unknown_method``), missing ``channel`` / text
(``channel_not_found`` / ``no_text``), Block Kit limits (``invalid_blocks``: <= 50 blocks, known
block types, section text <= 3000, fields <= 10 x 2000, header <= 150, actions <= 25 elements,
buttons with ``action_id`` <= 255, ``plain_text`` label <= 75, ``value`` <= 2000, unique
``block_id`` / ``action_id``), text > 40000 (``msg_too_long``) and malformed modals for
``views.open`` (``invalid_arguments``). Runtime errors that are not the caller's bug
(``user_not_found``, ``message_not_found``, ``expired_trigger_id``, injected ones) are not
violations.

A ``thread_ts`` naming a message the fake never saw is accepted (the parent may be a human's
message that only reached the app as an event); seed one with :meth:`FakeSlackApi.add_message`
to make it visible in :meth:`FakeSlackApi.thread`.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .http_server import JsonResponse, LoopbackServer
from .slack_extras import OpenIdAndFiles

API_PREFIX = "/api/"
ACTIONS_PREFIX = "/actions/"

MAX_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
MAX_TEXT = 40000
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_MODAL_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255

BLOCK_TYPES = frozenset(
    {
        "section",
        "actions",
        "context",
        "divider",
        "header",
        "input",
        "rich_text",
        "image",
        "markdown",
    }
)
_TS = re.compile(r"^\d{10}\.\d{6}$")
_TRIGGER_ID = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "files")
_HTTP_ERRORS = {
    429: "ratelimited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "request_timeout",
}


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the fake saw it. ``headers`` keys are lower-case.

    ``api_method`` is e.g. ``"chat.postMessage"`` (``None`` outside ``/api/``); ``params`` are
    the merged query/form/JSON parameters with JSON-string fields (``blocks``...) decoded.
    """

    api_method: str | None
    http_method: str
    path: str
    headers: dict[str, str]
    content_type: str
    params: dict[str, Any]
    raw_body: bytes
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass(frozen=True)
class SlackMessage:
    """A message as currently stored (updates applied). ``updated``: number of chat.update."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None = None
    user: str = ""
    bot_id: str | None = None
    reply_broadcast: bool = False
    metadata: dict[str, Any] | None = None
    files: list[dict[str, Any]] | None = None  # shared files; a deleted one is a tombstone
    updated: int = 0
    params: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    def action_ids(self) -> list[str]:
        """All ``action_id`` values in the message's blocks (buttons, selects, ...)."""
        return list(_walk_action_ids(self.blocks or []))


@dataclass(frozen=True)
class MessageUpdate:
    channel: str
    ts: str
    text: str | None
    blocks: list[dict[str, Any]] | None
    params: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Ephemeral:
    channel: str
    user: str
    message_ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None = None


@dataclass(frozen=True)
class SharedFile:
    """A file uploaded with files.uploadV2 (getUploadURLExternal, POST, completeUploadExternal)."""

    file_id: str
    filename: str
    title: str
    content: bytes
    channel: str | None
    initial_comment: str | None


@dataclass(frozen=True)
class OpenedView:
    trigger_id: str
    view_id: str
    view: dict[str, Any]  # what the caller sent

    @property
    def callback_id(self) -> str | None:
        return self.view.get("callback_id")

    @property
    def private_metadata(self) -> str:
        return self.view.get("private_metadata", "")


@dataclass(frozen=True)
class ResponseUrlPost:
    """A JSON body POSTed to a ``response_url`` made by :meth:`FakeSlackApi.new_response_url`."""

    url: str
    body: dict[str, Any]


@dataclass
class _Failure:
    status: int | None  # None: HTTP 200 with ``ok: false``
    error: str
    remaining: int
    retry_after: int | None
    methods: tuple[str, ...] | None
    extra: dict[str, Any] = field(default_factory=dict)

    def matches(self, api_method: str) -> bool:
        return self.methods is None or api_method in self.methods


@dataclass
class _Delay:
    seconds: float
    remaining: int
    methods: tuple[str, ...] | None

    def matches(self, api_method: str) -> bool:
        return self.methods is None or api_method in self.methods


class _Response(JsonResponse):
    body: dict[str, Any]


class _InvalidError(Exception):
    """A caller bug: answer ``ok: false`` with ``error`` and record a violation."""

    def __init__(self, error: str, details: list[str]) -> None:
        super().__init__(error, details)
        self.error = error
        self.details = details


def _ok(**body: Any) -> _Response:
    return _Response(200, {"ok": True, **body})


def _error(error: str, **extra: Any) -> _Response:
    return _Response(200, {"ok": False, "error": error, **extra})


def _is_http(failure: _Failure) -> bool:
    return failure.status is not None


def _is_ok_false(failure: _Failure) -> bool:
    return failure.status is None


def _methods(methods: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if methods is None:
        return None
    if isinstance(methods, str):
        return (methods,)
    return tuple(methods)


# --------------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------------
class FakeSlackApi(OpenIdAndFiles, LoopbackServer[RecordedRequest]):
    """Fake Slack Web API on ``http://127.0.0.1:<ephemeral port>/api/``.

    ``clock`` (seconds since the epoch) drives message timestamps; each ``ts`` is unique and
    strictly increasing even with a frozen clock.
    """

    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        *,
        bot_user_id: str = "UBOT00001",
        team_id: str = "T0000TEST",
        bot_id: str = "B0000BOT1",
        app_id: str = "A0000TEST",
        team_name: str = "helpbot-test",
        bot_name: str = "helpbot",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.bot_token = bot_token
        self.bot_user_id = bot_user_id
        self.team_id = team_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.team_name = team_name
        self.bot_name = bot_name
        self.clock = clock
        self._last_ts_us = 0
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self.add_user(bot_user_id, bot_name, bot_name, is_bot=True)
        self._init_state()

    def _init_state(self) -> None:
        """What :meth:`reset` forgets: requests, messages, views, faults... (users stay)."""
        self._requests: list[RecordedRequest] = []
        self._violations: list[str] = []
        self._messages: list[SlackMessage] = []
        self._updates: list[MessageUpdate] = []
        self._deletions: list[SlackMessage] = []
        self._ephemerals: list[Ephemeral] = []
        self._views: list[OpenedView] = []
        self._response_urls: dict[str, bool] = {}
        self._response_posts: list[ResponseUrlPost] = []
        self._used_triggers: set[str] = set()
        self._expired_triggers: set[str] = set()
        self._failures: list[_Failure] = []
        self._delays: list[_Delay] = []
        self._init_extras()

    # -- lifecycle (start/stop, ``with``, port, base_url: LoopbackServer) ---------------------
    @property
    def api_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)``: ``base_url + "/api/"``."""
        return self.base_url + API_PREFIX

    # -- test controls -------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        name: str,
        display_name: str | None = None,
        *,
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "Asia/Tokyo",
    ) -> None:
        """A user ``users.info`` knows (others answer ``user_not_found``)."""
        real = real_name if real_name is not None else (display_name or name)
        with self._lock:
            self._users[user_id] = {
                "id": user_id,
                "team_id": self.team_id,
                "name": name,
                "deleted": deleted,
                "real_name": real,
                "tz": tz,
                "is_bot": is_bot,
                "is_admin": False,
                "profile": {
                    "display_name": display_name if display_name is not None else name,
                    "real_name": real,
                    "display_name_normalized": display_name if display_name is not None else name,
                    "real_name_normalized": real,
                },
            }

    def add_channel(self, channel_id: str, name: str, *, is_private: bool = False) -> None:
        """Name a channel for ``conversations.info`` (any C/G/D id is answered anyway)."""
        with self._lock:
            self._channels[channel_id] = {"name": name, "is_private": is_private}

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "U0000HUMAN",
        ts: str | None = None,
        thread_ts: str | None = None,
        files: Iterable[str] = (),
    ) -> SlackMessage:
        """Seed a message someone else posted (e.g. the thread parent a case worker wrote);
        ``files``: names of files they attached (only they may delete them)."""
        with self._lock:
            shared = [self._new_file(name, owner=user) for name in files]
            message = SlackMessage(
                channel, ts or self._next_ts(), text, None, thread_ts=thread_ts, user=user,
                files=shared or None,
            )
            self._messages.append(message)
            return message

    def new_response_url(self) -> str:
        """A ``response_url`` served by this fake (POSTs are kept in :attr:`response_posts`)."""
        path = f"{ACTIONS_PREFIX}{self.team_id}/{secrets.randbelow(10**13)}/{secrets.token_hex(12)}"
        with self._lock:
            self._response_urls[path] = True
        return self.base_url + path

    def expire_trigger_id(self, trigger_id: str) -> None:
        """``views.open`` with it answers ``expired_trigger_id`` (Slack's expire after 3 s)."""
        with self._lock:
            self._expired_triggers.add(trigger_id)

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        methods: str | Iterable[str] | None = None,
        error: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching calls with HTTP ``status`` (nothing is stored).

        429 answers ``{"ok": false, "error": "ratelimited"}`` with ``Retry-After`` (default
        ``1``); other statuses a JSON ``ok: false`` body. ``methods``: API method names, e.g.
        ``"chat.postMessage"``; ``None`` = any. Checked before authentication.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        err = error or _HTTP_ERRORS.get(status, f"http_{status}")
        with self._lock:
            self._failures.append(_Failure(status, err, times, retry_after, _methods(methods)))

    def heal(self) -> None:
        """Drop the failures still queued by ``fail_next``/``error_next``: Slack answers again
        (what it stored stays, unlike ``reset``)."""
        with self._lock:
            self._failures.clear()

    def error_next(
        self,
        error: str = "channel_not_found",
        *,
        times: int = 1,
        methods: str | Iterable[str] | None = None,
        **extra: Any,
    ) -> None:
        """Answer the next ``times`` matching (authenticated) calls with HTTP 200
        ``{"ok": false, "error": error, **extra}`` (nothing is stored)."""
        with self._lock:
            self._failures.append(_Failure(None, error, times, None, _methods(methods), extra))

    def delay_next(
        self, seconds: float, *, times: int = 1, methods: str | Iterable[str] | None = None
    ) -> None:
        """Hold the next ``times`` matching calls ``seconds`` before handling them normally."""
        with self._lock:
            self._delays.append(_Delay(seconds, times, _methods(methods)))

    # -- recordings (snapshots; safe to use while the server runs) -----------------------------
    def calls(self, api_method: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.api_method == api_method]

    def messages(self, channel: str | None = None) -> list[SlackMessage]:
        """Stored messages (posted by the app or seeded), in posting order, updates applied."""
        with self._lock:
            return [m for m in self._messages if channel is None or m.channel == channel]

    def message(self, channel: str, ts: str) -> SlackMessage | None:
        with self._lock:
            return self._find(channel, ts)

    def thread(self, channel: str, ts: str) -> list[SlackMessage]:
        """Replies in the thread whose parent has ``ts`` (the parent itself excluded)."""
        return [m for m in self.messages(channel) if m.thread_ts == ts and m.ts != ts]

    def texts(self, channel: str | None = None) -> list[str]:
        return [m.text for m in self.messages(channel)]

    @property
    def updates(self) -> list[MessageUpdate]:
        return self._snapshot(self._updates)

    @property
    def deletions(self) -> list[SlackMessage]:
        return self._snapshot(self._deletions)

    @property
    def ephemerals(self) -> list[Ephemeral]:
        return self._snapshot(self._ephemerals)

    @property
    def files(self) -> list[SharedFile]:
        """Files shared with files.completeUploadExternal, in order (see ``uploads``)."""
        with self._lock:
            return [SharedFile(u.file_id, u.filename, u.title, u.data, u.channel,
                               u.initial_comment) for u in self.uploads]

    @property
    def views(self) -> list[OpenedView]:
        return self._snapshot(self._views)

    @property
    def response_posts(self) -> list[ResponseUrlPost]:
        return self._snapshot(self._response_posts)

    def _progress(self) -> str:
        return f"messages: {self.texts()!r}"

    def wait_for_messages(
        self, count: int, *, channel: str | None = None, timeout: float = 5.0
    ) -> list[SlackMessage]:
        self.wait_for(lambda: len(self.messages(channel)) >= count, timeout=timeout)
        return self.messages(channel)

    # -- request handling (server threads) -----------------------------------------------------
    def _next_ts(self) -> str:
        now_us = int(self.clock() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 100)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def _find(self, channel: str, ts: str) -> SlackMessage | None:
        for message in self._messages:
            if message.channel == channel and message.ts == ts:
                return message
        return None

    def _violation(self, where: str, message: str) -> None:
        self._violations.append(f"{where}: {message}")

    def _handle(self, http_method: str, target: str, headers: dict[str, str], raw: bytes):
        parts = urlsplit(target)
        path = parts.path
        api_method = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else None
        if api_method is not None:
            with self._lock:
                delay = self._take(self._delays, api_method)
            if delay is not None:
                self._stopping.wait(delay.seconds)
        content_type = headers.get("content-type", "")
        if api_method is None and path.startswith(("/upload/", "/openid/")):
            with self._lock:
                extra = (self._receive_upload(path, raw) if path.startswith("/upload/")
                         else self._authorize(parts.query))
                self._requests.append(RecordedRequest(
                    None, http_method, path, dict(headers), content_type, {}, raw,
                    extra.status, extra.body))
                return extra
        with self._lock:
            params: dict[str, Any] = {}
            try:
                params = _parse_params(content_type, raw, parts.query)
                response = self._dispatch(api_method, path, headers, params, raw)
            except _InvalidError as exc:
                for detail in exc.details:
                    self._violation(api_method or path, f"{exc.error}: {detail}")
                response = _error(
                    exc.error,
                    response_metadata={"messages": [f"[ERROR] {d}" for d in exc.details]},
                )
            except Exception as exc:  # a bug in the fake must not look like a network error
                self._violation(api_method or path, f"FakeSlackApi internal error: {exc!r}")
                response = _Response(500, {"ok": False, "error": "internal_error"})
            self._requests.append(
                RecordedRequest(
                    api_method,
                    http_method,
                    path,
                    dict(headers),
                    content_type,
                    params,
                    raw,
                    response.status,
                    response.body,
                )
            )
            return response

    def _dispatch(
        self,
        api_method: str | None,
        path: str,
        headers: dict[str, str],
        params: dict[str, Any],
        raw: bytes,
    ) -> _Response:
        if path in self._response_urls:
            return self._response_url(path, raw)
        if api_method is None:
            self._violation(
                path,
                "not a Slack API path; WebClient base_url must be "
                "'http://127.0.0.1:<port>/api/' (FakeSlackApi.api_url)",
            )
            return _Response(404, {"ok": False, "error": "not_found"})

        failure = self._take(self._failures, api_method, _is_http)
        if failure is not None:
            fail_headers = {}
            if failure.retry_after is not None:
                fail_headers["Retry-After"] = str(failure.retry_after)
            return _Response(failure.status, {"ok": False, "error": failure.error}, fail_headers)

        if api_method in ("openid.connect.token", "openid.connect.userInfo"):
            return self._openid(api_method, headers, params)  # type: ignore[return-value]
        auth = headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else params.get("token")
        if not token:
            raise _InvalidError("not_authed", ["no token (Authorization: Bearer <token>)"])
        if token != self.bot_token:
            raise _InvalidError("invalid_auth", [f"wrong token {token[:10]!r}..."])

        failure = self._take(self._failures, api_method, _is_ok_false)
        if failure is not None:
            return _error(failure.error, **failure.extra)

        handler = _HANDLERS.get(api_method)
        if handler is None:
            raise _InvalidError("unknown_method", [f"{api_method} is not implemented"])
        return handler(self, params)

    # -- endpoints -----------------------------------------------------------------------------
    def _auth_test(self, params: dict[str, Any]) -> _Response:
        return _ok(
            url=f"https://{self.team_name}.slack.com/",
            team=self.team_name,
            user=self.bot_name,
            team_id=self.team_id,
            user_id=self.bot_user_id,
            bot_id=self.bot_id,
            is_enterprise_install=False,
        )

    def _message_json(self, message: SlackMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "message",
            "user": message.user,
            "text": message.text,
            "ts": message.ts,
            "team": self.team_id,
        }
        if message.bot_id:
            body.update(bot_id=message.bot_id, app_id=self.app_id)
        if message.blocks is not None:
            body["blocks"] = message.blocks
        if message.files is not None:
            body.update(files=[dict(f) for f in message.files], upload=True)
        if message.thread_ts is not None:
            body["thread_ts"] = message.thread_ts
            body["parent_user_id"] = self.bot_user_id
        if message.updated:
            body["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return body

    def _content(self, params: dict[str, Any], *, required: bool = True):
        text = params.get("text")
        if text is not None and not isinstance(text, str):
            raise _InvalidError("invalid_arguments", ["text must be a string"])
        blocks = params.get("blocks")
        if blocks is not None:
            if not isinstance(blocks, list):
                raise _InvalidError("invalid_blocks_format", ["blocks must be a JSON array"])
            problems = check_blocks(blocks)
            if problems:
                raise _InvalidError("invalid_blocks", problems)
            if not blocks:
                blocks = None
        has_markdown = bool(params.get("markdown_text"))
        if (
            required
            and not text
            and blocks is None
            and not has_markdown
            and not params.get("attachments")
        ):
            raise _InvalidError("no_text", ["text or blocks is required"])
        if text and len(text) > MAX_TEXT:
            raise _InvalidError("msg_too_long", [f"text longer than {MAX_TEXT} characters"])
        return text or params.get("markdown_text") or "", blocks

    def _channel(self, params: dict[str, Any]) -> str:
        channel = params.get("channel")
        if not isinstance(channel, str) or not channel:
            raise _InvalidError("channel_not_found", ["channel is required"])
        return channel

    def _post_message(self, params: dict[str, Any]) -> _Response:
        channel = self._channel(params)
        text, blocks = self._content(params)
        thread_ts = params.get("thread_ts") or None
        if thread_ts is not None and not (isinstance(thread_ts, str) and _TS.match(thread_ts)):
            raise _InvalidError("invalid_thread_ts", [f"thread_ts {thread_ts!r} is not a ts"])
        if thread_ts is not None:  # a reply to a reply joins the parent's thread
            parent = self._find(channel, thread_ts)
            if parent is not None and parent.thread_ts:
                thread_ts = parent.thread_ts
        metadata = params.get("metadata")
        message = SlackMessage(
            channel,
            self._next_ts(),
            text,
            blocks,
            thread_ts=thread_ts,
            user=self.bot_user_id,
            bot_id=self.bot_id,
            reply_broadcast=_truthy(params.get("reply_broadcast")),
            metadata=metadata if isinstance(metadata, dict) else None,
            params=params,
        )
        self._messages.append(message)
        return _ok(channel=channel, ts=message.ts, message=self._message_json(message))

    def _update(self, params: dict[str, Any]) -> _Response:
        channel = self._channel(params)
        ts = params.get("ts")
        if not isinstance(ts, str) or not ts:
            raise _InvalidError("message_not_found", ["ts is required"])
        text, blocks = self._content(params)
        existing = self._find(channel, ts)
        if existing is None:
            return _error("message_not_found")
        if existing.user != self.bot_user_id:
            return _error("cant_update_message")
        updated = replace(
            existing,
            text=text if "text" in params else existing.text,
            blocks=blocks if "blocks" in params else existing.blocks,
            updated=existing.updated + 1,
            params=params,
        )
        self._messages[self._messages.index(existing)] = updated
        self._updates.append(MessageUpdate(channel, ts, params.get("text"), blocks, params))
        return _ok(channel=channel, ts=ts, text=updated.text, message=self._message_json(updated))

    def _delete(self, params: dict[str, Any]) -> _Response:
        channel = self._channel(params)
        existing = self._find(channel, str(params.get("ts", "")))
        if existing is None:
            return _error("message_not_found")
        if existing.user != self.bot_user_id:
            return _error("cant_delete_message")
        self._messages.remove(existing)
        self._deletions.append(existing)
        return _ok(channel=channel, ts=existing.ts)

    def _conversations_replies(self, params: dict[str, Any]) -> _Response:
        """The parent then its replies, oldest first (one page: the fake's threads are short)."""
        channel = self._channel(params)
        ts = str(params.get("ts", ""))
        parent = self._find(channel, ts)
        replies = [m for m in self._messages if m.channel == channel and m.thread_ts == ts]
        if parent is None and not replies:
            return _error("thread_not_found")
        messages = ([parent] if parent is not None else []) + replies
        return _ok(messages=[self._message_json(m) for m in messages], has_more=False,
                   response_metadata={"next_cursor": ""})

    def _share_files(self, channel: str, thread_ts: str | None, text: str,
                     files: list[dict[str, Any]]) -> None:
        """files.completeUploadExternal with a channel: one message of the app's shows them."""
        self._messages.append(SlackMessage(
            channel, self._next_ts(), text, None, thread_ts=thread_ts, user=self.bot_user_id,
            bot_id=self.bot_id, files=files))

    def _conversations_open(self, params: dict[str, Any]) -> _Response:
        users = str(params.get("users", ""))
        if not users or "," in users:
            raise _InvalidError("invalid_arguments", ["users: one user id for a direct message"])
        return _ok(channel={"id": "D" + users.removeprefix("U"), "is_im": True})

    def _post_ephemeral(self, params: dict[str, Any]) -> _Response:
        channel = self._channel(params)
        user = params.get("user")
        if not isinstance(user, str) or not user:
            raise _InvalidError("user_not_found", ["user is required"])
        text, blocks = self._content(params)
        ts = self._next_ts()
        thread_ts = params.get("thread_ts") or None
        self._ephemerals.append(Ephemeral(channel, user, ts, text, blocks, thread_ts))
        return _ok(message_ts=ts)

    def _users_info(self, params: dict[str, Any]) -> _Response:
        user = self._users.get(str(params.get("user", "")))
        if user is None:
            return _error("user_not_found")
        return _ok(user=json.loads(json.dumps(user)))

    def _conversations_info(self, params: dict[str, Any]) -> _Response:
        channel = str(params.get("channel", ""))
        known = self._channels.get(channel)
        if known is None and not re.match(r"^[CGD][A-Z0-9]{2,}$", channel):
            return _error("channel_not_found")
        known = known or {"name": f"channel-{channel.lower()}", "is_private": False}
        return _ok(
            channel={
                "id": channel,
                "name": known["name"],
                "is_channel": not known["is_private"],
                "is_private": known["is_private"],
                "is_im": channel.startswith("D"),
                "is_member": True,
                "is_archived": False,
                "context_team_id": self.team_id,
            }
        )

    def _views_open(self, params: dict[str, Any]) -> _Response:
        trigger_id = params.get("trigger_id")
        view = params.get("view")
        if not isinstance(trigger_id, str) or not trigger_id:
            raise _InvalidError("invalid_arguments", ["trigger_id is required"])
        if not isinstance(view, dict):
            raise _InvalidError("invalid_arguments", ["view must be a JSON object"])
        problems = check_modal(view)
        if problems:
            raise _InvalidError("invalid_arguments", problems)
        if not _TRIGGER_ID.match(trigger_id):
            return _error("invalid_trigger_id")
        if trigger_id in self._expired_triggers:
            return _error("expired_trigger_id")
        if trigger_id in self._used_triggers:
            return _error("exchanged_trigger_id")
        self._used_triggers.add(trigger_id)
        view_id = "V" + secrets.token_hex(5).upper()
        self._views.append(OpenedView(trigger_id, view_id, view))
        opened = {
            "id": view_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(self.clock())}.{secrets.token_hex(4)}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        return _ok(view=opened)

    def _response_url(self, path: str, raw: bytes) -> _Response:
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._violation(path, "response_url body must be a JSON object")
            return _Response(400, {"ok": False, "error": "invalid_payload"})
        problems = check_blocks(body["blocks"]) if isinstance(body.get("blocks"), list) else []
        if problems:
            for p in problems:
                self._violation(path, f"invalid_blocks: {p}")
            return _Response(400, {"ok": False, "error": "invalid_blocks"})
        self._response_posts.append(ResponseUrlPost(self.base_url + path, body))
        return _ok()


_HANDLERS: dict[str, Callable[[FakeSlackApi, dict[str, Any]], _Response]] = {
    "auth.test": FakeSlackApi._auth_test,
    "chat.postMessage": FakeSlackApi._post_message,
    "chat.update": FakeSlackApi._update,
    "chat.delete": FakeSlackApi._delete,
    "chat.postEphemeral": FakeSlackApi._post_ephemeral,
    "users.info": FakeSlackApi._users_info,
    "conversations.info": FakeSlackApi._conversations_info,
    "views.open": FakeSlackApi._views_open,
    "conversations.replies": FakeSlackApi._conversations_replies,
    "conversations.open": FakeSlackApi._conversations_open,
    "files.getUploadURLExternal": FakeSlackApi._get_upload_url,  # type: ignore[dict-item]
    "files.completeUploadExternal": FakeSlackApi._complete_upload,  # type: ignore[dict-item]
    "files.delete": FakeSlackApi._delete_file,  # type: ignore[dict-item]
}


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------
def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true"))


def _parse_params(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    if raw and media == "application/json":
        try:
            body = json.loads(raw)
        except ValueError:
            raise _InvalidError("invalid_json", ["body is not valid JSON"]) from None
        if not isinstance(body, dict):
            raise _InvalidError("json_not_object", ["JSON body must be an object"])
        params.update(body)
    elif raw and media in ("application/x-www-form-urlencoded", ""):
        try:
            form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError):
            raise _InvalidError("invalid_form_data", ["body is not form data"]) from None
        for key in _JSON_FIELDS:  # Slack accepts these as JSON strings in form data
            if isinstance(form.get(key), str):
                try:
                    form[key] = json.loads(form[key])  # type: ignore[assignment]
                except ValueError:
                    error = "invalid_blocks_format" if key == "blocks" else "invalid_arguments"
                    raise _InvalidError(error, [f"{key} is not valid JSON"]) from None
        params.update(form)
    elif raw:
        raise _InvalidError("invalid_form_data", [f"unsupported Content-Type {content_type!r}"])
    return params


# --------------------------------------------------------------------------------------------
# Block Kit checks
# --------------------------------------------------------------------------------------------
def _walk_action_ids(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        if isinstance(node.get("action_id"), str):
            yield node["action_id"]
        for value in node.values():
            yield from _walk_action_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_action_ids(value)


def _check_text(
    obj: Any, where: str, *, max_len: int, plain_only: bool = False, required: bool = True
) -> list[str]:
    if obj is None:
        return [f"missing text object [json-pointer:{where}]"] if required else []
    if not isinstance(obj, dict):
        return [f"must be a text object [json-pointer:{where}]"]
    kind = obj.get("type")
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if kind not in allowed:
        return [f"type must be one of {list(allowed)} [json-pointer:{where}/type]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"must be a non-empty string [json-pointer:{where}/text]"]
    errors = []
    if len(text) > max_len:
        errors.append(f"must be less than {max_len + 1} characters [json-pointer:{where}/text]")
    if kind == "mrkdwn" and "emoji" in obj:
        errors.append(f"emoji is only allowed for plain_text [json-pointer:{where}/emoji]")
    return errors


def _check_element(element: Any, where: str, action_ids: set[str]) -> list[str]:
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        return [f"element must be an object with a type [json-pointer:{where}]"]
    errors: list[str] = []
    action_id = element.get("action_id")
    if action_id is not None:
        if not isinstance(action_id, str) or not action_id or len(action_id) > MAX_ACTION_ID:
            errors.append(f"action_id must be 1..{MAX_ACTION_ID} chars [json-pointer:{where}]")
        elif action_id in action_ids:
            errors.append(f"duplicate action_id {action_id!r} [json-pointer:{where}/action_id]")
        else:
            action_ids.add(action_id)
    if element["type"] == "button":
        if action_id is None:
            errors.append(f"button needs an action_id [json-pointer:{where}/action_id]")
        errors += _check_text(
            element.get("text"), f"{where}/text", max_len=MAX_BUTTON_TEXT, plain_only=True
        )
        value = element.get("value")
        if value is not None and (not isinstance(value, str) or len(value) > MAX_BUTTON_VALUE):
            errors.append(
                f"value must be a string <= {MAX_BUTTON_VALUE} chars [json-pointer:{where}/value]"
            )
        url = element.get("url")
        if url is not None and (not isinstance(url, str) or len(url) > MAX_URL):
            errors.append(f"url must be <= {MAX_URL} chars [json-pointer:{where}/url]")
        if element.get("style") not in (None, "primary", "danger"):
            errors.append(f"style must be primary or danger [json-pointer:{where}/style]")
    return errors


def _check_block(block: Any, where: str, block_ids: set[str]) -> list[str]:  # noqa: PLR0912
    if not isinstance(block, dict):
        return [f"block must be an object [json-pointer:{where}]"]
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        return [f"unknown block type {kind!r} [json-pointer:{where}/type]"]
    errors: list[str] = []
    block_id = block.get("block_id")
    if block_id is not None:
        if not isinstance(block_id, str) or not block_id or len(block_id) > MAX_BLOCK_ID:
            errors.append(f"block_id must be 1..{MAX_BLOCK_ID} chars [json-pointer:{where}]")
        elif block_id in block_ids:
            errors.append(f"duplicate block_id {block_id!r} [json-pointer:{where}/block_id]")
        else:
            block_ids.add(block_id)
    action_ids: set[str] = set()
    if kind == "section":
        fields = block.get("fields")
        if block.get("text") is None and not fields:
            errors.append(f"section needs text or fields [json-pointer:{where}]")
        errors += _check_text(
            block.get("text"), f"{where}/text", max_len=MAX_SECTION_TEXT, required=False
        )
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > MAX_SECTION_FIELDS:
                errors.append(
                    f"fields must be a list of <= {MAX_SECTION_FIELDS} [json-pointer:{where}]"
                )
            else:
                for i, item in enumerate(fields):
                    errors += _check_text(item, f"{where}/fields/{i}", max_len=MAX_FIELD_TEXT)
        if block.get("accessory") is not None:
            errors += _check_element(block["accessory"], f"{where}/accessory", action_ids)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_ACTIONS_ELEMENTS:
            errors.append(
                f"elements must hold 1..{MAX_ACTIONS_ELEMENTS} items [json-pointer:{where}]"
            )
        else:
            for i, element in enumerate(elements):
                errors += _check_element(element, f"{where}/elements/{i}", action_ids)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
            errors.append(
                f"elements must hold 1..{MAX_CONTEXT_ELEMENTS} items [json-pointer:{where}]"
            )
        else:
            for i, element in enumerate(elements):
                if isinstance(element, dict) and element.get("type") == "image":
                    continue
                errors += _check_text(element, f"{where}/elements/{i}", max_len=MAX_FIELD_TEXT)
    elif kind == "header":
        errors += _check_text(
            block.get("text"), f"{where}/text", max_len=MAX_HEADER_TEXT, plain_only=True
        )
    elif kind == "input":
        errors += _check_text(block.get("label"), f"{where}/label", max_len=2000, plain_only=True)
        errors += _check_element(block.get("element"), f"{where}/element", action_ids)
    elif kind == "rich_text" and not isinstance(block.get("elements"), list):
        errors.append(f"rich_text needs elements [json-pointer:{where}/elements]")
    return errors


def check_blocks(blocks: Any, *, max_blocks: int = MAX_BLOCKS, where: str = "/blocks") -> list[str]:
    """Block Kit problems Slack would reject (``invalid_blocks``); ``[]`` when fine."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{where}]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:{where}]")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        errors += _check_block(block, f"{where}/{i}", block_ids)
    return errors


def check_modal(view: dict[str, Any]) -> list[str]:
    """Problems Slack would reject in a ``views.open`` modal; ``[]`` when fine."""
    errors: list[str] = []
    if view.get("type") != "modal":
        errors.append("type must be 'modal' [json-pointer:/view/type]")
    errors += _check_text(
        view.get("title"), "/view/title", max_len=MAX_MODAL_TITLE, plain_only=True
    )
    for key in ("submit", "close"):
        errors += _check_text(
            view.get(key), f"/view/{key}", max_len=MAX_MODAL_TITLE, plain_only=True, required=False
        )
    if "blocks" not in view:
        errors.append("missing required field: blocks [json-pointer:/view/blocks]")
    else:
        blocks = view["blocks"]
        errors += check_blocks(blocks, max_blocks=MAX_MODAL_BLOCKS, where="/view/blocks")
        if (
            isinstance(blocks, list)
            and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
            and view.get("submit") is None
        ):
            errors.append("a modal with input blocks needs submit [json-pointer:/view/submit]")
    metadata = view.get("private_metadata", "")
    if not isinstance(metadata, str) or len(metadata) > MAX_PRIVATE_METADATA:
        errors.append(
            f"private_metadata must be a string <= {MAX_PRIVATE_METADATA} chars "
            "[json-pointer:/view/private_metadata]"
        )
    callback_id = view.get("callback_id", "")
    if not isinstance(callback_id, str) or len(callback_id) > MAX_CALLBACK_ID:
        errors.append(
            f"callback_id must be <= {MAX_CALLBACK_ID} chars [json-pointer:/view/callback_id]"
        )
    return errors
