"""Group the questions the bot could not answer, so staff see which entries to write next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import select

from helpbot.storage.database import Database
from helpbot.storage.models import UnansweredQuestion

SIMILAR = 75.0


@dataclass(slots=True)
class Gap:
    """Similar unanswered questions: how often, an example, and the bot's best guess."""

    example: str
    count: int = 0
    variants: list[str] = field(default_factory=list)
    best_entry_ids: dict[str, int] = field(default_factory=dict)
    last_asked: dt.datetime | None = None


def find_gaps(
    database: Database,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 20,
) -> list[Gap]:
    """Unanswered questions grouped greedily by similarity, most frequent group first."""
    query = select(
        UnansweredQuestion.normalized_text,
        UnansweredQuestion.best_entry_id,
        UnansweredQuestion.created_at,
    ).order_by(UnansweredQuestion.id)
    if since is not None:
        query = query.where(UnansweredQuestion.created_at >= since)
    if until is not None:
        query = query.where(UnansweredQuestion.created_at < until)
    with database.session() as session:
        rows = session.execute(query).all()
    # Count identical texts first: the grouping then compares each distinct text once.
    counts: dict[str, tuple[int, str | None, dt.datetime]] = {}
    for text, entry_id, created_at in rows:
        count, _, _ = counts.get(text, (0, None, created_at))
        counts[text] = (count + 1, entry_id, created_at)
    gaps: list[Gap] = []
    for text, (count, entry_id, created_at) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
        home = next((g for g in gaps if fuzz.ratio(text, g.example) >= SIMILAR), None)
        if home is None:
            home = Gap(example=text)
            gaps.append(home)
        home.count += count
        if len(home.variants) < 5:
            home.variants.append(text)
        if entry_id:
            home.best_entry_ids[entry_id] = home.best_entry_ids.get(entry_id, 0) + count
        if home.last_asked is None or created_at > home.last_asked:
            home.last_asked = created_at
    gaps.sort(key=lambda g: -g.count)
    return gaps[:limit]
