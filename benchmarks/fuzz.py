"""``helpbot bench fuzz``: seeded hostile requests against the public endpoints, counted.

The app is built in-process (``create_app`` with LINE and Slack configured, on a fresh
database) and driven through Flask's test client, so every request goes through the real
WSGI stack, views, bolt, the group commit and the database. Nothing leaves the machine: the
LINE and Slack API hosts are the benches' local stand-ins, answering every call with "ok".
The report counts answers per endpoint and status class; a 5xx is a defect. After the
LINE run, valid events sent through the same app must all be stored.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.escalation import LocalSlackApi
from benchmarks.fuzz_inputs import FuzzRequest, line_event, line_request, slack_request
from benchmarks.fuzz_inputs import web_request as web_chat_request
from benchmarks.harness import (
    CHANNEL_SECRET,
    LocalLineApi,
    default_faq_dir,
    fresh_database,
    line_settings,
    report_head,
    sign,
    temporary_workdir,
)

ENDPOINTS = ("line", "slack", "web")
SLACK_SECRET = "fuzz-slack-signing-secret"
SLACK_TEAM = "T0FUZZTEAM"
SLACK_CHANNEL = "C0FUZZCASES"
LABELS = {
    "line": "POST /webhooks/line",
    "slack": "POST /webhooks/slack",
    "web": "POST/GET /api/playground/messages",
}


@contextlib.contextmanager
def _quiet_logs(enabled: bool) -> Iterator[None]:
    """Hostile input makes helpbot and bolt log a warning per request; keep the report."""
    names = ("helpbot", "slack_bolt", "werkzeug")
    levels = {name: logging.getLogger(name).level for name in names}
    if enabled:
        for name in names:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _send(client: Any, request: FuzzRequest) -> int:
    if request.method == "GET":
        return int(client.get(f"{request.path}?{request.query}").status_code)
    return int(client.post(request.path, data=request.body, headers=request.headers).status_code)


def _run_endpoint(
    client: Any, generate: Callable[[random.Random], FuzzRequest], *, examples: int, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    codes: Counter[int] = Counter()
    start = time.perf_counter()
    for _ in range(examples):
        codes[_send(client, generate(rng))] += 1
    seconds = time.perf_counter() - start
    classes = Counter(f"{code // 100}xx" for code in codes.elements())
    return {
        "requests": examples,
        "by_class": dict(sorted(classes.items())),
        "by_status": {str(code): count for code, count in sorted(codes.items())},
        "5xx": classes.get("5xx", 0),
        "seconds": round(seconds, 1),
    }


def _valid_events_stored(
    client: Any, database_url: str, *, count: int, seed: int
) -> dict[str, int]:
    """Send ``count`` valid events after the hostile ones: how many got 200 and are stored."""
    from sqlalchemy import select

    from benchmarks.fuzz_inputs import encode
    from helpbot.storage.database import Database
    from helpbot.storage.models import WebhookEvent

    rng = random.Random(seed)
    ids, ok = [], 0
    for _ in range(count):
        event = line_event(rng)
        if "message" in event:  # ordinary words instead of the fuzzer's odd ones
            event["message"]["text"] = "食べ物に困っています"
        if "postback" in event:
            event["postback"]["data"] = "a=entry&id=food-bank"
        ids.append(event["webhookEventId"])
        body = encode({"destination": "U" + "b0" * 16, "events": [event]}, random.Random(0))
        response = client.post("/webhooks/line", data=body,
                               headers={"X-Line-Signature": sign(body, CHANNEL_SECRET)})
        ok += response.status_code == 200
    database = Database(database_url)
    try:
        with database.session() as session:
            stored = set(session.scalars(
                select(WebhookEvent.event_id).where(WebhookEvent.event_id.in_(ids))
            ))
    finally:
        database.dispose()
    return {"sent": count, "answered_200": ok, "stored": len(stored)}


def run_fuzz(
    *,
    examples: int,
    endpoints: Sequence[str] = ENDPOINTS,
    database_url: str | None = None,
    faq_dir: Path | None = None,
    seed: int = 0,
    quiet: bool = True,
    log: Callable[[str], None] = lambda _message: None,
) -> dict[str, Any]:
    """Send ``examples`` seeded hostile requests to each endpoint; counts per status class."""
    from helpbot.app import create_app

    faq = faq_dir or default_faq_dir()
    report: dict[str, Any] = {**report_head(database_url), "examples_per_endpoint": examples,
                              "seed": seed, "endpoints": {}}
    with (
        temporary_workdir("fuzz") as workdir,
        fresh_database(database_url, workdir, "fuzz") as url,
        LocalLineApi() as line_api,
        LocalSlackApi() as slack_api,
    ):
        settings = line_settings(
            url, faq, line_api.base_url,
            slack_signing_secret=SLACK_SECRET, slack_bot_token="xoxb-fuzz",
            slack_escalation_channel=SLACK_CHANNEL, slack_team_id=SLACK_TEAM,
            slack_api_base_url=slack_api.api_url, semantic_matching=False,
            embedding_cache_dir=None, faq_check_interval=3600.0,
            # The web chat on, with limits high enough that the inputs reach the handlers
            # (the limits themselves are tested in tests/test_web_chat.py).
            web_chat=True, web_chat_session_limit="1000000/minute",
            web_chat_client_limit="1000000/minute", web_chat_poll_limit="1000000/minute",
            web_chat_new_session_limit="1000000/hour",
        )
        generators: dict[str, Callable[[random.Random], FuzzRequest]] = {
            "line": lambda rng: line_request(rng, CHANNEL_SECRET),
            "slack": lambda rng: slack_request(rng, SLACK_SECRET, team=SLACK_TEAM,
                                               channel=SLACK_CHANNEL),
            "web": web_chat_request,
        }
        with _quiet_logs(quiet):
            app = create_app(settings)
            services = app.extensions["helpbot"]
            try:
                client = app.test_client()
                for offset, name in enumerate(endpoints):
                    log(f"fuzz: {examples} requests to {LABELS[name]}")
                    result = _run_endpoint(client, generators[name], examples=examples,
                                           seed=seed * 1000 + offset)
                    report["endpoints"][name] = {"endpoint": LABELS[name], **result}
                if "line" in endpoints:
                    report["valid_line_events_after"] = _valid_events_stored(
                        client, url, count=100, seed=seed + 7
                    )
                services.wait_idle(timeout=60)
            finally:
                services.close()
    report["total_5xx"] = sum(e["5xx"] for e in report["endpoints"].values())
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{report['examples_per_endpoint']} requests per endpoint, seed {report['seed']}, "
             f"{report.get('database', '?')}"]
    for result in report["endpoints"].values():
        classes = ", ".join(f"{k} {v}" for k, v in result["by_class"].items())
        lines.append(f"{result['endpoint']:<36} {classes}  ({result['seconds']} s)")
    valid = report.get("valid_line_events_after")
    if valid:
        lines.append(f"valid LINE events afterwards: {valid['stored']}/{valid['sent']} stored")
    lines.append(f"5xx in total: {report['total_5xx']}")
    return "\n".join(lines)
