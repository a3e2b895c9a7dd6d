"""The web chat as a channel that is safe to leave on: on/off, cookie sessions, limits, headers."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from helpbot.app import SECURITY_HEADERS, create_app
from helpbot.channels.web.limits import TOO_MANY, TOO_MANY_SESSIONS
from helpbot.channels.web.session import COOKIE, HEADER
from helpbot.config import load_settings
from helpbot.errors import ConfigError
from helpbot.storage.models import Case, Contact
from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import new_user_id, text_event

MESSAGES = "/api/playground/messages"
WITHOUT_PLATFORMS = dict(
    line_channel_secret=None, line_channel_access_token=None, slack_signing_secret=None,
    slack_bot_token=None, slack_escalation_channel=None,
)


@pytest.fixture
def make_app(settings, clock) -> Iterator:
    apps: list[Flask] = []

    def make(**overrides) -> Flask:
        app = create_app(settings.with_overrides(**overrides), clock=clock)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["helpbot"].close()


# --- on or off ------------------------------------------------------------------------------

PLATFORMS = {
    "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
}


@pytest.mark.parametrize(
    ("environ", "enabled"),
    [
        ({}, True),  # the quick start: nothing connected
        (PLATFORMS, False),
        ({**PLATFORMS, "HELPBOT_WEB_CHAT": "on"}, True),
        ({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1",
          "SLACK_ESCALATION_CHANNEL": "C1"}, False),
        ({"HELPBOT_WEB_CHAT": "off"}, False),
        ({"HELPBOT_WEB_CHAT": " "}, True),
    ],
)
def test_web_chat_is_on_by_default_only_without_platforms(environ, enabled, tmp_path):
    settings = load_settings(environ=environ, env_file=None, instance_path=tmp_path)
    assert settings.web_chat_enabled is enabled


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HELPBOT_WEB_CHAT", "maybe"),
        ("HELPBOT_WEB_CHAT_SESSION_LIMIT", "lots"),
        ("HELPBOT_WEB_CHAT_CLIENT_LIMIT", "0/minute"),
        ("HELPBOT_WEB_CHAT_POLL_LIMIT", "60 per fortnight"),
        ("HELPBOT_WEB_CHAT_NEW_SESSION_LIMIT", "-1/hour"),
        ("HELPBOT_TRUSTED_PROXIES", "one"),
    ],
)
def test_a_bad_web_chat_setting_names_the_variable(name, value, tmp_path):
    with pytest.raises(ConfigError, match=name):
        load_settings(environ={name: value}, env_file=None, instance_path=tmp_path)


def test_off_the_page_and_the_api_answer_404_with_a_note(make_app):
    client = make_app(web_chat=None).test_client()  # LINE and Slack configured
    page = client.get("/")
    assert page.status_code == 404 and b"HELPBOT_WEB_CHAT=on" in page.data
    for response in (
        client.post(MESSAGES, json={"text": "死にたい"}),
        client.get(f"{MESSAGES}?after=0"),
        client.get("/api/playground/config"),
        client.get("/api/playground/cases"),
        client.post("/api/playground/cases/1/claim"),
    ):
        assert response.status_code == 404
        assert "HELPBOT_WEB_CHAT=on" in response.get_json()["error"]
    assert client.get("/static/web/playground.js").status_code == 404
    assert client.get("/healthz").status_code == 200


def test_a_warning_at_start_up_when_on_beside_a_platform(make_app, caplog):
    with caplog.at_level(logging.WARNING, logger="helpbot.channels.web.channel"):
        make_app(web_chat=True)
    assert any("HELPBOT_WEB_CHAT=on" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="helpbot.channels.web.channel"):
        make_app(web_chat=None, **WITHOUT_PLATFORMS)
    assert not [r for r in caplog.records if "HELPBOT_WEB_CHAT" in r.getMessage()]


# --- the session travels in a cookie ---------------------------------------------------------

def test_the_first_message_sets_a_strict_http_only_cookie(make_app, database):
    client = make_app().test_client()
    first = client.post(MESSAGES, json={"text": "食べ物に困っています"})
    assert first.status_code == 200
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/api/playground"):
        assert attribute in cookie
    assert "Secure" not in cookie, "plain http in tests: a Secure cookie would never come back"
    session_id = client.get_cookie(COOKIE, path="/api/playground").value

    again = client.post(MESSAGES, json={"text": "ありがとう"})
    assert again.status_code == 200 and "Set-Cookie" not in again.headers
    later = client.get(f"{MESSAGES}?after=0").get_json()["messages"]
    assert [m["id"] for m in later] == sorted(m["id"] for m in later) and len(later) >= 2
    with database.session() as session:
        contacts = session.scalars(select(Contact.channel_user_id)).all()
    assert contacts == [session_id], "one person, one contact, named by the cookie"


def test_over_https_the_cookie_is_secure(make_app):
    client = make_app().test_client()
    response = client.post(MESSAGES, json={"event": "follow"}, base_url="https://chat.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_without_a_session_polls_get_a_clear_400(make_app):
    client = make_app(**WITHOUT_PLATFORMS, web_chat=None).test_client()
    for path in (f"{MESSAGES}?after=0", "/api/playground/cases"):
        response = client.get(path)
        assert response.status_code == 400 and "cookie" in response.get_json()["error"]


@pytest.mark.parametrize(
    ("after", "status"),
    [("0", 200), ("2147483647", 200), ("2147483648", 400), ("1e23", 400), ("-1", 400),
     ("abc", 400), ("", 400), ("٣", 400), ("9" * 40, 400)],
)
def test_after_is_a_message_id_or_a_clear_400(make_app, after, status):
    client = make_app().test_client()
    client.post(MESSAGES, json={"event": "follow"})
    response = client.get(MESSAGES, query_string={"after": after})
    assert response.status_code == status
    assert ("messages" if status == 200 else "error") in response.get_json()


def test_scripts_may_name_the_session_in_a_header_and_old_clients_in_the_query(make_app):
    client = make_app(**WITHOUT_PLATFORMS, web_chat=None).test_client()
    said = client.post(MESSAGES, json={"text": "人と話したい"}, headers={HEADER: "script-1234"})
    assert said.status_code == 200 and "Set-Cookie" not in said.headers
    by_header = client.get("/api/playground/cases", headers={HEADER: "script-1234"})
    by_query = client.get("/api/playground/cases?session=script-1234")
    assert by_header.get_json() == by_query.get_json()
    assert len(by_header.get_json()["cases"]) == 1
    assert client.get("/api/playground/cases", headers={HEADER: "bad id"}).status_code == 400


def test_the_page_never_puts_the_session_in_a_url(make_app):
    client = make_app().test_client()
    with client.get("/static/web/playground.js") as response:
        script = response.get_data(as_text=True)
    assert "api/playground/messages?after=" in script
    assert "session=" not in script and "localStorage" not in script


# --- limits --------------------------------------------------------------------------------

def _burst(client, count: int, **kwargs) -> Counter[int]:
    statuses: Counter[int] = Counter()
    for index in range(count):
        response = client.post(MESSAGES, json={"text": f"こんにちは {index}"}, **kwargs)
        statuses[response.status_code] += 1
        if response.status_code == 429:
            assert response.get_json()["error"] in {TOO_MANY, TOO_MANY_SESSIONS}
            assert int(response.headers["Retry-After"]) >= 1
    return statuses


def test_a_burst_of_320_from_one_session_is_mostly_refused(make_app):
    client = make_app().test_client()  # the default limits: 20/minute per session
    assert client.post(MESSAGES, json={"event": "follow"}).status_code == 200  # as the page
    statuses = _burst(client, 320)
    assert statuses == {200: 20, 429: 300}


def test_a_burst_of_320_over_many_sessions_is_held_by_the_client_limit(make_app, database):
    client = make_app(web_chat_new_session_limit="1000/hour").test_client()
    statuses: Counter[int] = Counter()
    for index in range(320):
        statuses += _burst(client, 1, headers={HEADER: f"burst-session-{index % 40:03d}"})
    assert statuses == {200: 60, 429: 260}, "60/minute per client"
    other = client.post(MESSAGES, json={"text": "hi"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200, "another client is not held back"


def test_a_client_cannot_mint_unlimited_sessions(make_app, database):
    client = make_app(web_chat_new_session_limit="5/hour").test_client()
    statuses: Counter[int] = Counter()
    for index in range(12):
        client.delete_cookie(COOKIE, path="/api/playground")
        statuses += _burst(client, 1)
        statuses += _burst(client, 1, headers={HEADER: f"chosen-by-client-{index:02d}"})
    assert statuses == {200: 5, 429: 19}
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 5


def test_refusals_are_logged_without_the_session_id(make_app, caplog):
    client = make_app(web_chat_session_limit="2/minute").test_client()
    with caplog.at_level(logging.INFO, logger="flask-limiter"):
        statuses = _burst(client, 4, headers={HEADER: "secret-session-id-42"})
    assert statuses == {200: 2, 429: 2}
    refusals = [r.getMessage() for r in caplog.records if "exceeded" in r.getMessage()]
    assert refusals and not [m for m in refusals if "secret-session-id-42" in m]


def test_polls_have_their_own_limit(make_app):
    client = make_app(web_chat_poll_limit="30/minute").test_client()
    client.post(MESSAGES, json={"event": "follow"})
    statuses = Counter(client.get(f"{MESSAGES}?after=0").status_code for _ in range(40))
    assert statuses == {200: 30, 429: 10}
    assert client.post(MESSAGES, json={"text": "まだ送れますか"}).status_code == 200


def test_behind_a_trusted_proxy_clients_are_told_apart(make_app):
    client = make_app(web_chat_client_limit="3/minute", trusted_proxies=1).test_client()
    def say(address: str) -> int:
        return client.post(MESSAGES, json={"text": "hi"},
                           headers={HEADER: "proxy-" + address.replace(".", "-"),
                                    "X-Forwarded-For": address}
                           ).status_code
    assert [say("192.0.2.1") for _ in range(4)] == [200, 200, 200, 429]
    assert say("192.0.2.2") == 200


# --- Slack sees where a case comes from --------------------------------------------------------

def test_a_crisis_in_the_web_chat_is_an_urgent_web_case_that_pages_staff(
    make_app, fake_slack, database
):
    client = make_app(web_chat=True).test_client()
    response = client.post(MESSAGES, json={"text": "もう疲れた。死にたい"})
    assert response.status_code == 200
    assert "119" in response.get_json()["replies"][0]["text"]
    with database.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.urgency == "urgent"
        root = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert root is not None
    assert "Web チャット" in root.text and "URGENT" in root.text
    assert "Web チャット" in str(root.blocks) and "URGENT" in str(root.blocks)
    thread = [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]
    assert any(text.startswith("<!channel> URGENT") for text in thread)


def test_a_case_from_line_is_marked_line_not_web(line, fake_line, fake_slack, database):
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    event = text_event("人と話したい", user_id=person, reply_token=token)
    assert line.post(event).status_code == 200
    line.settle()
    with database.session() as session:
        case = session.scalars(select(Case)).one()
        root = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert root is not None and "(LINE)" in root.text and "Web" not in str(root.blocks)
    assert not [m for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
                if m.text.startswith("<!channel>")], "not a crisis: nobody is paged"


# --- security headers on every response ---------------------------------------------------------

def _every_rule(app: Flask) -> Iterator[tuple[str, str]]:
    samples = {"number": 1, "action": "claim", "rest": "anything", "filename": "playground.js"}
    for rule in app.url_map.iter_rules():
        built = rule.build({name: samples[name] for name in rule.arguments}, append_unknown=False)
        assert built is not None, rule
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, built[1]


@pytest.mark.parametrize("web_chat", [True, False])
def test_security_headers_on_every_endpoint_and_error(make_app, web_chat):
    app = make_app(web_chat=web_chat)
    client = app.test_client()
    requests = [*_every_rule(app), ("GET", "/no-such-page"), ("PUT", "/webhooks/line")]
    assert len(requests) >= 7
    for method, path in requests:
        with client.open(path, method=method, json={}) as response:
            for name, value in SECURITY_HEADERS.items():
                assert response.headers.get(name) == value, (method, path, name)
            assert response.status_code < 500, (method, path)


def test_the_page_runs_under_the_policy_with_no_inline_script_or_style(make_app):
    client = make_app().test_client()
    page = client.get("/").get_data(as_text=True)
    assert "<script src=" in page and "<script>" not in page
    assert "<style" not in page and " style=" not in page and " on" + "click=" not in page
    for asset in ("/static/web/playground.js", "/static/web/playground.css"):
        with client.get(asset) as response:
            assert response.status_code == 200
    assert "script-src 'self'" in SECURITY_HEADERS["Content-Security-Policy"]


def test_a_database_failure_under_the_web_chat_is_a_clear_503_not_a_500(client, database):
    """The database refusing (here: a table gone) answers JSON 503, never a 500 page.

    On SQLite only: each test has its own file there, while PostgreSQL tests share a schema
    that must keep its tables; the handler does not depend on the backend."""
    from sqlalchemy import text

    if not database.is_sqlite:
        pytest.skip("drops a table: only on a test's own SQLite file")
    with database.session() as session:
        session.execute(text("DROP TABLE crisis_signals"))
        session.execute(text("DROP TABLE messages"))
    response = client.post("/api/playground/messages", json={"text": "フードバンクはどこ"},
                           headers={"X-Helpbot-Session": "abcdefgh-1234"})
    assert response.status_code == 503
    assert "try again" in response.get_json()["error"]
