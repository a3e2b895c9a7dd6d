"""The staff page /staff/report: sign-in with a token or with Slack (OpenID Connect against the
fake Slack's openid.connect.* endpoints), the numbers, and the charts drawn on the server."""

from __future__ import annotations

import dataclasses
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from helpbot.app import create_app
from helpbot.cli import main
from helpbot.storage.staff_access import issue_token
from tests.fakes.line_webhooks import new_user_id
from tests.test_reports import say

WORKER = "UWORKER01"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser_visit(url: str) -> tuple[int, str]:
    """What a browser gets from Slack's authorize page: the status and the Location."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def test_without_sign_in_the_page_sends_you_to_sign_in(client):
    response = client.get("/staff/report?since=30d")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in?next=/staff/report")
    assert client.get("/staff/report/charts/outcomes.svg").status_code == 401
    page = client.get("/staff/sign-in").get_data(as_text=True)
    assert 'name="token"' in page and "slack-sign-in" not in page


def test_a_token_from_the_cli_signs_in_and_the_page_shows_the_numbers(
    client, line, fake_line, settings, clock
):
    say(line, fake_line, new_user_id(), "相談できる時間は何時から何時までですか")
    say(line, fake_line, new_user_id(), "人と話したい")
    result = CliRunner().invoke(main, ["staff", "token", "--label", "office"],
                                env={"HELPBOT_DATABASE_URL": settings.database_url})
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[0]

    wrong = client.post("/staff/sign-in", data={"token": token[:-2] + "xx"})
    assert wrong.status_code == 401 and "helpbot staff token" in wrong.get_data(as_text=True)
    signed = client.post("/staff/sign-in", data={"token": token, "next": "/staff/report"})
    assert signed.status_code == 302 and signed.headers["Location"] == "/staff/report"
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Path=/staff" in cookie and token not in cookie

    page = client.get("/staff/report?since=2026-12-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<dd id="messages-in">2</dd>' in html
    assert '<dd id="answered">1</dd>' in html
    assert '<dd id="cases">1 · 0 · 0</dd>' in html
    assert "office" in html
    for name in ("outcomes", "cases", "claim", "gaps"):
        chart = client.get(f"/staff/report/charts/{name}.svg?since=2026-12-01")
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
        assert chart.get_data(as_text=True).lstrip().startswith("<?xml")
        assert "<script" not in chart.get_data(as_text=True)
    assert client.get("/staff/report/charts/nope.svg").status_code == 404
    bad = client.get("/staff/report?since=yesterday")
    assert bad.status_code == 400 and "2026-11-01" in bad.get_data(as_text=True)

    client.post("/staff/sign-out")
    assert client.get("/staff/report").status_code == 302


@pytest.mark.parametrize(
    "query",
    ["since=0001-01-01", "since=9999-12-31", "since=7d&until=9999-12-31",
     "since=7d&until=0001-01-01", "since=1900-01-01&until=1900-01-02"],
)
def test_a_date_beyond_the_calendar_is_a_clear_400(client, database, clock, query):
    token = issue_token(database, label="x", now=clock())
    client.post("/staff/sign-in", data={"token": token})
    page = client.get(f"/staff/report?{query}")
    assert page.status_code == 400
    assert "2000-01-01 to 2099-12-31" in page.get_data(as_text=True)
    chart = client.get(f"/staff/report/charts/outcomes.svg?{query}")
    assert chart.status_code == 400 and "2000-01-01" in chart.get_data(as_text=True)


def test_an_expired_token_does_not_sign_in(client, database, clock):
    token = issue_token(database, label="old", now=clock(), days=1)
    clock.advance(days=2)
    assert client.post("/staff/sign-in", data={"token": token}).status_code == 401


def test_next_never_leaves_the_staff_pages(client, database, clock):
    token = issue_token(database, label="x", now=clock())
    response = client.post("/staff/sign-in", data={"token": token,
                                                   "next": "//evil.example/staff/report"})
    assert response.headers["Location"] == "/staff/report"


@pytest.fixture
def oidc_app(settings, clock, fake_slack):
    oidc = dataclasses.replace(settings, slack_client_id=fake_slack.oidc_client_id,
                               slack_client_secret=fake_slack.oidc_client_secret)
    app = create_app(oidc, clock=clock)
    app.config["TESTING"] = True
    yield app
    app.extensions["helpbot"].close()


def _start_slack_sign_in(client) -> str:
    start = client.get("/staff/sign-in/slack?next=/staff/report?since=30d")
    assert start.status_code == 302
    return start.headers["Location"]


def test_sign_in_with_slack(oidc_app, fake_slack):
    client = oidc_app.test_client()
    page = client.get("/staff/sign-in").get_data(as_text=True)
    assert "slack-sign-in" in page and 'name="token"' not in page
    fake_slack.add_user(WORKER, "sato", "さとう")
    fake_slack.sign_in_as(WORKER)
    authorize = _start_slack_sign_in(client)
    assert authorize.startswith(fake_slack.base_url + "/openid/connect/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["scope"] == ["openid profile"] and query["client_id"] == ["1111.2222"]
    status, back = browser_visit(authorize)
    assert status == 302 and back.startswith("http://localhost/staff/sign-in/slack/callback?")
    done = client.get(back.removeprefix("http://localhost"))
    assert done.status_code == 302 and done.headers["Location"] == "/staff/report?since=30d"
    page = client.get("/staff/report?since=30d")
    assert page.status_code == 200 and "さとう" in page.get_data(as_text=True)
    token_call = fake_slack.calls("openid.connect.token")[0]
    assert token_call.headers["authorization"].startswith("Basic ")
    assert fake_slack.violations == []


def test_sign_in_with_slack_refuses_a_forged_state_and_another_workspace(oidc_app, fake_slack):
    client = oidc_app.test_client()
    fake_slack.add_user(WORKER, "sato")
    fake_slack.sign_in_as(WORKER)
    _status, back = browser_visit(_start_slack_sign_in(client))
    forged = back.removeprefix("http://localhost").replace("state=", "state=x")
    refused = client.get(forged)
    assert refused.status_code == 401 and "start again" in refused.get_data(as_text=True)
    assert client.get("/staff/report").status_code == 302

    fake_slack.add_user("UOUTSIDE1", "guest")
    fake_slack._users["UOUTSIDE1"]["team_id"] = "T0OTHER99"  # a guest from another workspace
    fake_slack.sign_in_as("UOUTSIDE1")
    _status, back = browser_visit(_start_slack_sign_in(client))
    outsider = client.get(back.removeprefix("http://localhost"))
    assert outsider.status_code == 401
    assert "not in the NPO&#39;s workspace" in outsider.get_data(as_text=True)
    assert client.get("/staff/report").status_code == 302
