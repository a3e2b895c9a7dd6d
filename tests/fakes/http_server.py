"""What the fake API servers share: a JSON-over-HTTP server on 127.0.0.1 in a daemon thread.

A subclass implements :meth:`LoopbackServer._handle` (called on the server's threads with the
method, the request target, lower-cased headers and the raw body) and answers a
:class:`JsonResponse`; it keeps its recordings in lists guarded by ``self._lock`` and hands out
snapshots with :meth:`LoopbackServer._snapshot`.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, Protocol, Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")  # what a fake records of one request


@dataclass
class JsonResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class _Countdown(Protocol):
    remaining: int

    def matches(self, key: str) -> bool: ...


_C = TypeVar("_C", bound=_Countdown)


class LoopbackServer(Generic[R]):
    """Start/stop (or ``with``), ``port``/``base_url``, ``wait_for`` and the request handler.

    ``http_methods`` are the HTTP methods served (others answer 501). Delayed requests should
    wait on ``self._stopping``, which :meth:`stop` sets. A subclass sets up its recordings and
    injected faults in ``_init_state`` (``_requests`` and ``_violations`` among them).
    """

    _requests: list[R]
    _violations: list[str]

    http_methods: tuple[str, ...] = ("GET", "POST")

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def _name(self) -> str:
        return type(self).__name__

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self._name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()  # wakes delayed requests
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{self._name} is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def _init_state(self) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the requests, the recordings, the violations and the injected faults."""
        with self._lock:
            self._init_state()

    # -- recordings ----------------------------------------------------------------------------
    @property
    def requests(self) -> list[R]:
        return self._snapshot(self._requests)

    @property
    def violations(self) -> list[str]:
        return self._snapshot(self._violations)

    def _snapshot(self, items: list[T]) -> list[T]:
        """A copy of ``items`` taken under the lock (safe to use while the server runs)."""
        with self._lock:
            return list(items)

    def _progress(self) -> str:
        """What :meth:`wait_for` reports on timeout, before the violations."""
        return ""

    def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.01
    ) -> T:
        """Poll ``predicate()`` until truthy and return its value; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"condition not met within {timeout}s; {self._progress()};"
                    f" violations: {self.violations!r}"
                )
            time.sleep(interval)

    # -- request handling (server threads) -----------------------------------------------------
    @staticmethod
    def _take(items: list[_C], key: str, accept: Callable[[_C], bool] | None = None) -> _C | None:
        """Count down the first item matching ``key`` (and ``accept``); drop it at zero."""
        for item in items:
            if accept is not None and not accept(item):
                continue
            if item.remaining > 0 and item.matches(key):
                item.remaining -= 1
                if item.remaining == 0:
                    items.remove(item)
                return item
        return None

    def _handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> JsonResponse:
        raise NotImplementedError


def _make_handler(fake: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # answer at once, like a real server
        server_version = f"{fake._name}/1.0"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if len(raw) < length:  # the client went away mid-body (a SIGKILLed worker): like a
                self.close_connection = True  # real server, nothing is handled or answered
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = fake._handle(self.command, self.path, headers, raw)
            raw_body = isinstance(response.body, bytes)  # a file (LINE's content API)
            payload = (response.body if raw_body
                       else json.dumps(response.body, ensure_ascii=False).encode("utf-8"))
            self.send_response(response.status)
            if not raw_body:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            # The client may have given up waiting (a timeout): what a late answer meets.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet; everything is in fake.requests

    for method in fake.http_methods:
        setattr(Handler, f"do_{method}", Handler._serve)
    return Handler
