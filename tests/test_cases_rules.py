"""Case states, office hours and masking: the rules, with an injected clock."""

from __future__ import annotations

import datetime as dt

import pytest

from helpbot.cases.masking import mask_personal_data
from helpbot.cases.office import describe_opening, is_open, next_opening
from helpbot.cases.states import (
    TRANSITIONS,
    CaseAction,
    CaseState,
    next_state,
)
from helpbot.cases.views import contact_of
from helpbot.errors import InvalidTransitionError, MissingRowError
from helpbot.knowledge.loader import load_dir
from helpbot.storage.database import Database
from helpbot.storage.models import Case
from tests.conftest import SAMPLE_FAQ

JST = dt.timezone(dt.timedelta(hours=9))


@pytest.mark.parametrize(("state", "action", "after"), [(s, a, t) for (s, a), t in
                                                         TRANSITIONS.items()])
def test_allowed_transitions(state, action, after):
    assert next_state(state, action) is after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (CaseState.CLAIMED, CaseAction.CLAIM),
        (CaseState.RESOLVED, CaseAction.CLAIM),
        (CaseState.RESOLVED, CaseAction.RESOLVE),
        (CaseState.OPEN, CaseAction.REOPEN),
    ],
)
def test_refused_transitions(state, action):
    with pytest.raises(InvalidTransitionError, match=f"cannot {action}"):
        next_state(state, action)


@pytest.fixture(scope="module")
def policy():
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.staff is not None
    return kb.staff


@pytest.mark.parametrize(
    ("local", "open_now", "next_open"),
    [
        (dt.datetime(2026, 12, 1, 10, 0, tzinfo=JST), True, dt.datetime(2026, 12, 1, 10, 0)),
        (dt.datetime(2026, 12, 1, 8, 59, tzinfo=JST), False, dt.datetime(2026, 12, 1, 9, 0)),
        (dt.datetime(2026, 12, 1, 18, 0, tzinfo=JST), False, dt.datetime(2026, 12, 2, 9, 0)),
        (dt.datetime(2026, 12, 5, 14, 0, tzinfo=JST), True, dt.datetime(2026, 12, 5, 14, 0)),
        (dt.datetime(2026, 12, 5, 16, 0, tzinfo=JST), False, dt.datetime(2026, 12, 7, 9, 0)),
        (dt.datetime(2026, 12, 6, 12, 0, tzinfo=JST), False, dt.datetime(2026, 12, 7, 9, 0)),
        # New year holidays: closed from 12-29 to 01-03; 01-04 is a Monday.
        (dt.datetime(2026, 12, 28, 23, 0, tzinfo=JST), False, dt.datetime(2027, 1, 4, 9, 0)),
        (dt.datetime(2027, 1, 1, 10, 0, tzinfo=JST), False, dt.datetime(2027, 1, 4, 9, 0)),
    ],
)
def test_office_hours(policy, local, open_now, next_open):
    now = local.astimezone(dt.UTC)
    assert is_open(policy, now) is open_now
    opening = next_opening(policy, now)
    assert opening is not None
    assert opening.replace(tzinfo=None, second=0, microsecond=0) == next_open


def test_describe_opening():
    when = dt.datetime(2027, 1, 4, 9, 0, tzinfo=JST)
    assert describe_opening(when, "ja") == "1月4日（月）09:00"
    assert describe_opening(when, "en") == "Monday 04 January, 09:00"


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("電話は090-1234-5678です", "[電話番号]", "5678"),
        ("でんわ 03 1234 5678 まで", "[電話番号]", "1234"),
        ("+81 90 1234 5678", "[電話番号]", "1234"),
        ("mail: taro.yamada+npo@example.co.jp", "[メール]", "yamada"),
        ("〒123-4567 に住んでます", "[郵便番号]", "4567"),
        ("東京都新宿区西新宿2丁目8番1号です", "[住所]", "西新宿"),
        ("大阪市北区梅田1-2-3", "[住所]", "梅田"),
    ],
)
def test_masking(text, kept, gone):
    masked = mask_personal_data(text)
    assert kept in masked and gone not in masked


def test_masking_leaves_ordinary_numbers():
    text = "3日食べていません。子どもが2人います。家賃は5万円です"
    assert mask_personal_data(text) == text


def test_a_case_whose_contact_is_gone_is_a_clear_error(database: Database) -> None:
    with database.session() as session:
        orphan = Case(id=7, contact_id=999)  # never stored: the foreign key would refuse it
        with pytest.raises(MissingRowError, match=r"case #7 points to contact 999.*backup"):
            contact_of(session, orphan)
