"""``helpbot bench webhook``: webhook throughput against a bare Flask endpoint, and handling time.

The web process only verifies, stores and answers 200; a separate ``helpbot worker`` process
answers the stored events (woken by NOTIFY on PostgreSQL, polling every 0.2 s on SQLite).

Two measurements:

1. **Throughput.** The bare app (:mod:`benchmarks.bare_app`: verify the signature, answer
   200) and helpbot (``helpbot.app:create_app()``) are each started under the Procfile's gunicorn
   command line (2 workers, 4 threads, access log to stdout) on a loopback port and driven by
   ``wrk`` with distinct signed text events. During the helpbot run a ``helpbot worker`` process
   (the Procfile's worker line) runs beside gunicorn, answering events (matching + a reply to a
   local 200 server standing in for LINE) while the load goes on, so it competes for the CPU as
   it would on one small host. After the load, the bench waits for the backlog to drain and
   reports events stored, answered during the load, drain time and end-to-end answers/s.
2. **Handling time, in-process.** Each signed text event is given to the WSGI app and timed
   from the call to the last byte of the response (the request path: verify, store, 200).
   Then ``Worker(services).answer_events()`` drains the K stored events and is timed (per
   event); ``EventRunner.process`` (match, store, reply) and ``LineSender.deliver`` (the HTTP
   reply) are timed per event by wrapping them for the bench.

The signed bodies, the local LINE stand-in and the processes come from
:mod:`benchmarks.harness`; nothing here imports ``tests/``.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    CHANNEL_SECRET,
    HELPBOT_APP,
    WEBHOOK_PATH,
    LocalLineApi,
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

BARE_APP = "benchmarks.bare_app:create_app()"

# Messages people send that the sample faq/ does not answer word for word.
EXTRA_TEXTS = (
    "こんにちは",
    "ありがとうございました",
    "明日の天気はどうですか",
    "家賃が払えなくて困っています。どこに相談すればいいですか",
    "仕事をクビになりました。これからどうしたらいいかわかりません",
    "子どもの給食費が払えません",
    "病院に行くお金がないです",
    "スマホ止められそう",
    "日本語がよくわかりません。English please",
    "役所の書類の書き方を教えてほしい",
)


# -- the texts ----------------------------------------------------------------------------------
def bench_texts(faq_dir: Path) -> list[str]:
    """Questions and alternates of the Japanese entries in faq/, plus a few it does not cover."""
    from helpbot.knowledge.loader import load_dir

    kb, _problems = load_dir(faq_dir)
    texts = [t for e in kb.entries if e.language == "ja" for t in e.phrasings() if t.strip()]
    return [*texts, *EXTRA_TEXTS]


# -- databases ----------------------------------------------------------------------------------
def event_counts(database_url: str) -> dict[str, int]:
    """Stored webhook events by status, and outbound messages by delivery status."""
    from sqlalchemy import func, select

    from helpbot.storage.database import Database
    from helpbot.storage.models import Direction, Message, WebhookEvent

    database = Database(database_url)
    try:
        with database.session() as session:
            by_status = dict(
                session.execute(
                    select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)
                ).all()
            )
            delivered = dict(
                session.execute(
                    select(Message.delivery_status, func.count())
                    .where(Message.direction == Direction.OUT)
                    .group_by(Message.delivery_status)
                ).all()
            )
    finally:
        database.dispose()
    return {
        "stored": sum(by_status.values()),
        "pending": by_status.get("pending", 0) + by_status.get("leased", 0),
        "done": by_status.get("done", 0),
        "failed": by_status.get("failed", 0),
        "outbound_sent": delivered.get("sent", 0),
        "outbound_failed": delivered.get("failed", 0),
    }


# -- wrk ----------------------------------------------------------------------------------------
WRK_SCRIPT = r"""
-- Cycles through pre-signed webhook bodies ("<signature> <body>" per line); thread t of n
-- sends bodies t, t+n, t+2n, ... so no two threads send the same event.
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local sigs, bodies, index, step, n = {}, {}, 0, 1, 0
function init(args)
  step = tonumber(args[2])
  local f = assert(io.open(args[1], "rb"))
  for line in f:lines() do
    local sp = line:find(" ", 1, true)
    sigs[#sigs + 1] = line:sub(1, sp - 1)
    bodies[#bodies + 1] = line:sub(sp + 1)
  end
  f:close()
  n = #bodies
  index = tid
end

function request()
  local i = index % n + 1
  index = index + step
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json; charset=utf-8",
    ["User-Agent"] = "LineBotWebhook/2.0",
    ["X-Line-Signature"] = sigs[i],
  }, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def write_wrk_inputs(workdir: Path, name: str, bodies: Sequence[tuple[bytes, str]]) -> Path:
    path = workdir / f"{name}.bodies"
    with path.open("wb") as out:
        for body, signature in bodies:
            out.write(signature.encode() + b" " + body + b"\n")
    return path


_WRK_JSON = re.compile(r"^WRK_JSON (\{.*\})$", re.MULTILINE)


def parse_wrk(output: str) -> dict[str, Any]:
    """The numbers the script's ``done()`` prints, in req/s and ms."""
    match = _WRK_JSON.search(output)
    if match is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "req_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 3),
        "non_2xx": raw["status"],
        "socket_errors": {k: raw[k] for k in ("connect", "read", "write", "timeout")},
    }


def run_wrk(
    url: str,
    bodies_file: Path,
    script: Path,
    *,
    duration: float,
    connections: int,
    threads: int,
) -> tuple[dict[str, Any], str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    command = [
        wrk,
        "--latency",
        "--timeout",
        "10s",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration:g}s",
        "-s",
        str(script),
        url,
        "--",
        str(bodies_file),
        str(threads),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse_wrk(done.stdout), done.stdout


def wait_drained(
    database_url: str, *, timeout: float, poll: float = 0.5
) -> tuple[float, dict[str, int], bool]:
    """Wait until no stored event is pending; return (seconds waited, counts, drained)."""
    start = time.perf_counter()
    while True:
        counts = event_counts(database_url)
        waited = time.perf_counter() - start
        if counts["pending"] == 0:
            return waited, counts, True
        if waited > timeout:
            return waited, counts, False
        time.sleep(poll)


@dataclass(slots=True)
class ThroughputOptions:
    duration: float = 8.0
    connections: int = 16
    threads: int = 2
    bodies: int = 40_000
    warmup: float = 1.0
    access_log: bool = True
    drain_timeout: float = 300.0


def measure_throughput(
    *,
    database_url: str | None,
    faq_dir: Path,
    workdir: Path,
    options: ThroughputOptions,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """wrk against the bare app, then against helpbot, under the same gunicorn command line."""
    texts = bench_texts(faq_dir)
    script = workdir / "webhook.lua"
    script.write_text(WRK_SCRIPT)
    warm_file = write_wrk_inputs(workdir, "warmup", signed_bodies(5_000, texts, seed=1))
    load_file = write_wrk_inputs(workdir, "load", signed_bodies(options.bodies, texts, seed=2))
    results: dict[str, Any] = {
        "gunicorn": describe_gunicorn(access_log=options.access_log),
        "wrk": f"wrk --latency --timeout 10s -t {options.threads} -c {options.connections} "
        f"-d {options.duration:g}s",
        "bodies": options.bodies,
    }

    def warm_up(url: str) -> bool:
        if options.warmup > 0:
            run_wrk(url, warm_file, script, duration=options.warmup, connections=2, threads=1)
        return options.warmup > 0

    def load(url: str) -> dict[str, Any]:
        stats, _output = run_wrk(
            url,
            load_file,
            script,
            duration=options.duration,
            connections=options.connections,
            threads=options.threads,
        )
        stats["wrapped"] = stats["requests"] > options.bodies
        return stats

    log("throughput: bare Flask app ...")
    bare_env = {"LINE_CHANNEL_SECRET": CHANNEL_SECRET}
    with running_gunicorn(BARE_APP, bare_env, workdir, access_log=options.access_log) as url:
        warm_up(url + WEBHOOK_PATH)
        results["bare"] = load(url + WEBHOOK_PATH)

    log("throughput: helpbot ...")
    with LocalLineApi() as line_api, fresh_database(database_url, workdir, "load") as db_url:
        env = line_env(db_url, faq_dir, line_api.base_url)
        with (
            running_worker(env, workdir),
            running_gunicorn(HELPBOT_APP, env, workdir, access_log=options.access_log) as url,
        ):
            if warm_up(url + WEBHOOK_PATH):
                wait_drained(db_url, timeout=options.drain_timeout)
            before = event_counts(db_url)
            replies_before = line_api.replies + line_api.pushes
            stats = load(url + WEBHOOK_PATH)
            at_end = event_counts(db_url)
            drain_s, after, drained = wait_drained(db_url, timeout=options.drain_timeout)
        stored = after["stored"] - before["stored"]
        done = after["done"] - before["done"]
        stats["background"] = {
            "worker": describe_worker(),
            "stored": stored,
            "answered_during_load": at_end["done"] - before["done"],
            "backlog_at_end": at_end["pending"],
            "drain_s": round(drain_s, 2),
            "drained": drained,
            "done": done,
            "failed": after["failed"] - before["failed"],
            "replies_at_line": line_api.replies + line_api.pushes - replies_before,
            "answered_per_s": round(done / (stats["seconds"] + drain_s), 1),
        }
        results["helpbot"] = stats
    bare_rps = results["bare"]["req_per_s"]
    results["ratio"] = round(results["helpbot"]["req_per_s"] / bare_rps, 3) if bare_rps else None
    return results


# -- handling time in-process -------------------------------------------------------------------
@dataclass(slots=True)
class _Timings:
    process: list[float] = field(default_factory=list)
    deliver: list[float] = field(default_factory=list)

    def clear(self) -> None:
        self.process.clear()
        self.deliver.clear()


@contextlib.contextmanager
def _timed_channel(timings: _Timings) -> Iterator[None]:
    """Time ``EventRunner.process`` (one LINE event, end to end in the core) and
    ``LineSender.deliver`` (for the bench only)."""
    from helpbot.channels.line.sender import LineSender
    from helpbot.conversation.runner import EventAdapter, EventRunner
    from helpbot.storage.inbox import ClaimedEvent

    original_process = EventRunner.process
    original_deliver = LineSender.deliver

    def process(self: EventRunner, adapter: EventAdapter, stored: ClaimedEvent) -> None:
        start = time.perf_counter()
        try:
            original_process(self, adapter, stored)
        finally:
            timings.process.append(time.perf_counter() - start)

    def deliver(self: LineSender, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_deliver(self, **kwargs)
        finally:
            timings.deliver.append(time.perf_counter() - start)

    EventRunner.process = process  # type: ignore[method-assign]
    LineSender.deliver = deliver  # type: ignore[method-assign]
    try:
        yield
    finally:
        EventRunner.process = original_process  # type: ignore[method-assign]
        LineSender.deliver = original_deliver  # type: ignore[method-assign]


def _environ(body: bytes, signature: str) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path=WEBHOOK_PATH,
        method="POST",
        data=body,
        headers=webhook_headers(signature),
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _call(app: Any, environ: dict[str, Any]) -> tuple[str, float]:
    """One WSGI call, timed from the call to the last byte of the body."""
    statuses: list[str] = []

    def start_response(status: str, _headers: Any, _exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda _data: None

    start = time.perf_counter()
    result = app(environ, start_response)
    try:
        for _chunk in result:
            pass
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return statuses[0], time.perf_counter() - start


def measure_handling(
    *,
    database_url: str,
    faq_dir: Path,
    line_api_url: str,
    events: int,
    warmup: int = 50,
) -> dict[str, Any]:
    """Server-side time of the request path and of answering, per text event, in ms.

    ``events`` signed text events are posted to the WSGI app one after another (nothing else
    runs meanwhile: the web process does not answer), then ``Worker(services).answer_events()``
    claims and answers all of them, as the worker process does after a burst.
    """
    from helpbot.app import create_app
    from helpbot.worker import Worker

    settings = line_settings(database_url, faq_dir, line_api_url)
    texts = bench_texts(faq_dir)
    timings = _Timings()
    report: dict[str, Any] = {"events": events, "warmup": warmup}
    with _timed_channel(timings):
        app = create_app(settings)
        services = app.extensions["helpbot"]
        worker = Worker(services)
        try:
            before = event_counts(database_url)
            statuses: list[str] = []
            for body, signature in signed_bodies(warmup, texts, seed=10):
                statuses.append(_call(app, _environ(body, signature))[0])
            warm_answered = worker.answer_events()
            environs = [_environ(b, s) for b, s in signed_bodies(events, texts, seed=11)]
            timings.clear()
            handling: list[float] = []
            for environ in environs:
                status, seconds = _call(app, environ)
                statuses.append(status)
                handling.append(seconds)
            start = time.perf_counter()
            answered = worker.answer_events()
            answer_s = time.perf_counter() - start
            after = event_counts(database_url)
        finally:
            services.close()
    report["request"] = summarize_ms(handling)
    report["answer"] = {
        "answered": answered,
        "total_s": round(answer_s, 3),
        "per_event_ms": round(answer_s * 1000 / answered, 3) if answered else 0.0,
        "per_s": round(answered / answer_s, 1) if answer_s else 0.0,
    }
    report["process"] = summarize_ms(timings.process)
    report["deliver"] = summarize_ms(timings.deliver)
    report["check"] = {
        "posted": warmup + events,
        "status_200": sum(1 for s in statuses if s.startswith("200")),
        "answered": warm_answered + answered,
        **{
            k: after[k] - before[k]
            for k in ("stored", "done", "failed", "pending", "outbound_sent", "outbound_failed")
        },
    }
    return report


# -- the whole bench ----------------------------------------------------------------------------
def run_webhook_bench(
    *,
    database_url: str | None = None,
    faq_dir: Path | None = None,
    events: int = 2000,
    throughput: ThroughputOptions | None = None,
    handling: bool = True,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Both measurements; temporary files, schemas and processes are removed afterwards."""
    faq = faq_dir or default_faq_dir()
    report = report_head(database_url)
    with temporary_workdir("webhook") as workdir:
        if throughput is not None:
            report["throughput"] = measure_throughput(
                database_url=database_url,
                faq_dir=faq,
                workdir=workdir,
                options=throughput,
                log=log,
            )
        if handling:
            log(f"handling time: {events} events in-process ...")
            with (
                LocalLineApi() as line_api,
                fresh_database(database_url, workdir, "handling") as db_url,
            ):
                report["handling"] = measure_handling(
                    database_url=db_url,
                    faq_dir=faq,
                    line_api_url=line_api.base_url,
                    events=events,
                )
                report["handling"]["replies_at_line"] = line_api.replies + line_api.pushes
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [f"helpbot bench webhook — database: {report['database']}, {report['cpus']} CPUs"]
    tp = report.get("throughput")
    if tp:
        bare, bot = tp["bare"], tp["helpbot"]
        lines += [
            f"throughput: gunicorn {tp['gunicorn']}",
            f"            {tp['wrk']}, {tp['bodies']} distinct signed text events",
            f"  {'':<22}{'bare Flask':>12}{'helpbot':>12}",
            f"  {'requests/s':<22}{bare['req_per_s']:>12.1f}{bot['req_per_s']:>12.1f}"
            f"   helpbot/bare = {tp['ratio']:.2f}",
        ]
        for label, key in (
            ("latency p50 ms", "p50_ms"),
            ("latency p99 ms", "p99_ms"),
            ("latency max ms", "max_ms"),
            ("requests", "requests"),
            ("non-2xx", "non_2xx"),
        ):
            lines.append(f"  {label:<22}{bare[key]:>12}{bot[key]:>12}")
        errors = [sum(s["socket_errors"].values()) for s in (bare, bot)]
        lines.append(f"  {'socket errors':<22}{errors[0]:>12}{errors[1]:>12}")
        bg = bot["background"]
        lines.append(
            f"  `{bg['worker']}` beside gunicorn: stored {bg['stored']}, answered during load "
            f"{bg['answered_during_load']}, backlog at end {bg['backlog_at_end']}, drained in "
            f"{bg['drain_s']:.1f} s{'' if bg['drained'] else ' (NOT drained)'}, done {bg['done']}"
            f", failed {bg['failed']}, replies at LINE {bg['replies_at_line']}, "
            f"end-to-end {bg['answered_per_s']:.1f} answered/s"
        )
        for name, stats in (("bare", bare), ("helpbot", bot)):
            if stats["wrapped"]:
                lines.append(
                    f"  note: {name} got more requests than distinct bodies (events repeated)"
                )
    hd = report.get("handling")
    if hd:
        lines.append(
            f"handling time per text event, in-process ({hd['events']} events after "
            f"{hd['warmup']} warm-up)"
        )
        lines.append(f"  {'':<40}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}")
        for label, key in (
            ("request: WSGI call -> response", "request"),
            ("worker: EventRunner.process", "process"),
            ("  of which the reply HTTP call", "deliver"),
        ):
            row = hd[key]
            lines.append(
                f"  {label:<40}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
                f"{row['mean_ms']:>9.2f}{row['max_ms']:>9.2f}"
            )
        answer = hd["answer"]
        lines.append(
            f"  Worker.answer_events() drained {answer['answered']} events in "
            f"{answer['total_s']:.2f} s: {answer['per_event_ms']:.2f} ms per event "
            f"({answer['per_s']:.1f} events/s, claims included)"
        )
        check = hd["check"]
        lines.append(
            f"  check: posted {check['posted']}, 200s {check['status_200']}, stored "
            f"{check['stored']}, answered {check['answered']}, done {check['done']}, failed "
            f"{check['failed']}, replies sent {check['outbound_sent']} "
            f"(LINE saw {hd['replies_at_line']})"
        )
    return "\n".join(lines)
