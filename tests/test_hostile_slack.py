"""Hostile requests on POST /webhooks/slack: malformed authentication is 401 (never 500), a
replayed signed request runs once, other workspaces and channels are refused (issue 11)."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from helpbot.app import create_app
from helpbot.channels.slack.guards import REPLAY_CHANNEL
from helpbot.storage.models import Case, Delivery, WebhookEvent
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, text_event
from tests.fakes.slack_requests import (
    SlackRequest,
    block_action,
    event_callback,
    message_event,
    new_ts,
    slash_command,
    url_verification,
    view_submission,
)

WORKER = "UWORKER01"
OTHER_TEAM = "T0OTHER99"


def _open_case(line, fake_line, database) -> Case:
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    event = text_event("人と話したい", user_id=person, reply_token=token)
    assert line.post(event).status_code == 200
    line.settle()
    with database.session() as session:
        return session.scalars(select(Case)).one()


def _case_state(database, case_id: int) -> str:
    with database.session() as session:
        return session.get(Case, case_id).state


def _followups(database) -> int:
    with database.session() as session:
        return session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.kind == "reminder")
        )


def _remind(case: Case, *, team_id: str = "T0000TEST", timestamp: float | None = None):
    return slash_command("/helpbot", f"remind {case.id} 3日後 フードバンクに行けましたか？",
                         user_id=WORKER, channel_id=SLACK_CHANNEL, team_id=team_id,
                         signing_secret=SLACK_SECRET, timestamp=timestamp)


def _resigned(request: SlackRequest, change) -> SlackRequest:
    """The same interactive request with its payload changed by ``change``, signed again."""
    payload = request.data()
    change(payload)
    return SlackRequest.build(
        "payload=" + json.dumps(payload), request.content_type, signing_secret=SLACK_SECRET
    )


# -- malformed authentication ---------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "abc"},
        {"X-Slack-Request-Timestamp": ""},
        {"X-Slack-Request-Timestamp": "9" * 40},
        {"X-Slack-Request-Timestamp": "-5"},
        {"X-Slack-Request-Timestamp": "１７００００００００"},  # full-width digits
        {"X-Slack-Request-Timestamp": "1e9"},
        {"X-Slack-Signature": "v0=" + "\u00e9" * 64},
        {"X-Slack-Signature": "v0=\u3042"},
        {"X-Slack-Signature": ""},
        {"X-Slack-Signature": "v1=" + "0" * 64},
        {"X-Slack-Signature": "v0=" + "g" * 64},
        {"X-Slack-Signature": "v0=" + "0" * 6400},
    ],
    ids=lambda h: f"{next(iter(h))[8:]}={next(iter(h.values()))[:12]!r}",
)
def test_malformed_signature_headers_are_401_never_500(slack, fake_slack, database, headers):
    request = url_verification(signing_secret=SLACK_SECRET).with_headers(**headers)
    response = slack.send(request)
    assert response.status_code == 401
    assert fake_slack.requests == []


def test_missing_signature_headers_are_401(slack, fake_slack):
    response = slack.send(url_verification(signing_secret=SLACK_SECRET).without_signature())
    assert response.status_code == 401


# -- replays ----------------------------------------------------------------------------------
def test_a_signed_remind_replayed_60_seconds_later_creates_one_followup(
    line, slack, fake_line, database, clock
):
    case = _open_case(line, fake_line, database)
    # Sent 60 s ago (inside Slack's 5-minute window), and now once more, byte for byte.
    captured = _remind(case, timestamp=time.time() - 60)
    first = slack.send(captured)
    assert "scheduled for" in first.get_data(as_text=True)
    clock.advance(seconds=60)
    replayed = slack.send(captured)
    assert replayed.status_code == 200 and replayed.get_data(as_text=True) == ""
    slack.settle()
    assert _followups(database) == 1
    # A fresh request (new timestamp, new signature) with the same text is a new command.
    assert "scheduled for" in slack.send(_remind(case)).get_data(as_text=True)
    assert _followups(database) == 2


def test_a_replay_to_another_web_process_is_refused_too(
    line, slack, fake_line, database, settings, clock
):
    case = _open_case(line, fake_line, database)
    captured = _remind(case, timestamp=time.time() - 60)
    assert "scheduled for" in slack.send(captured).get_data(as_text=True)
    other = create_app(settings, clock=clock)  # a second process on the same database
    try:
        replayed = other.test_client().post(captured.path, **captured.post_kwargs())
        assert replayed.status_code == 200 and replayed.get_data(as_text=True) == ""
    finally:
        other.extensions["helpbot"].close()
    assert _followups(database) == 1


def _usage():
    return slash_command("/helpbot", "", user_id=WORKER, channel_id=SLACK_CHANNEL,
                         signing_secret=SLACK_SECRET)


def test_seen_requests_are_forgotten_after_two_windows(slack, database, clock):
    for _ in range(3):
        assert "Usage" in slack.send(_usage()).get_data(as_text=True)
    clock.advance(minutes=11)
    assert "Usage" in slack.send(_usage()).get_data(as_text=True)
    with database.session() as session:
        kept = session.scalar(
            select(func.count())
            .select_from(WebhookEvent)
            .where(WebhookEvent.channel == REPLAY_CHANNEL)
        )
    assert kept == 1


# -- other workspaces and channels ----------------------------------------------------------
def test_a_slash_command_from_another_workspace_is_refused(line, slack, fake_line, database):
    case = _open_case(line, fake_line, database)
    response = slack.send(_remind(case, team_id=OTHER_TEAM))
    assert response.status_code == 200
    assert "own workspace" in response.get_data(as_text=True)
    claim = slash_command("/helpbot", f"claim {case.id}", user_id=WORKER,
                          channel_id=SLACK_CHANNEL, team_id=OTHER_TEAM,
                          signing_secret=SLACK_SECRET)
    assert "own workspace" in slack.send(claim).get_data(as_text=True)
    slack.settle()
    assert _followups(database) == 0
    assert _case_state(database, case.id) == "open"


@pytest.mark.parametrize(
    "variant",
    ["other workspace", "guest from another workspace", "other channel"],
)
def test_buttons_from_outside_the_workspace_or_channel_are_refused(
    line, slack, fake_line, fake_slack, database, variant
):
    case = _open_case(line, fake_line, database)
    click = block_action(
        "case_claim", str(case.id), user_id=WORKER, channel_id=SLACK_CHANNEL,
        message_ts=case.slack_ts, signing_secret=SLACK_SECRET,
        team_id=OTHER_TEAM if variant == "other workspace" else "T0000TEST",
    )
    if variant == "guest from another workspace":  # Slack Connect: a shared channel's guest
        click = _resigned(click, lambda p: p["user"].update(team_id=OTHER_TEAM))
    if variant == "other channel":
        click = _resigned(click, lambda p: p["channel"].update(id="C0ELSEWHERE"))
    response = slack.send(click)
    assert response.status_code == 403
    slack.settle()
    assert _case_state(database, case.id) == "open"
    # The same click from the workspace, in the case channel, works.
    ok = block_action("case_claim", str(case.id), user_id=WORKER, channel_id=SLACK_CHANNEL,
                      message_ts=case.slack_ts, signing_secret=SLACK_SECRET)
    assert slack.send(ok).status_code == 200
    slack.settle()
    assert _case_state(database, case.id) == "claimed"


def test_a_form_from_another_workspace_schedules_nothing(line, slack, fake_line, database):
    case = _open_case(line, fake_line, database)
    values = {"when": {"when": "3日後"}, "message": {"message": "どうでしたか"}}
    submit = view_submission("followup_form", values, user_id=WORKER, team_id=OTHER_TEAM,
                             private_metadata=str(case.id), signing_secret=SLACK_SECRET)
    assert slack.send(submit).status_code == 403
    slack.settle()
    assert _followups(database) == 0


def test_a_thread_reply_by_a_guest_from_another_workspace_is_not_relayed(
    line, slack, fake_line, database
):
    case = _open_case(line, fake_line, database)
    before = len(fake_line.pushes)

    def reply(author_team: str):
        return event_callback(
            message_event("こちらは別の組織です", channel=SLACK_CHANNEL, user="UGUEST001",
                          ts=new_ts(), thread_ts=case.slack_ts, team_id=author_team),
            signing_secret=SLACK_SECRET,
        )

    # A Slack Connect guest writes in the case thread: the delivery is to our workspace,
    # the author is from another.
    assert slack.send(reply(OTHER_TEAM)).status_code == 200  # 200, or Slack sends it again
    slack.settle()
    assert len(fake_line.pushes) == before
    # The same reply by a worker of the workspace reaches the person.
    assert slack.send(reply("T0000TEST")).status_code == 200
    slack.settle()
    assert len(fake_line.pushes) == before + 1


def test_the_team_comes_from_auth_test_once_or_from_slack_team_id(
    slack, fake_slack, settings, clock
):
    for _ in range(3):
        assert slack.send(url_verification(signing_secret=SLACK_SECRET)).status_code == 200
        command = slash_command("/helpbot", "", user_id=WORKER, channel_id=SLACK_CHANNEL,
                                signing_secret=SLACK_SECRET)
        assert "Usage" in slack.send(command).get_data(as_text=True)
    assert len(fake_slack.calls("auth.test")) == 1  # bolt's own call, kept for the process
    pinned = create_app(settings.with_overrides(slack_team_id=OTHER_TEAM), clock=clock)
    try:
        command = slash_command("/helpbot", "", user_id=WORKER, channel_id=SLACK_CHANNEL,
                                signing_secret=SLACK_SECRET)
        response = pinned.test_client().post(command.path, **command.post_kwargs())
        assert "own workspace" in response.get_data(as_text=True)
    finally:
        pinned.extensions["helpbot"].close()


# -- signed bodies that are not what Slack sends ----------------------------------------------
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"events":' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b'["a list"]', "application/json"),
        (b'{"type":"event_callback","team_id":"T0000TEST","event":"text"}', "application/json"),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        (b'payload={"type":"view_submission","team":{"id":"T0000TEST"},"view":'
         b'{"callback_id":"case_followup_form"}}', "application/x-www-form-urlencoded"),
    ],
    ids=["not JSON", "deep", "not UTF-8", "a list", "event a string", "payload not JSON",
         "view without type"],
)
def test_signed_bodies_slack_never_sends_are_400_not_500(slack, fake_slack, body, content_type):
    response = slack.send(SlackRequest.build(body, content_type, signing_secret=SLACK_SECRET))
    assert response.status_code == 400
    slack.settle()


@pytest.mark.parametrize("value", ["t0123", "C0123ABCD", "T01 23", "T"])
def test_a_malformed_slack_team_id_stops_start_up_naming_the_variable(value):
    from helpbot.config import load_settings
    from helpbot.errors import ConfigError

    environ = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1",
               "SLACK_ESCALATION_CHANNEL": "C1", "SLACK_TEAM_ID": value}
    with pytest.raises(ConfigError, match="SLACK_TEAM_ID"):
        load_settings(environ=environ, env_file=None)
    environ["SLACK_TEAM_ID"] = "T0123ABCD"
    assert load_settings(environ=environ, env_file=None).slack_team_id == "T0123ABCD"
