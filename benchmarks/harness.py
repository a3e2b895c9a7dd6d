"""What the process benches (``webhook``, ``escalation``, ``reminders``) share.

Signed LINE webhook bodies, a local stand-in for LINE's Messaging API (and the threaded
loopback server it and the Slack stub run on), fresh migrated databases, gunicorn and
``helpbot worker`` processes in their own process groups, and the millisecond summaries.

Nothing here imports ``tests/``: the signed bodies and the fake LINE API are built below.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

if TYPE_CHECKING:
    from helpbot.config import Settings

CHANNEL_SECRET = "bench-channel-secret-0123456789abcdef"
CHANNEL_TOKEN = "bench-channel-access-token"
WEBHOOK_PATH = "/webhooks/line"
HELPBOT_APP = "helpbot.app:create_app()"
WORKERS = 2
THREADS = 4
BOT_USER_ID = "U" + "b0" * 16

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# -- signed webhook bodies ----------------------------------------------------------------------
def sign(body: bytes, secret: str) -> str:
    """``X-Line-Signature``: base64(HMAC-SHA256(channel secret, raw body))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _event_id(rng: random.Random, ms: int) -> str:
    """A ULID like LINE's webhookEventId: 48-bit ms timestamp + 80 random bits."""
    value = (ms << 80) | rng.getrandbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def text_event_body(text: str, rng: random.Random, *, timestamp_ms: int | None = None) -> bytes:
    """A webhook body with one text message event from a new user, shaped like LINE's."""
    ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": ms,
        "source": {"type": "user", "userId": "U" + f"{rng.getrandbits(128):032x}"},
        "webhookEventId": _event_id(rng, ms),
        "deliveryContext": {"isRedelivery": False},
        "replyToken": f"{rng.getrandbits(128):032x}",
        "message": {
            "type": "text",
            "id": str(rng.randrange(10**17, 10**18)),
            "quoteToken": base64.urlsafe_b64encode(rng.randbytes(48)).decode().rstrip("="),
            "text": text,
        },
    }
    payload = {"destination": BOT_USER_ID, "events": [event]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def signed_bodies(
    count: int, texts: Sequence[str], *, secret: str = CHANNEL_SECRET, seed: int = 0
) -> list[tuple[bytes, str]]:
    """``count`` distinct signed bodies (each its own event id, user and reply token)."""
    rng = random.Random(seed)
    now = int(time.time() * 1000)
    bodies = []
    for number in range(count):
        body = text_event_body(texts[number % len(texts)], rng, timestamp_ms=now + number)
        bodies.append((body, sign(body, secret)))
    return bodies


def webhook_headers(signature: str) -> dict[str, str]:
    """The headers LINE sends with a webhook POST."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "LineBotWebhook/2.0",
        "X-Line-Signature": signature,
    }


# -- local stand-ins for LINE and Slack ---------------------------------------------------------
class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no request log, and one call to answer with a body."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every call (LINE and Slack have no such delay).
    disable_nagle_algorithm = True

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer:
    """A threaded HTTP server on a free loopback port, serving while the ``with`` lasts."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class LocalLineApi(LocalServer):
    """Answers POST /v2/bot/message/reply and /push with 200 and LINE's ``sentMessages``.

    Runs on a thread of this process (HTTP/1.1 keep-alive, like LINE) and counts the calls,
    and how often each ``X-Line-Retry-Key`` came (a resend of the same message).
    """

    REPLY = "/v2/bot/message/reply"
    PUSH = "/v2/bot/message/push"

    def __init__(self) -> None:
        self.replies = 0
        self.pushes = 0
        self.other = 0
        self.retry_keys: dict[str, int] = {}
        self._lock = threading.Lock()
        api = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                raw = self.read_body()
                path = self.path.split("?", 1)[0]
                if path not in (api.REPLY, api.PUSH):
                    api._count("other")
                    self._json(404, {"message": "Not found"})
                    return
                try:
                    messages = json.loads(raw).get("messages") or []
                except ValueError:
                    api._count("other")
                    self._json(400, {"message": "The request body has 1 error(s)"})
                    return
                api._count("replies" if path == api.REPLY else "pushes")
                api._note_retry_key(self.headers.get("X-Line-Retry-Key"))
                sent = [
                    {"id": str(10**17 + n), "quoteToken": secrets.token_urlsafe(24)}
                    for n in range(len(messages))
                ]
                self._json(200, {"sentMessages": sent})

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                self.answer(
                    status,
                    json.dumps(payload).encode(),
                    "application/json",
                    {"x-line-request-id": str(uuid.uuid4())},
                )

        super().__init__(Handler)

    @property
    def duplicates(self) -> int:
        """Calls whose retry key had been seen before (a resend of the same message)."""
        with self._lock:
            return sum(n - 1 for n in self.retry_keys.values())

    def reset(self) -> None:
        with self._lock:
            self.replies = self.pushes = self.other = 0
            self.retry_keys = {}

    def _count(self, what: str) -> None:
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)

    def _note_retry_key(self, retry_key: str | None) -> None:
        if retry_key:
            with self._lock:
                self.retry_keys[retry_key] = self.retry_keys.get(retry_key, 0) + 1


# -- the app's configuration --------------------------------------------------------------------
def line_settings(
    database_url: str, faq_dir: Path, line_api_url: str, **more: Any
) -> Settings:
    """In-process settings: LINE pointed at the local stand-in, plus ``more``."""
    from helpbot.config import Settings

    return Settings(
        database_url=database_url,
        faq_dir=faq_dir,
        line_channel_secret=CHANNEL_SECRET,
        line_channel_access_token=CHANNEL_TOKEN,
        line_api_base_url=line_api_url,
        log_pseudonym_key="bench",
        **more,
    )


def line_env(database_url: str, faq_dir: Path, line_api_url: str) -> dict[str, str]:
    """The same as :func:`line_settings`, as environment variables for gunicorn and workers."""
    return {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
        "LINE_API_BASE_URL": line_api_url,
        "HELPBOT_LOG_KEY": "bench",
    }


def default_faq_dir() -> Path:
    root = Path(__file__).resolve().parent.parent  # the checkout, or site-packages
    for candidate in (root / "faq", root / "helpbot" / "_sample_faq"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("no faq/ folder found; pass --faq-dir")


# -- databases ----------------------------------------------------------------------------------
def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def describe_database(url: str | None) -> str:
    if url is None:
        return "sqlite (fresh file)"
    return url.split(":", 1)[0].split("+", 1)[0]


@contextlib.contextmanager
def fresh_database(url: str | None, workdir: Path, name: str) -> Iterator[str]:
    """A migrated database: a new SQLite file by default, a new schema (dropped after) on
    PostgreSQL, or the given SQLite URL as it is."""
    from sqlalchemy import create_engine, text

    from helpbot.storage.database import Database
    from helpbot.storage.migrate import upgrade

    def migrate(target: str) -> None:
        database = Database(target)
        try:
            upgrade(database)
        finally:
            database.dispose()

    if url is None or url.startswith("sqlite"):
        target = url or f"sqlite:///{workdir / f'{name}.sqlite3'}"
        migrate(target)
        yield target
        return
    base = _sqlalchemy_url(url)
    schema = f"hb_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, hide_parameters=True)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        target = _with_search_path(base, schema)
        try:
            migrate(target)
            yield target
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def _with_search_path(url: str, schema: str) -> str:
    """``url`` with ``options=-csearch_path=<schema>`` (replacing any ``options`` it had)."""
    head, _, query = url.partition("?")
    kept = [part for part in query.split("&") if part and not part.startswith("options=")]
    kept.append(f"options={quote(f'-csearch_path={schema}')}")
    return f"{head}?{'&'.join(kept)}"


@contextlib.contextmanager
def temporary_workdir(bench: str) -> Iterator[Path]:
    """A scratch folder for logs, SQLite files and wrk inputs; removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=f"helpbot-bench-{bench}-"))
    try:
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report_head(database_url: str | None) -> dict[str, Any]:
    """The first keys of a webhook or escalation report."""
    return {
        "database": describe_database(database_url),
        "cpus": os.cpu_count(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


# -- gunicorn and helpbot worker processes ------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(app_spec: str, port: int, *, access_log: bool = True) -> list[str]:
    """The Procfile's web line, bound to a loopback port."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [
        gunicorn,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
    ]
    if access_log:
        command += ["--access-logfile", "-"]
    return [*command, app_spec]


def describe_gunicorn(*, access_log: bool = True) -> str:
    """The gunicorn command line for a report, without the program, app or port."""
    return " ".join(gunicorn_command("APP", 0, access_log=access_log)[1:]).replace(
        "127.0.0.1:0", "127.0.0.1:PORT"
    )


def worker_command() -> list[str]:
    """The Procfile's worker line."""
    helpbot = shutil.which("helpbot", path=str(Path(sys.executable).parent))
    if helpbot is None:
        return [sys.executable, "-c", "from helpbot.cli import main; main()", "worker"]
    return [helpbot, "worker"]


def describe_worker() -> str:
    return " ".join(["helpbot", *worker_command()[1:]])


def start_process(
    command: Sequence[str], env: dict[str, str], log_path: Path, *, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own process group with ``env`` added, output to ``log_path``."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_groups(processes: Iterable[subprocess.Popen[bytes]], *, grace: float = 10) -> None:
    """SIGTERM each process group, wait up to ``grace`` s each, then SIGKILL what is left."""
    processes = list(processes)
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # Workers still finishing background work would keep running: end the whole group.
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


@contextlib.contextmanager
def running_gunicorn(
    app_spec: str, env: dict[str, str], workdir: Path, *, access_log: bool = True
) -> Iterator[str]:
    """Start gunicorn in its own process group; yield its base URL; stop the whole group."""
    port = free_port()
    command = gunicorn_command(app_spec, port, access_log=access_log)
    name = app_spec.split(":", 1)[0].rsplit(".", 1)[-1]
    log_path = workdir / f"gunicorn-{name}-{port}.log"
    process = start_process(command, {**env, "PORT": str(port)}, log_path, cwd=workdir)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base_url
    finally:
        stop_groups([process])


@contextlib.contextmanager
def running_worker(env: dict[str, str], workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``helpbot worker`` in its own process group, logging to a file; stop it after."""
    log_path = workdir / f"worker-{uuid.uuid4().hex[:6]}.log"
    process = start_process(worker_command(), env, log_path, cwd=workdir)
    try:
        time.sleep(0.2)
        if process.poll() is not None:
            raise RuntimeError(f"helpbot worker exited:\n{log_path.read_text(errors='replace')}")
        yield process
    finally:
        stop_groups([process])


# -- numbers ------------------------------------------------------------------------------------
def summarize_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """n, p50, p99, mean and max in milliseconds (nearest-rank percentiles)."""
    if not seconds:
        return {"n": 0, "p50_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(seconds)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(-(-p * len(ordered) // 100)) - 1))]

    return {
        "n": len(ordered),
        "p50_ms": round(rank(50) * 1000, 3),
        "p99_ms": round(rank(99) * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }
