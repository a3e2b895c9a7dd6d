"""A fake LINE Messaging API server: real HTTP on 127.0.0.1, contract-checking, recording.

Point the service's ``LINE_API_BASE_URL`` at :attr:`FakeLineApi.base_url` and let it use the
real line-bot-sdk client. Every request body is checked three ways:

1. LINE's OpenAPI document (``messaging-api.yml``, see :mod:`tests.fakes.contracts`) — skipped
   when the document is not available;
2. the SDK's own pydantic models (``ReplyMessageRequest.from_dict``, ``Message.from_dict``);
3. LINE's documented limits that neither of the above encodes (text <= 5000 characters,
   quick-reply labels <= 20 characters, non-empty text, ``to`` shaped like a LINE ID, ...).
   Lengths are counted in UTF-16 code units, which is never less than the character count,
   so passing here means passing at LINE.

A violation answers 400 with LINE's error shape ``{"message": ..., "details": [...]}`` and is
appended to :attr:`FakeLineApi.violations`, so a test can end with
``assert fake.violations == []``. Authentication failures and calls to endpoints the fake does
not implement are recorded there too (they are bugs of the caller as well).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import contracts
from .http_server import JsonResponse as _Response
from .http_server import LoopbackServer
from .line_richmenu import FakeRichMenus, RichMenuViolationError

REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
CONTENT_PREFIX = "/v2/bot/message/"
PROFILE_PREFIX = "/v2/bot/profile/"
BOT_INFO_PATH = "/v2/bot/info"

MAX_MESSAGES = 5
MAX_TEXT_LENGTH = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_ALT_TEXT = 1500  # flex altText
MAX_CAROUSEL_BUBBLES = 12

INVALID_REPLY_TOKEN = "Invalid reply token"
RETRY_KEY_ACCEPTED = "The retry key is already accepted"

_LINE_ID = re.compile(r"^[UCR][0-9a-f]{32}$")
_USER_ID = re.compile(r"^U[0-9a-f]{32}$")
_DEFAULT_ERRORS = {
    400: "Bad Request",
    401: "Authentication failed. Confirm that the access token in the authorization header is "
    "valid.",
    403: "Not authorized to use this endpoint",
    404: "Not found",
    409: "Conflict",
    429: "The API rate limit has been exceeded. Try again later.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
}

_AUTO: Any = object()


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the fake saw it. ``headers`` keys are lower-case."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or None (no body / not JSON)
    raw_body: bytes
    status: int  # status the fake answered with


@dataclass(frozen=True)
class Delivery:
    """A message batch LINE accepted: a reply (``kind == "reply"``) or a push."""

    kind: str  # "reply" | "push"
    user_id: str | None  # push: ``to``; reply: the user the token was issued for
    messages: list[dict[str, Any]]
    reply_token: str | None = None
    retry_key: str | None = None
    request_id: str = ""

    @property
    def texts(self) -> list[str]:
        return [
            m["text"]
            for m in self.messages
            if m.get("type") in ("text", "textV2") and isinstance(m.get("text"), str)
        ]


@dataclass(frozen=True)
class Reply:
    reply_token: str
    messages: list[dict[str, Any]]
    user_id: str | None
    request_id: str


@dataclass(frozen=True)
class Push:
    to: str
    messages: list[dict[str, Any]]
    retry_key: str | None
    request_id: str


@dataclass
class _ReplyToken:
    user_id: str | None
    expires_at: float
    used: bool = False


@dataclass
class _Failure:
    status: int
    remaining: int
    retry_after: int | None
    paths: tuple[str, ...] | None
    body: dict[str, Any] | None = None

    def matches(self, path: str) -> bool:
        return self.paths is None or any(path.startswith(p) for p in self.paths)


@dataclass
class _Delay:
    seconds: float
    remaining: int
    paths: tuple[str, ...] | None

    def matches(self, path: str) -> bool:
        return self.paths is None or any(path.startswith(p) for p in self.paths)


class _ContractViolationError(Exception):
    def __init__(self, details: list[contracts.SchemaError]) -> None:
        super().__init__(details)
        self.details = details


def utf16_len(text: str) -> int:
    """Length as LINE counts it for limits (UTF-16 code units; an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------------
class FakeLineApi(LoopbackServer[RecordedRequest]):
    """Fake LINE Messaging API on ``http://127.0.0.1:<ephemeral port>``.

    ``contracts_dir``: directory holding LINE's ``messaging-api.yml``; default auto-detects
    ``<checkout>/../shared/contracts/line``; ``None`` disables the OpenAPI check (the SDK-model
    and limit checks always run). ``clock`` drives reply-token expiry.
    """

    http_methods = ("GET", "POST", "PUT", "DELETE")

    def __init__(
        self,
        access_token: str = "test-channel-access-token",
        *,
        contracts_dir: Path | str | None = _AUTO,
        clock: Callable[[], float] = time.monotonic,
        bot_user_id: str = "U" + "b0" * 16,
        bot_display_name: str = "helpbot",
    ) -> None:
        super().__init__()
        self.access_token = access_token
        self.clock = clock
        self.bot_user_id = bot_user_id
        self.bot_display_name = bot_display_name
        if contracts_dir is _AUTO:
            contracts_dir = contracts.find_contracts_dir()
        self.contract = (
            contracts.messaging_api_contract(Path(contracts_dir)) if contracts_dir else None
        )
        self._profiles: dict[str, dict[str, Any] | None] = {}
        self._init_state()

    def _init_state(self) -> None:
        """What :meth:`reset` forgets: requests, deliveries, tokens, retry keys, faults..."""
        self._requests: list[RecordedRequest] = []
        self._deliveries: list[Delivery] = []
        self._violations: list[str] = []
        self._tokens: dict[str, _ReplyToken] = {}
        self._accepted_retry_keys: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self._failures: list[_Failure] = []
        self._delays: list[_Delay] = []
        self._late_answers: list[_Delay] = []
        # Rich menus (tests/fakes/line_richmenu.py): menus, images and the default.
        self.rich_menus = FakeRichMenus(self.contract)
        self._contents: dict[str, tuple[bytes, str]] = {}

    # -- test controls -------------------------------------------------------------------------
    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """What ``GET /v2/bot/message/{id}/content`` (api-data.line.me) answers for a message
        the person sent; others answer 404 (the content expired or never existed)."""
        with self._lock:
            self._contents[message_id] = (data, content_type)

    def issue_reply_token(self, *, user_id: str | None = None, ttl_seconds: float = 60.0) -> str:
        """A fresh single-use reply token (32 hex chars, as LINE's), valid ``ttl_seconds``."""
        token = uuid.uuid4().hex
        with self._lock:
            self._tokens[token] = _ReplyToken(user_id, self.clock() + ttl_seconds)
        return token

    def expire_reply_token(self, token: str) -> None:
        with self._lock:
            if token in self._tokens:
                self._tokens[token].expires_at = float("-inf")

    def set_profile(
        self,
        user_id: str,
        display_name: str | None,
        *,
        language: str | None = None,
        picture_url: str | None = None,
        status_message: str | None = None,
    ) -> None:
        """Profile returned by ``GET /v2/bot/profile/{user_id}``; ``None`` -> 404 (not a friend).

        Users without a set profile get ``displayName`` ``"LINE user <last 4 of id>"``.
        """
        with self._lock:
            if display_name is None:
                self._profiles[user_id] = None
                return
            profile: dict[str, Any] = {"userId": user_id, "displayName": display_name}
            for key, value in (
                ("language", language),
                ("pictureUrl", picture_url),
                ("statusMessage", status_message),
            ):
                if value is not None:
                    profile[key] = value
            self._profiles[user_id] = profile

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        paths: tuple[str, ...] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (nothing is delivered).

        ``paths``: path prefixes to match (e.g. ``("/v2/bot/message/push",)``); ``None`` = any.
        ``retry_after`` adds a ``Retry-After`` header. Injected failures are checked before
        authentication and validation, as an overloaded LINE front end would answer.
        """
        with self._lock:
            self._failures.append(_Failure(status, times, retry_after, paths, body))

    def delay_next(
        self, seconds: float, *, times: int = 1, paths: tuple[str, ...] | None = None
    ) -> None:
        """Hold the next ``times`` matching requests ``seconds`` before handling them (a slow
        LINE: ``delay_next(7, times=...)``).

        The request is then handled normally, i.e. a client that timed out may still have
        been delivered — exactly the case ``X-Line-Retry-Key`` exists for.
        """
        with self._lock:
            self._delays.append(_Delay(seconds, times, paths))

    def answer_late(
        self, seconds: float, *, times: int = 1, paths: tuple[str, ...] | None = None
    ) -> None:
        """Handle the next ``times`` matching requests at once, but hold the answer ``seconds``.

        A reply is delivered and its token consumed even when the caller gives up waiting (a
        timeout, a killed worker) and never sees the answer: what an overloaded LINE does. A
        later request with the same token gets LINE's 400 ``{"message": "Invalid reply
        token"}``. ``seconds=float("inf")``: the answer never comes (until the fake stops).
        """
        with self._lock:
            self._late_answers.append(_Delay(seconds, times, paths))

    # -- recordings (snapshots; safe to iterate while the server runs) -------------------------
    @property
    def deliveries(self) -> list[Delivery]:
        return self._snapshot(self._deliveries)

    @property
    def replies(self) -> list[Reply]:
        return [
            Reply(d.reply_token or "", d.messages, d.user_id, d.request_id)
            for d in self.deliveries
            if d.kind == "reply"
        ]

    @property
    def pushes(self) -> list[Push]:
        return [
            Push(d.user_id or "", d.messages, d.retry_key, d.request_id)
            for d in self.deliveries
            if d.kind == "push"
        ]

    def sent_texts(self, user_id: str | None = None) -> list[str]:
        """Texts of all delivered messages (replies and pushes) in delivery order."""
        return [
            text
            for d in self.deliveries
            if user_id is None or d.user_id == user_id
            for text in d.texts
        ]

    def sent_messages(self, user_id: str | None = None) -> list[dict[str, Any]]:
        deliveries = self.deliveries
        return [m for d in deliveries if user_id in (None, d.user_id) for m in d.messages]

    def _progress(self) -> str:
        return f"delivered texts: {self.sent_texts()!r}"

    def wait_for_texts(
        self, count: int, *, user_id: str | None = None, timeout: float = 5.0
    ) -> list[str]:
        """Wait until at least ``count`` texts were delivered (to ``user_id``); return them."""
        self.wait_for(lambda: len(self.sent_texts(user_id)) >= count, timeout=timeout)
        return self.sent_texts(user_id)

    # -- request handling (server threads) -----------------------------------------------------
    def _handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> _Response:
        parts = urlsplit(target)
        path, query = parts.path, parts.query
        with self._lock:
            delay = self._take(self._delays, path)
        if delay is not None:
            self._stopping.wait(delay.seconds)
        body: Any = None
        with self._lock:
            try:
                if raw:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = None
                response = self._dispatch(method, path, headers, raw, body)
            except _ContractViolationError as exc:
                for detail in exc.details:
                    self._violations.append(f"{method} {path}: {detail}")
                response = _Response(
                    400,
                    {
                        "message": f"The request body has {len(exc.details)} error(s)",
                        "details": [
                            {"message": d.message, "property": d.property} for d in exc.details
                        ],
                    },
                )
            except Exception as exc:  # a bug in the fake must not look like a network error
                self._violation(method, path, f"FakeLineApi internal error: {_one_line(exc)}")
                response = _Response(500, {"message": _DEFAULT_ERRORS[500]})
            response.headers.setdefault("x-line-request-id", str(uuid.uuid4()))
            self._requests.append(
                RecordedRequest(method, path, query, dict(headers), body, raw, response.status)
            )
            late = self._take(self._late_answers, path)
        if late is not None:
            self._stopping.wait(None if late.seconds == float("inf") else late.seconds)
        return response

    def _violation(self, method: str, path: str, message: str) -> None:
        self._violations.append(f"{method} {path}: {message}")

    def _content(self, path: str) -> _Response:
        found = self._contents.get(unquote(path[len(CONTENT_PREFIX):-len("/content")]))
        if found is None:
            return _Response(404, {"message": "Not found"})
        return _Response(200, found[0], {"Content-Type": found[1]})

    def _dispatch(  # noqa: PLR0911, PLR0912 - one branch per endpoint reads best here
        self, method: str, path: str, headers: dict[str, str], raw: bytes, body: Any
    ) -> _Response:
        failure = self._take(self._failures, path)
        if failure is not None:
            fail_headers = {}
            if failure.retry_after is not None:
                fail_headers["Retry-After"] = str(failure.retry_after)
            message = _DEFAULT_ERRORS.get(failure.status, f"Injected error {failure.status}")
            return _Response(failure.status, failure.body or {"message": message}, fail_headers)

        auth = headers.get("authorization", "")
        if auth != f"Bearer {self.access_token}":
            self._violation(method, path, "missing or wrong 'Authorization: Bearer <token>'")
            return _Response(401, {"message": _DEFAULT_ERRORS[401]})

        if method == "POST" and path in (REPLY_PATH, PUSH_PATH):
            if not headers.get("content-type", "").startswith("application/json"):
                raise _ContractViolationError(
                    [contracts.SchemaError("Content-Type", "must be application/json")]
                )
            if body is None:
                raise _ContractViolationError(
                    [contracts.SchemaError("", "The request body could not be parsed as JSON")]
                )
            kind = "reply" if path == REPLY_PATH else "push"
            self._check_body(kind, method, path, body)
            if kind == "reply":
                return self._reply(body)
            return self._push(method, path, headers, body)
        if method == "GET" and path.startswith(CONTENT_PREFIX) and path.endswith("/content"):
            return self._content(path)
        if method == "GET" and path.startswith(PROFILE_PREFIX):
            return self._profile(unquote(path[len(PROFILE_PREFIX) :]))
        if method == "GET" and path == BOT_INFO_PATH:
            return _Response(
                200,
                {
                    "userId": self.bot_user_id,
                    "basicId": "@000helpbot",
                    "displayName": self.bot_display_name,
                    "chatMode": "bot",
                    "markAsReadMode": "auto",
                },
            )
        if self.rich_menus.handles(path):
            try:
                answer = self.rich_menus.dispatch(method, path, headers, raw, body)
            except RichMenuViolationError as exc:
                raise _ContractViolationError(exc.details) from None
            if answer is not None:
                return answer
        self._violation(method, path, "endpoint not implemented by FakeLineApi")
        return _Response(404, {"message": "Not found"})

    # -- endpoints -----------------------------------------------------------------------------
    def _reply(self, body: dict[str, Any]) -> _Response:
        token = self._tokens.get(body["replyToken"])
        if token is None or token.used or self.clock() >= token.expires_at:
            return _Response(400, {"message": INVALID_REPLY_TOKEN})
        token.used = True
        request_id = str(uuid.uuid4())
        messages = body["messages"]
        self._deliveries.append(
            Delivery(
                "reply",
                token.user_id,
                messages,
                reply_token=body["replyToken"],
                request_id=request_id,
            )
        )
        return _Response(
            200, {"sentMessages": _sent_messages(messages)}, {"x-line-request-id": request_id}
        )

    def _push(
        self, method: str, path: str, headers: dict[str, str], body: dict[str, Any]
    ) -> _Response:
        retry_key = headers.get("x-line-retry-key")
        if retry_key is not None:
            try:
                uuid.UUID(retry_key)
            except ValueError:
                detail = contracts.SchemaError("X-Line-Retry-Key", "must be a UUID")
                raise _ContractViolationError([detail]) from None
            accepted = self._accepted_retry_keys.get(retry_key.lower())
            if accepted is not None:
                accepted_id, sent = accepted
                return _Response(
                    409,
                    {"message": RETRY_KEY_ACCEPTED, "sentMessages": sent},
                    {"x-line-accepted-request-id": accepted_id},
                )
        request_id = str(uuid.uuid4())
        sent = _sent_messages(body["messages"])
        if retry_key is not None:
            self._accepted_retry_keys[retry_key.lower()] = (request_id, sent)
        self._deliveries.append(
            Delivery(
                "push", body["to"], body["messages"], retry_key=retry_key, request_id=request_id
            )
        )
        return _Response(200, {"sentMessages": sent}, {"x-line-request-id": request_id})

    def _profile(self, user_id: str) -> _Response:
        if user_id in self._profiles:
            profile = self._profiles[user_id]
            if profile is None:
                return _Response(404, {"message": "Not found"})
            return _Response(200, dict(profile))
        if not _USER_ID.match(user_id):
            return _Response(400, {"message": "The value for the 'userId' parameter is invalid"})
        return _Response(200, {"userId": user_id, "displayName": f"LINE user {user_id[-4:]}"})

    # -- contract checks -----------------------------------------------------------------------
    def _check_body(self, kind: str, method: str, path: str, body: Any) -> None:
        details: list[contracts.SchemaError] = []
        if self.contract is not None:
            details += [
                contracts.SchemaError(d.property, f"[openapi] {d.message}")
                for d in self.contract.validate_request_body(method, path, body)
            ]
        details += [
            contracts.SchemaError(d.property, f"[sdk] {d.message}")
            for d in check_with_sdk(kind, body)
        ]
        details += [
            contracts.SchemaError(d.property, f"[limits] {d.message}")
            for d in check_limits(kind, body)
        ]
        if details:
            raise _ContractViolationError(details)


def _sent_messages(messages: Iterable[Any]) -> list[dict[str, str]]:
    out = []
    for message in messages:
        sent = {"id": str(uuid.uuid4().int)[:18]}
        if isinstance(message, dict) and message.get("type") in (
            "text",
            "textV2",
            "sticker",
            "image",
            "video",
        ):
            sent["quoteToken"] = uuid.uuid4().hex
        out.append(sent)
    return out


def check_with_sdk(kind: str, body: Any) -> list[contracts.SchemaError]:
    """Parse with line-bot-sdk's models, as LINE's own generated code understands the API."""
    from linebot.v3.messaging import (
        Message,
        PushMessageRequest,
        ReplyMessageRequest,
        TextMessage,
        TextMessageV2,
    )

    errors: list[contracts.SchemaError] = []
    model = ReplyMessageRequest if kind == "reply" else PushMessageRequest
    if not isinstance(body, dict):
        return [contracts.SchemaError("", "request body must be a JSON object")]
    try:
        model.from_dict(body)
    except Exception as exc:  # pydantic ValidationError, KeyError, TypeError, ValueError
        errors.append(contracts.SchemaError("", f"{model.__name__}.from_dict: {_one_line(exc)}"))
    messages = body.get("messages")
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        prop = f"messages[{i}]"
        if not isinstance(message, dict):
            errors.append(contracts.SchemaError(prop, "must be an object"))
            continue
        try:
            parsed = Message.from_dict(message)
        except Exception as exc:
            errors.append(contracts.SchemaError(prop, f"Message.from_dict: {_one_line(exc)}"))
            continue
        if type(parsed) is Message or not isinstance(parsed, Message):
            errors.append(
                contracts.SchemaError(prop, f"not a concrete message type: {type(parsed)!r}")
            )
        elif isinstance(parsed, TextMessage | TextMessageV2) and not parsed.text:
            errors.append(contracts.SchemaError(f"{prop}.text", "must be non-empty text"))
    return errors


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"


def check_limits(kind: str, body: Any) -> list[contracts.SchemaError]:
    """LINE's documented limits that the OpenAPI document and the SDK do not (all) encode."""
    if not isinstance(body, dict):
        return []
    errors: list[contracts.SchemaError] = []
    if kind == "push":
        to = body.get("to")
        if not isinstance(to, str) or not _LINE_ID.match(to):
            errors.append(contracts.SchemaError("to", f"must be a LINE user/group/room ID: {to!r}"))
    elif not isinstance(body.get("replyToken"), str) or not body.get("replyToken"):
        errors.append(contracts.SchemaError("replyToken", "must be specified"))
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        errors.append(contracts.SchemaError("messages", "must contain 1 to 5 messages"))
        return errors
    if len(messages) > MAX_MESSAGES:
        errors.append(
            contracts.SchemaError(
                "messages", f"size must be <= {MAX_MESSAGES} (got {len(messages)})"
            )
        )
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        prop = f"messages[{i}]"
        text = message.get("text")
        if message.get("type") in ("text", "textV2") and isinstance(text, str):
            if not text:
                errors.append(contracts.SchemaError(f"{prop}.text", "must be non-empty text"))
            elif utf16_len(text) > MAX_TEXT_LENGTH:
                errors.append(
                    contracts.SchemaError(
                        f"{prop}.text",
                        f"length must be <= {MAX_TEXT_LENGTH} (got {utf16_len(text)})",
                    )
                )
        errors += _check_quick_reply(prop, message.get("quickReply"))
        errors += _check_postback_data(prop, message)
        if message.get("type") == "flex":
            errors += _check_flex(prop, message)
    return errors


def _check_flex(prop: str, message: dict[str, Any]) -> list[contracts.SchemaError]:
    """altText 1 to 1,500 characters; a carousel of 1 to 12 bubbles."""
    errors = []
    alt = message.get("altText")
    if not isinstance(alt, str) or not alt:
        errors.append(contracts.SchemaError(f"{prop}.altText", "must be non-empty text"))
    elif len(alt) > MAX_ALT_TEXT:
        errors.append(contracts.SchemaError(
            f"{prop}.altText", f"length must be <= {MAX_ALT_TEXT} (got {len(alt)})"))
    contents = message.get("contents")
    if isinstance(contents, dict) and contents.get("type") == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
            errors.append(contracts.SchemaError(
                f"{prop}.contents.contents", "a carousel holds 1 to 12 bubbles"))
    return errors


def _check_quick_reply(prop: str, quick_reply: Any) -> list[contracts.SchemaError]:
    if quick_reply is None:
        return []
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not isinstance(items, list) or not items:
        return [contracts.SchemaError(f"{prop}.quickReply.items", "must contain 1 to 13 items")]
    errors = []
    if len(items) > MAX_QUICK_REPLY_ITEMS:
        errors.append(
            contracts.SchemaError(
                f"{prop}.quickReply.items",
                f"size must be <= {MAX_QUICK_REPLY_ITEMS} (got {len(items)})",
            )
        )
    for j, item in enumerate(items):
        item_prop = f"{prop}.quickReply.items[{j}]"
        if not isinstance(item, dict) or item.get("type") != "action":
            errors.append(contracts.SchemaError(f"{item_prop}.type", "must be 'action'"))
            continue
        action = item.get("action")
        if not isinstance(action, dict):
            errors.append(contracts.SchemaError(f"{item_prop}.action", "must be specified"))
            continue
        label = action.get("label")
        if not isinstance(label, str) or not label:
            errors.append(contracts.SchemaError(f"{item_prop}.action.label", "must be specified"))
        elif utf16_len(label) > MAX_QUICK_REPLY_LABEL:
            errors.append(
                contracts.SchemaError(
                    f"{item_prop}.action.label",
                    f"length must be <= {MAX_QUICK_REPLY_LABEL} (got {utf16_len(label)})",
                )
            )
    return errors


def _check_postback_data(prop: str, node: Any) -> list[contracts.SchemaError]:
    """Postback actions anywhere in a message (quick reply, templates, flex)."""
    errors: list[contracts.SchemaError] = []
    if isinstance(node, dict):
        if node.get("type") == "postback":
            data = node.get("data")
            if not isinstance(data, str):
                errors.append(contracts.SchemaError(f"{prop}.data", "must be specified"))
            elif utf16_len(data) > MAX_POSTBACK_DATA:
                errors.append(
                    contracts.SchemaError(
                        f"{prop}.data",
                        f"length must be <= {MAX_POSTBACK_DATA} (got {utf16_len(data)})",
                    )
                )
        for key, value in node.items():
            errors += _check_postback_data(f"{prop}.{key}", value)
    elif isinstance(node, list):
        for k, value in enumerate(node):
            errors += _check_postback_data(f"{prop}[{k}]", value)
    return errors
