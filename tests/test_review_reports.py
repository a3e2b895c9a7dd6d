"""Review proofs: a period's case figures must not change after it ends."""

from __future__ import annotations

import datetime as dt

from tests.fakes.line_webhooks import new_user_id
from tests.test_reports import case_number, click, run_report, say
from tests.test_reports_stable import NOV_30, NOVEMBER, _answer_satisfaction


def test_a_satisfaction_answer_given_in_december_is_not_counted_in_november(
    line, slack, fake_line, database, clock, settings
):
    clock.now = NOV_30
    person = new_user_id()
    say(line, fake_line, person, "人と話したい")
    clock.advance(minutes=12)
    click(slack, "case_claim", case_number(database, 1))
    clock.advance(minutes=30)
    click(slack, "case_resolve", case_number(database, 1))
    at_its_end = run_report(settings, *NOVEMBER)
    assert at_its_end["satisfaction"]["answers"] == 0

    clock.now = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)  # answered on 1 December
    _answer_satisfaction(line, fake_line, person)
    assert run_report(settings, *NOVEMBER)["satisfaction"] == at_its_end["satisfaction"]
