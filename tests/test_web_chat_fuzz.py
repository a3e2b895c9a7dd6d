"""Hostile input to the web chat API never gets a 5xx (Hypothesis: fixed seed, bounded runs).

Runs on SQLite and, with HELPBOT_TEST_DATABASE_URL, on PostgreSQL, which refuses NUL and
lone surrogates in text: everything must be refused with a 4xx or stored cleaned.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from helpbot.app import create_app
from helpbot.channels.web.session import COOKIE, HEADER
from helpbot.storage.models import Message

# 200 in the suite; a longer run: HELPBOT_FUZZ_EXAMPLES=3400 pytest tests/test_web_chat_fuzz.py -s
EXAMPLES = int(os.environ.get("HELPBOT_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)
SESSION = "fuzz-session-0001"
MESSAGES = "/api/playground/messages"
NASTY = [
    "\x00", "a\x00b", "\ud800", "x\udfffy", "\ufffe", "\u202e", "\x1b[31m", "死にたい",
    "人と話したい", "食べ物に困っています", "1e23", "-1", "NaN", "Infinity", "abc", "0x10",
    "<script>alert(1)</script>", "' OR 1=1 --", "あ" * 2001, "x" * 5000, " ", "",
    "9" * 30, "18446744073709551616", "2147483647", "2147483648", "9223372036854775808",
    "a=csat&case=1&v=3", "a=topic&c=食べ物",
]

nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Cf", "Zs"]), max_size=8),
    st.tuples(st.sampled_from(NASTY), st.text(max_size=10)).map("".join),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=8,
)
message_objects = st.fixed_dictionaries(
    {},
    optional={
        "session": st.one_of(st.just(SESSION), nasty_text, json_values),
        "text": st.one_of(nasty_text, json_values),
        "postback": st.one_of(nasty_text, json_values),
        "event": st.one_of(st.just("follow"), json_values),
    },
)
raw_bodies = st.one_of(
    message_objects.map(lambda body: json.dumps(body).encode()),
    st.fixed_dictionaries({"text": nasty_text}).map(lambda body: json.dumps(body).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
    st.sampled_from([
        b"[" * 1000 + b"]" * 1000,
        b'{"text":' * 600 + b"1" + b"}" * 600,
        b'{"text": NaN}',
        b'{"text": "\\u0000"}',
        b'{"text": "\\ud800"}',
        b'{"text": "\xff\xfe"}',
        '{"text": "こんにちは"}'.encode("utf-16"),
        b'{"text": "' + b"x" * 20000 + b'"}',
        b"",
    ]),
)
content_types = st.one_of(
    st.just("application/json"),
    st.sampled_from(["application/json; charset=utf-8", "application/ld+json", "text/plain", None]),
)
header_values = st.one_of(
    st.none(),
    st.just(SESSION),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=70),
)
query_values = st.one_of(
    st.integers(min_value=0, max_value=50).map(str), nasty_text, st.integers().map(str),
    st.floats().map(str),
)


def _segment(value: str) -> str:
    return quote(value, safe="", errors="surrogatepass")


def _query(values: dict[str, str]) -> str:
    return urlencode(values, errors="surrogatepass")


@pytest.fixture
def fuzz_app(settings, clock) -> Iterator[Flask]:
    """Web chat on, the staff pane on (no Slack), limits out of the way of the fuzzing."""
    app = create_app(
        settings.with_overrides(
            slack_signing_secret=None, slack_bot_token=None, slack_escalation_channel=None,
            web_chat=True, web_chat_session_limit="100000/minute",
            web_chat_client_limit="100000/minute", web_chat_poll_limit="100000/minute",
            web_chat_new_session_limit="100000/hour",
        ),
        clock=clock,
    )
    yield app
    app.extensions["helpbot"].close()


@pytest.fixture
def fuzz_client(fuzz_app) -> FlaskClient:
    client = fuzz_app.test_client()
    # A session with a real case, so the staff pane's actions reach the case service.
    opened = client.post(MESSAGES, json={"text": "人と話したい"}, headers={HEADER: SESSION})
    assert opened.status_code == 200
    return client


def _checked(response: Any) -> int:
    """Assert the response is a 2xx or 4xx with JSON (an ``error`` on a 4xx); its status."""
    status = response.status_code
    assert status < 500, (status, response.get_data()[:300])
    body = response.get_json(silent=True)
    assert isinstance(body, dict), (status, response.get_data()[:300])
    if status >= 400:
        assert isinstance(body.get("error"), str) and body["error"]
    return status


def _run(test: Callable[..., int], strategy: st.SearchStrategy[Any]) -> Counter[int]:
    seen: Counter[int] = Counter()

    @FUZZ
    @given(strategy)
    def property_(example: Any) -> None:
        seen[test(example)] += 1

    property_()
    print(f"\n{test.__name__}: {sum(seen.values())} examples, {dict(sorted(seen.items()))}")
    return seen


def test_posting_anything_to_the_messages_api_never_gets_a_5xx(fuzz_client, database):
    def post(example: tuple[bytes, str | None, str | None, str | None]) -> int:
        body, content_type, session_header, cookie = example
        fuzz_client.delete_cookie(COOKIE, path="/api/playground")
        if cookie is not None:
            fuzz_client.set_cookie(COOKIE, cookie, path="/api/playground")
        headers = {HEADER: session_header} if session_header is not None else {}
        return _checked(fuzz_client.post(
            MESSAGES, data=body, content_type=content_type, headers=headers
        ))

    seen = _run(post, st.tuples(raw_bodies, content_types, header_values, header_values))
    assert sum(seen.values()) == EXAMPLES
    assert seen[200] >= 10 and seen[400] >= 10, seen  # both the core and the checks were hit
    with database.session() as session:
        texts = session.scalars(select(Message.text)).all()
    unstorable = [t for t in texts if any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in t)]
    assert texts and not unstorable


def test_polling_with_any_query_never_gets_a_5xx(fuzz_client):
    def poll(example: tuple[dict[str, str], str | None]) -> int:
        query, session_header = example
        headers = {HEADER: session_header} if session_header is not None else {}
        return _checked(fuzz_client.get(f"{MESSAGES}?{_query(query)}", headers=headers))

    queries = st.fixed_dictionaries(
        {}, optional={"after": query_values, "session": st.one_of(st.just(SESSION), nasty_text)}
    )
    seen = _run(poll, st.tuples(queries, st.one_of(st.just(SESSION), header_values)))
    assert seen[200] >= 10 and seen[400] >= 10, seen


def test_the_staff_pane_with_any_input_never_gets_a_5xx(fuzz_client):
    def act(example: tuple[str, str, str, bytes, str | None]) -> int:
        number, action, method, body, session_header = example
        headers = {HEADER: session_header} if session_header is not None else {}
        if method == "GET":
            return _checked(fuzz_client.get("/api/playground/cases", headers=headers))
        path = f"/api/playground/cases/{_segment(number)}/{_segment(action)}"
        response = fuzz_client.post(path, data=body, content_type="application/json",
                                    headers=headers)
        if response.status_code == 404 and not response.is_json:
            pytest.fail(f"{path} answered a non-JSON 404")
        return _checked(response)

    numbers = st.one_of(st.just("1"), st.integers(min_value=-5, max_value=2**70).map(str),
                        nasty_text.filter(lambda t: t not in {"", ".", ".."}))
    actions = st.one_of(st.sampled_from(["claim", "reply", "resolve"]),
                        nasty_text.filter(lambda t: t not in {"", ".", ".."}))
    bodies = st.one_of(raw_bodies, st.sampled_from([b'{"text": "\\u0000\\ud800"}',
                                                     '{"text": "担当です"}'.encode()]))
    sessions = st.one_of(st.just(SESSION), header_values)
    seen = _run(act, st.tuples(numbers, actions, st.sampled_from(["GET", "POST"]),
                               bodies, sessions))
    assert seen[200] >= 5 and (seen[400] + seen[404] + seen[409]) >= 10, seen
