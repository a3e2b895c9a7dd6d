"""``helpbot bench escalation``: server-side time from 「人と話したい」 to the case's Slack post.

Two measurements, both against local stand-ins for LINE (reply/push answer 200 with
``sentMessages``) and Slack (``chat.postMessage``/``chat.update`` answer ``ok`` with a fresh
``ts``; the stub notes ``time.perf_counter()`` when each case's post arrives, in this process):

1. **In-process.** ``helpbot.app.create_app(Settings(...))`` with LINE and Slack configured. For
   each of N new users a signed text event is posted through the Flask test client (t0: just
   before the WSGI call), then ``Worker(services).answer_events()`` answers it (reply to LINE,
   case posted to Slack). t1: when the stub received that case's ``chat.postMessage``. Reported:
   t1 - t0, and the in-worker part (from the call of ``answer_events()`` to t1).
2. **Processes.** The Procfile's gunicorn line and a real ``helpbot worker`` process; the wall
   time from just before the HTTP POST to the stub's receipt. This adds the worker's pickup:
   a NOTIFY wake-up on PostgreSQL, up to 0.2 s of polling on SQLite.

Nothing here imports ``tests/``.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from benchmarks.harness import (
    HELPBOT_APP,
    WEBHOOK_PATH,
    LocalLineApi,
    LocalServer,
    QuietHandler,
    default_faq_dir,
    describe_gunicorn,
    describe_worker,
    fresh_database,
    line_env,
    line_settings,
    report_head,
    running_gunicorn,
    running_worker,
    signed_bodies,
    summarize_ms,
    temporary_workdir,
    webhook_headers,
)

HANDOFF_TEXT = "人と話したい"
SLACK_TOKEN = "xoxb-bench-token"
SLACK_SIGNING_SECRET = "bench-slack-signing-secret"
SLACK_CHANNEL = "C1"
_CASE_NUMBER = re.compile(r"Case #(\d+)")


class LocalSlackApi(LocalServer):
    """Answers Slack Web API calls with ``ok``; notes when each case's message arrives.

    A case's own message is the ``chat.postMessage`` without ``thread_ts`` whose text names
    ``Case #N``; its arrival (``time.perf_counter()``) is kept in order and by case number.
    """

    def __init__(self) -> None:
        self.case_posts: list[tuple[float, int]] = []  # (arrived, case number), in order
        self.calls: dict[str, int] = {}
        self._ts = itertools.count(1)
        self._changed = threading.Condition()
        api = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server names it so)
                arrived = time.perf_counter()
                raw = self.read_body()
                method = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
                args = api._arguments(raw, self.headers.get("Content-Type", ""))
                api._record(method, args, arrived)
                ts = f"{time.time():.0f}.{api._next():06d}"
                data = json.dumps({"ok": True, "channel": SLACK_CHANNEL, "ts": ts}).encode()
                self.answer(200, data, "application/json; charset=utf-8")

        super().__init__(Handler)

    def _next(self) -> int:
        with self._changed:
            return next(self._ts)

    @staticmethod
    def _arguments(raw: bytes, content_type: str) -> dict[str, Any]:
        if "json" in content_type:
            try:
                value = json.loads(raw or b"{}")
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
        return {k: v[0] for k, v in parse_qs(raw.decode(errors="replace")).items()}

    def _record(self, method: str, args: dict[str, Any], arrived: float) -> None:
        with self._changed:
            self.calls[method] = self.calls.get(method, 0) + 1
            if method == "chat.postMessage" and not args.get("thread_ts"):
                match = _CASE_NUMBER.search(str(args.get("text", "")))
                if match is not None:
                    self.case_posts.append((arrived, int(match.group(1))))
            self._changed.notify_all()

    def wait_case_posts(self, count: int, timeout: float) -> bool:
        """Wait until at least ``count`` case messages have arrived."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.case_posts) >= count, timeout)

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"


def _handoff_bodies(count: int, seed: int) -> list[tuple[bytes, str]]:
    """``count`` signed 「人と話したい」 events, each from a different new user."""
    return signed_bodies(count, [HANDOFF_TEXT], seed=seed)


# -- in-process -----------------------------------------------------------------------------
def measure_in_process(
    *, database_url: str, faq_dir: Path, line_api_url: str, slack: LocalSlackApi, count: int,
    warmup: int = 5,
) -> dict[str, Any]:
    """t1 - t0 per new user: WSGI call of the webhook -> the case's chat.postMessage arrives."""
    from helpbot.app import create_app
    from helpbot.worker import Worker

    settings = line_settings(
        database_url,
        faq_dir,
        line_api_url,
        slack_signing_secret=SLACK_SIGNING_SECRET,
        slack_bot_token=SLACK_TOKEN,
        slack_escalation_channel=SLACK_CHANNEL,
        slack_api_base_url=slack.api_url,
    )
    app = create_app(settings)
    services = app.extensions["helpbot"]
    worker = Worker(services)
    entered: list[float] = []
    wsgi_app = app.wsgi_app

    def timed_wsgi_app(environ: dict[str, Any], start_response: Any) -> Any:
        entered.append(time.perf_counter())
        return wsgi_app(environ, start_response)

    app.wsgi_app = timed_wsgi_app  # type: ignore[method-assign]
    client = app.test_client()
    total: list[float] = []
    request: list[float] = []
    in_worker: list[float] = []
    answer_call: list[float] = []
    statuses: list[int] = []
    missing = 0
    try:
        for number, (body, signature) in enumerate(_handoff_bodies(warmup + count, seed=20)):
            seen = len(slack.case_posts)
            entered.clear()
            response = client.post(
                WEBHOOK_PATH,
                data=body,
                headers=webhook_headers(signature),
            )
            responded = time.perf_counter()
            statuses.append(response.status_code)
            worker_start = time.perf_counter()
            worker.answer_events()
            worker_end = time.perf_counter()
            if not slack.wait_case_posts(seen + 1, timeout=10):
                missing += 1
                continue
            arrived = slack.case_posts[seen][0]
            if number < warmup:
                continue
            t0 = entered[0]
            total.append(arrived - t0)
            request.append(responded - t0)
            in_worker.append(arrived - worker_start)
            answer_call.append(worker_end - worker_start)
    finally:
        services.close()
    return {
        "users": count,
        "warmup": warmup,
        "total": summarize_ms(total),
        "request": summarize_ms(request),
        "in_worker": summarize_ms(in_worker),
        "answer_events_call": summarize_ms(answer_call),
        "check": {
            "posted": warmup + count,
            "status_200": sum(1 for s in statuses if s == 200),
            "case_posts_at_slack": len(slack.case_posts),
            "missing": missing,
        },
    }


# -- real processes -------------------------------------------------------------------------
def measure_processes(
    *, database_url: str, faq_dir: Path, line_api_url: str, slack: LocalSlackApi, count: int,
    workdir: Path, warmup: int = 3, log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Wall time from the HTTP POST to gunicorn to the stub's receipt of the case post, with a
    real ``helpbot worker`` answering. Posts are spaced by a random 0.05-0.35 s so the
    arrival falls anywhere in SQLite's polling interval."""
    env = {
        **line_env(database_url, faq_dir, line_api_url),
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_ESCALATION_CHANNEL": SLACK_CHANNEL,
        "SLACK_API_BASE_URL": slack.api_url,
    }
    rng = random.Random(7)
    total: list[float] = []
    response_s: list[float] = []
    missing = 0
    statuses: list[int] = []
    with running_gunicorn(HELPBOT_APP, env, workdir) as base_url, running_worker(env, workdir):
        log(f"escalation: {count} posts through gunicorn + helpbot worker ...")
        for number, (body, signature) in enumerate(_handoff_bodies(warmup + count, seed=30)):
            time.sleep(rng.uniform(0.05, 0.35))
            seen = len(slack.case_posts)
            request = urllib.request.Request(
                base_url + WEBHOOK_PATH,
                data=body,
                method="POST",
                headers=webhook_headers(signature),
            )
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                statuses.append(response.status)
            responded = time.perf_counter()
            # the first post also waits for the worker's start (its first matcher build: a
            # minute on a loaded machine with a cold embedding cache)
            if not slack.wait_case_posts(seen + 1, timeout=90 if number == 0 else 15):
                missing += 1
                continue
            if number < warmup:
                continue
            total.append(slack.case_posts[seen][0] - t0)
            response_s.append(responded - t0)
    return {
        "users": count,
        "warmup": warmup,
        "gunicorn": describe_gunicorn(),
        "worker": describe_worker(),
        "total": summarize_ms(total),
        "http_response": summarize_ms(response_s),
        "check": {
            "posted": warmup + count,
            "status_200": sum(1 for s in statuses if s == 200),
            "missing": missing,
        },
    }


# -- the whole bench ------------------------------------------------------------------------
def run_escalation_bench(
    *,
    database_url: str | None = None,
    faq_dir: Path | None = None,
    count: int = 200,
    process_count: int = 30,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Both measurements; temporary files, schemas and processes are removed afterwards."""
    faq = faq_dir or default_faq_dir()
    report = report_head(database_url)
    with temporary_workdir("escalation") as workdir:
        log(f"escalation: {count} new users in-process ...")
        with (
            LocalLineApi() as line_api,
            LocalSlackApi() as slack,
            fresh_database(database_url, workdir, "escalation") as db_url,
        ):
            report["in_process"] = measure_in_process(
                database_url=db_url, faq_dir=faq, line_api_url=line_api.base_url, slack=slack,
                count=count,
            )
            report["in_process"]["slack_calls"] = dict(slack.calls)
        if process_count > 0:
            with (
                LocalLineApi() as line_api,
                LocalSlackApi() as slack,
                fresh_database(database_url, workdir, "escproc") as db_url,
            ):
                report["processes"] = measure_processes(
                    database_url=db_url, faq_dir=faq, line_api_url=line_api.base_url,
                    slack=slack, count=process_count, workdir=workdir, log=log,
                )
    return report


def _row(label: str, row: dict[str, Any]) -> str:
    return (
        f"  {label:<46}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['mean_ms']:>9.2f}"
        f"{row['max_ms']:>9.2f}{row['n']:>6}"
    )


def format_report(report: dict[str, Any]) -> str:
    database = report["database"]
    lines = [
        f"helpbot bench escalation — database: {database}, {report['cpus']} CPUs",
        f"  {'':<46}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}{'n':>6}",
    ]
    ip = report.get("in_process")
    if ip:
        lines += [
            f"in-process (Flask test client + Worker(services).answer_events(), "
            f"{ip['users']} new users after {ip['warmup']} warm-up)",
            _row("message -> Slack post received (t1 - t0)", ip["total"]),
            _row("  request: WSGI call -> 200", ip["request"]),
            _row("  in worker: answer_events() -> Slack post", ip["in_worker"]),
            _row("  answer_events() call, whole", ip["answer_events_call"]),
        ]
        check = ip["check"]
        lines.append(
            f"  check: posted {check['posted']}, 200s {check['status_200']}, case posts at "
            f"Slack {check['case_posts_at_slack']}, missing {check['missing']}; Slack calls "
            f"{ip.get('slack_calls', {})}"
        )
    pr = report.get("processes")
    if pr:
        lines += [
            f"processes: gunicorn {pr['gunicorn']} + `{pr['worker']}` "
            f"({pr['users']} posts, 0.05-0.35 s apart)",
            _row("HTTP POST -> Slack post received (wall)", pr["total"]),
            _row("  HTTP POST -> 200 received", pr["http_response"]),
        ]
        check = pr["check"]
        lines.append(
            f"  check: posted {check['posted']}, 200s {check['status_200']}, missing "
            f"{check['missing']}"
        )
    pickup = (
        "a NOTIFY wake-up"
        if database.startswith("postgres")
        else "up to 0.2 s of polling (0.1 s on average)"
    )
    lines.append(
        "note: in production the worker process picks the event up first; that adds "
        f"{pickup} on {database}. The in-process lines leave the pickup out"
        + ("; the processes line includes it." if pr else "; --process-count N measures it.")
    )
    return "\n".join(lines)
