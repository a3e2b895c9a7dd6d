"""A period's report does not change after the period: cases are counted from the audit trail.

November's report printed in December must equal the one printed on 30 November, whatever
happened to its cases since: reopened by the person or by a worker's reply, or their person
erased. Driven through signed LINE webhooks and Slack requests with an injected clock.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from helpbot.cases.outbox import PostKind
from helpbot.personal_data.erase import erase_person
from helpbot.reports.case_counts import replay
from helpbot.reports.case_history import Step
from helpbot.storage.audit import SYSTEM, AuditAction, record
from helpbot.storage.models import Case, Contact, StaffPost
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, postback_event
from tests.fakes.slack_requests import event_callback, message_event, new_ts
from tests.test_reports import WORKER, case_number, click, run_report, say

# Monday 30 November 2026, 09:30 in Tokyo (office hours).
NOV_30 = dt.datetime(2026, 11, 30, 0, 30, tzinfo=dt.UTC)
NOVEMBER = ("--since", "2026-11-01", "--until", "2026-11-30", "--json")
DECEMBER = ("--since", "2026-12-01", "--until", "2026-12-31", "--json")
CASE_KEYS = ("cases", "minutes_to_claim", "minutes_to_resolve", "crisis_alerts",
             "satisfaction", "workers")


def _cases_part(report: dict) -> dict:
    return {key: report[key] for key in CASE_KEYS}


def _answer_satisfaction(line, fake_line, person: str) -> None:
    token = fake_line.issue_reply_token(user_id=person)
    csat = fake_line.pushes[-1].messages[0]["quickReply"]["items"][0]["action"]["data"]
    assert line.post(postback_event(csat, user_id=person, reply_token=token)).status_code == 200
    line.settle()


def _resolved_in_november(line, slack, fake_line, database, clock, *, answer: bool = True
                          ) -> str:
    """A person asks for staff on 30 November; claimed after 12 min, resolved after 42,
    answered 「よかった」 (unless not ``answer``)."""
    clock.now = NOV_30
    person = new_user_id()
    say(line, fake_line, person, "人と話したい")
    clock.advance(minutes=12)
    click(slack, "case_claim", case_number(database, 1))
    clock.advance(minutes=30)
    click(slack, "case_resolve", case_number(database, 1))
    if answer:
        _answer_satisfaction(line, fake_line, person)
    return person


NOVEMBER_AT_ITS_END = {
    "cases": {"opened": 1, "claimed": 1, "resolved": 1, "by_state": {"resolved": 1}},
    "minutes_to_claim": {"count": 1, "median": 12.0, "p90": 12.0},
    "minutes_to_resolve": {"count": 1, "median": 42.0, "p90": 42.0},
    "crisis_alerts": {"total": 0, "by_category": {}},
    "satisfaction": {"answers": 1, "by_score": {"3": 1, "2": 0, "1": 0}, "average": 3.0},
    "workers": [{"id": WORKER, "name": "sato", "claimed": 1, "resolved": 1}],
}


@pytest.mark.parametrize("reopened_by", ["person", "worker"])
def test_novembers_report_printed_in_december_is_the_one_of_30_november(
    reopened_by, line, slack, fake_line, database, clock, settings
):
    person = _resolved_in_november(line, slack, fake_line, database, clock)
    at_its_end = run_report(settings, *NOVEMBER)
    assert _cases_part(at_its_end) == NOVEMBER_AT_ITS_END

    clock.now = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)  # 1 December, 09:00 in Tokyo
    if reopened_by == "person":  # within 24 hours of the resolution: the case reopens
        say(line, fake_line, person, "すみません、もう一つ聞きたいです")
    else:  # a worker's reply in the resolved case's thread reopens it, claimed by them
        assert slack.send(event_callback(
            message_event("その後いかがですか", channel=SLACK_CHANNEL, user=WORKER, ts=new_ts(),
                          thread_ts=case_number(database, 1).slack_ts),
            signing_secret=SLACK_SECRET)).status_code == 200
        slack.settle()
    assert case_number(database, 1).resolved_at is None, "the case row forgot its resolution"
    clock.advance(minutes=5)
    if reopened_by == "person":
        click(slack, "case_claim", case_number(database, 1))
    click(slack, "case_resolve", case_number(database, 1))
    _answer_satisfaction(line, fake_line, person)

    assert run_report(settings, *NOVEMBER) == at_its_end
    december = run_report(settings, *DECEMBER)
    if reopened_by == "person":  # a new request: opened, claimed after 5 minutes, resolved
        assert december["cases"] == {"opened": 1, "claimed": 1, "resolved": 1,
                                     "by_state": {"resolved": 1}}
        assert december["minutes_to_claim"] == {"count": 1, "median": 5.0, "p90": 5.0}
    else:  # the same request going on: resolved already in November, not counted again
        assert december["cases"] == {"opened": 0, "claimed": 0, "resolved": 0, "by_state": {}}
    assert december["satisfaction"]["answers"] == 1


def test_a_satisfaction_answer_given_in_december_is_not_counted_in_november(
    line, slack, fake_line, database, clock, settings
):
    person = _resolved_in_november(line, slack, fake_line, database, clock, answer=False)
    at_its_end = run_report(settings, *NOVEMBER)
    assert at_its_end["satisfaction"]["answers"] == 0
    clock.now = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)  # answered on 1 December
    _answer_satisfaction(line, fake_line, person)
    assert run_report(settings, *NOVEMBER) == at_its_end


def test_a_case_raised_to_urgent_later_is_a_crisis_alert_when_it_was_raised(
    line, slack, fake_line, database, clock, settings
):
    clock.now = NOV_30
    person = new_user_id()
    say(line, fake_line, person, "人と話したい")
    at_its_end = run_report(settings, *NOVEMBER)
    assert at_its_end["crisis_alerts"] == {"total": 0, "by_category": {}}
    clock.now = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
    say(line, fake_line, person, "もう疲れた。死にたい")  # the open case becomes urgent
    assert case_number(database, 1).crisis_category == "suicide"
    assert run_report(settings, *NOVEMBER) == at_its_end
    december = run_report(settings, *DECEMBER)
    assert december["crisis_alerts"] == {"total": 1, "by_category": {"suicide": 1}}
    assert december["cases"]["opened"] == 0


def test_erasing_a_person_after_the_period_leaves_its_report_as_it_was(
    line, slack, fake_line, database, app, clock, settings
):
    clock.now = NOV_30
    waiting, claimed = new_user_id(), new_user_id()
    say(line, fake_line, waiting, "人と話したい")
    say(line, fake_line, claimed, "もう疲れた。死にたい")
    clock.advance(minutes=7)
    click(slack, "case_claim", case_number(database, 2))
    at_its_end = run_report(settings, *NOVEMBER)
    assert at_its_end["cases"] == {"opened": 2, "claimed": 1, "resolved": 0,
                                   "by_state": {"claimed": 1, "open": 1}}
    assert at_its_end["crisis_alerts"] == {"total": 1, "by_category": {"suicide": 1}}

    clock.now = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)
    with database.session() as session:
        people = session.scalars(select(Contact.id).order_by(Contact.id)).all()
    for contact_id in people:  # both people asked to be erased: their open cases close
        report = erase_person(database, contact_id, actor="cli:tester", now=clock(),
                              outbox=app.extensions["helpbot"].cases.outbox)
        assert report.cases_closed == 1

    assert run_report(settings, *NOVEMBER) == at_its_end
    december = run_report(settings, *DECEMBER)
    # Erasure closed both: counted as resolved when it did, the claimed one as its worker's.
    assert december["cases"] == {"opened": 0, "claimed": 0, "resolved": 2, "by_state": {}}
    assert december["workers"] == [{"id": WORKER, "name": "sato", "claimed": 0, "resolved": 1}]


def test_a_database_from_before_openings_were_recorded_still_reports(database, settings):
    """Cases stored before the trail recorded openings: counted from their columns, the
    first opening from the case's first staff message (a reopen by the person moved
    ``opened_at``)."""
    first = dt.datetime(2026, 11, 10, 1, 0, tzinfo=dt.UTC)
    reopened = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)
    with database.session() as session:
        contact = Contact(channel="line", channel_user_id=new_user_id(), language="ja",
                          created_at=first, last_seen_at=first)
        session.add(contact)
        session.flush()
        old = Case(contact_id=contact.id, state="resolved", urgency="normal", reason="asked",
                   opened_at=first, claimed_at=first + dt.timedelta(minutes=20),
                   resolved_at=first + dt.timedelta(hours=1), claimed_by=WORKER,
                   claimed_by_name="sato", last_announced_at=first, times_reopened=0,
                   satisfaction=2)
        moved = Case(contact_id=contact.id, state="open", urgency="normal", reason="asked",
                     opened_at=reopened, last_announced_at=reopened, times_reopened=1)
        session.add_all([old, moved])
        session.flush()
        for case in (old, moved):
            session.add(StaffPost(case_id=case.id, kind=PostKind.CASE, text="", status="done",
                                  attempts=1, next_attempt_at=first, created_at=first))
        # the trail of migration 0009 recorded resolutions and reopens, not openings
        record(session, actor=WORKER, action=AuditAction.RESOLVE,
               now=first + dt.timedelta(hours=2), case_id=moved.id, contact_id=contact.id)
        record(session, actor=SYSTEM, action=AuditAction.REOPEN, now=reopened,
               case_id=moved.id, contact_id=contact.id)

    november = run_report(settings, *NOVEMBER)
    assert november["cases"] == {"opened": 2, "claimed": 1, "resolved": 2,
                                 "by_state": {"resolved": 2}}
    assert november["minutes_to_claim"] == {"count": 1, "median": 20.0, "p90": 20.0}
    assert november["minutes_to_resolve"] == {"count": 2, "median": 90.0, "p90": 120.0}
    assert november["satisfaction"]["by_score"] == {"3": 0, "2": 1, "1": 0}
    december = run_report(settings, *DECEMBER)
    assert december["cases"] == {"opened": 1, "claimed": 0, "resolved": 0,
                                 "by_state": {"open": 1}}


T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
OTHER = "UWORKER02"


def _step(minute: int, action: AuditAction, actor: str = SYSTEM) -> Step:
    return Step(T0 + dt.timedelta(minutes=minute), action, actor)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # released and claimed again by another: the first claim counts, the resolution goes
        # to the worker who held the case then
        ([_step(0, AuditAction.OPEN), _step(5, AuditAction.CLAIM, WORKER),
          _step(9, AuditAction.RELEASE, WORKER), _step(20, AuditAction.CLAIM, OTHER),
          _step(30, AuditAction.RESOLVE, OTHER)],
         [(5, WORKER, 30, OTHER, "resolved")]),
        # resolved unclaimed, then a worker's reply reopens it: the claim that comes with the
        # reply is not a first claim, and the request stays resolved once
        ([_step(0, AuditAction.OPEN), _step(10, AuditAction.RESOLVE, WORKER),
          _step(60, AuditAction.REOPEN, WORKER), _step(60, AuditAction.CLAIM, WORKER)],
         [(None, None, 10, None, "claimed")]),
        # the person writes again: a second request, waiting from then
        ([_step(0, AuditAction.OPEN), _step(5, AuditAction.CLAIM, WORKER),
          _step(10, AuditAction.RESOLVE, WORKER), _step(70, AuditAction.REOPEN),
          _step(75, AuditAction.CLAIM, OTHER)],
         [(5, WORKER, 10, WORKER, "resolved"), (75, OTHER, None, None, "claimed")]),
    ],
)
def test_replaying_a_cases_steps(steps, expected):
    def minute(moment: dt.datetime | None) -> int | None:
        return None if moment is None else int((moment - T0).total_seconds() // 60)

    assert [
        (minute(r.claimed_at), r.claimed_by, minute(r.resolved_at), r.resolved_holder, r.state)
        for r in replay(steps).requests
    ] == expected
