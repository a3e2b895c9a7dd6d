"""``find_gaps`` and ``helpbot faq gaps``: unanswered questions grouped for staff."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from helpbot.cli import main
from helpbot.conversation.gaps import find_gaps
from helpbot.matching.normalize import nfkc
from helpbot.storage.database import Database
from helpbot.storage.models import Contact, UnansweredQuestion

T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)

# (text, best entry id, minutes after T0), inserted in this order: the groups interleave.
ROWS = [
    ("市営住宅に入りたい", "housing-public", 0),
    ("ペットのフードがほしい", "food-bank", 5),
    ("市営住宅に入りたいです", "housing-public", 10),
    ("自転車の修理代がない", None, 15),
    ("ペットのフードがほしいです", "food-pantry", 20),
    ("市営住宅にはいりたい", "program-jukyo-kakuho", 30),
]
HOUSING = ["市営住宅に入りたい", "市営住宅に入りたいです", "市営住宅にはいりたい"]
PET = ["ペットのフードがほしい", "ペットのフードがほしいです"]


def _insert(database: Database, rows: list[tuple[str, str | None, int]]) -> None:
    with database.session() as session:
        contact = Contact(
            channel="web",
            channel_user_id="gaps-contact-1",
            created_at=T0,
            last_seen_at=T0,
        )
        session.add(contact)
        session.flush()
        for index, (text, entry_id, minutes) in enumerate(rows):
            session.add(
                UnansweredQuestion(
                    # Half the rows without a contact: the column is optional.
                    contact_id=contact.id if index % 2 == 0 else None,
                    text=text,
                    normalized_text=nfkc(text),
                    decision="suggest" if entry_id else "fallback",
                    best_entry_id=entry_id,
                    best_score=40.0 if entry_id else None,
                    created_at=T0 + dt.timedelta(minutes=minutes),
                )
            )


@pytest.fixture
def filled(database: Database) -> Database:
    _insert(database, ROWS)
    return database


def _gaps_cli(database_url: str, *args: str):
    runner = CliRunner(env={"HELPBOT_DATABASE_URL": database_url})
    return runner.invoke(main, ["faq", "gaps", *args])


def test_empty_database_has_no_gaps(database: Database) -> None:
    assert find_gaps(database) == []


def test_similar_questions_are_grouped_most_frequent_first(filled: Database) -> None:
    gaps = find_gaps(filled)
    assert [gap.count for gap in gaps] == [3, 2, 1]
    housing, pet, bicycle = gaps
    assert housing.example == "市営住宅に入りたい"
    assert housing.variants == HOUSING
    assert housing.best_entry_ids == {"housing-public": 2, "program-jukyo-kakuho": 1}
    assert housing.last_asked == T0 + dt.timedelta(minutes=30)
    assert pet.example == "ペットのフードがほしい"
    assert pet.variants == PET
    assert pet.best_entry_ids == {"food-bank": 1, "food-pantry": 1}
    assert pet.last_asked == T0 + dt.timedelta(minutes=20)
    assert bicycle.variants == ["自転車の修理代がない"]
    assert bicycle.best_entry_ids == {}


def test_identical_questions_count_once_as_a_variant(database: Database) -> None:
    _insert(database, [("ペットのフードがほしい", "food-bank", minute) for minute in range(4)])
    (gap,) = find_gaps(database)
    assert gap.count == 4
    assert gap.variants == ["ペットのフードがほしい"]
    assert gap.best_entry_ids == {"food-bank": 4}
    assert gap.last_asked == T0 + dt.timedelta(minutes=3)


def test_texts_are_compared_normalized(database: Database) -> None:
    _insert(database, [("ＰＥＴ　ＦＯＯＤがほしい", None, 0), ("pet foodがほしい", None, 1)])
    (gap,) = find_gaps(database)
    assert gap.count == 2
    assert gap.variants == ["pet foodがほしい"]


def test_since_and_limit(filled: Database) -> None:
    recent = find_gaps(filled, since=T0 + dt.timedelta(minutes=12))
    assert sorted((gap.example, gap.count) for gap in recent) == [
        ("ペットのフードがほしいです", 1),
        ("市営住宅にはいりたい", 1),
        ("自転車の修理代がない", 1),
    ]
    assert [gap.count for gap in find_gaps(filled, limit=2)] == [3, 2]


def test_cli_lists_groups_with_the_closest_entry(filled: Database, database_url: str) -> None:
    result = _gaps_cli(database_url)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    assert lines[0].split() == ["3", "市営住宅に入りたい", "(closest", "entry:", "housing-public)"]
    assert "ペットのフードがほしい" in lines[1]
    assert lines[1].lstrip().startswith("2 ")
    assert lines[2].endswith("(closest entry: -)")


def test_cli_json_lines(filled: Database, database_url: str) -> None:
    result = _gaps_cli(database_url, "--json", "--limit", "2")
    assert result.exit_code == 0, result.output
    groups = [json.loads(line) for line in result.output.splitlines()]
    assert len(groups) == 2
    for group in groups:
        assert set(group) == {"count", "example", "variants", "best_entry_ids", "last_asked"}
    first = groups[0]
    assert first["count"] == 3
    assert first["example"] == "市営住宅に入りたい"
    assert first["variants"] == HOUSING
    assert first["best_entry_ids"] == {"housing-public": 2, "program-jukyo-kakuho": 1}
    assert dt.datetime.fromisoformat(first["last_asked"]) == T0 + dt.timedelta(minutes=30)
    assert groups[1]["count"] == 2
    assert groups[1]["variants"] == PET


def test_cli_on_an_empty_database(database_url: str) -> None:
    result = _gaps_cli(database_url)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no unanswered questions recorded"
    as_json = _gaps_cli(database_url, "--json")
    assert as_json.exit_code == 0, as_json.output
    assert as_json.output == ""


def test_unanswered_playground_messages_show_up_as_gaps(
    client: FlaskClient, database: Database
) -> None:
    # Two messages per session: the second miss in a row hands the person to staff, and
    # what they write after that goes to the case worker, not to the matcher.
    messages = [
        ("gaps-session-1", "ペットのフードがほしい"),
        ("gaps-session-1", "自転車の修理代がない"),
        ("gaps-session-2", "ペットのフードがほしいです"),
        ("gaps-session-3", "ペットのフード欲しい"),
    ]
    for session, text in messages:
        response = client.post("/api/playground/messages", json={"session": session, "text": text})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["decision"] != "answer", text
    gaps = find_gaps(database)
    assert [gap.count for gap in gaps] == [3, 1]
    pet, bicycle = gaps
    assert pet.example == "ペットのフードがほしい"
    assert sorted(pet.variants) == sorted(
        ["ペットのフードがほしい", "ペットのフードがほしいです", "ペットのフード欲しい"]
    )
    assert sum(pet.best_entry_ids.values()) <= 3
    assert pet.last_asked is not None
    assert bicycle.example == "自転車の修理代がない"
