"""Property-based tests (Hypothesis) over POST /webhooks/line and POST /webhooks/slack.

Whatever the body and headers, the answer is below 500, and a valid event sent right after
each hostile one is still stored. A fixed seed (``derandomize``) and a bounded number of
examples keep CI fast and repeatable; ``HELPBOT_FUZZ_EXAMPLES`` raises the count locally.
Runs on SQLite and, with HELPBOT_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from helpbot.storage.models import WebhookEvent
from tests import strategies
from tests.conftest import LINE_SECRET, SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import callback_body, new_event_id, sign, text_event
from tests.fakes.slack_requests import event_callback, message_event
from tests.fakes.slack_requests import new_event_id as slack_id

EXAMPLES = int(os.environ.get("HELPBOT_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


def _stored(database, channel: str, event_id: str) -> bool:
    with database.session() as session:
        found = session.scalar(
            select(WebhookEvent.id).where(
                WebhookEvent.channel == channel, WebhookEvent.event_id == event_id
            )
        )
    return found is not None


def _post_line(client, body: bytes, signature: str):
    return client.post("/webhooks/line", data=body,
                       headers={"X-Line-Signature": signature,
                                "Content-Type": "application/json"})


@FUZZ
@given(body=strategies.line_bodies(), signed=st.sampled_from([True, True, True, False]))
def test_line_webhook_never_answers_5xx_and_good_events_still_land(
    client, database, body, signed
):
    signature = sign(body, LINE_SECRET) if signed else sign(body, "another-secret")
    response = _post_line(client, body, signature)
    assert response.status_code < 500, response.get_data(as_text=True)
    if not signed:
        assert response.status_code == 400
    good_id = new_event_id()
    good = callback_body(text_event("食べ物に困っています", event_id=good_id))
    assert _post_line(client, good, sign(good, LINE_SECRET)).status_code == 200
    assert _stored(database, "line", good_id)


@FUZZ
@given(data=st.data())
def test_slack_endpoint_never_answers_5xx_and_good_events_still_land(
    app, client, database, data
):
    request = data.draw(
        strategies.hostile_slack_requests(secret=SLACK_SECRET, channel=SLACK_CHANNEL)
    )
    response = client.post(request.path, **request.post_kwargs())
    assert response.status_code < 500, response.get_data(as_text=True)
    good_id = slack_id()
    good = event_callback(
        message_event("hello", channel=SLACK_CHANNEL, user="UWORKER01"),
        event_id=good_id, signing_secret=SLACK_SECRET,
    )
    assert client.post(good.path, **good.post_kwargs()).status_code == 200
    assert _stored(database, "slack", good_id)
    assert app.extensions["helpbot"].wait_idle(timeout=20)
