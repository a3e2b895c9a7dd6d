"""Two case workers acting on one case at the same moment: the first wins, the other is told."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, update

from helpbot.errors import InvalidTransitionError
from helpbot.storage.models import Case, Delivery
from tests.fakes.line_webhooks import new_user_id, text_event


def _open_case(line, fake_line, database) -> int:
    person = new_user_id()
    line.post(text_event("人と話したい", user_id=person,
                         reply_token=fake_line.issue_reply_token(user_id=person)))
    line.settle()
    with database.session() as session:
        return session.scalars(select(Case.id)).one()


def _at_once(database, case_id: int, *actions) -> list[object]:
    """Run ``actions`` in threads that all read the case before any may write it: a third
    session holds the case row's write lock until every action is waiting for it."""
    results: list[object] = [None] * len(actions)

    def run(index: int) -> None:
        try:
            results[index] = actions[index]()
        except Exception as error:  # the loser's error is its result
            results[index] = error

    with database.session() as holder:
        holder.execute(update(Case).where(Case.id == case_id)
                       .values(last_announced_at=Case.last_announced_at))
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(0.7)  # each has read "open" and waits to write
    for thread in threads:
        thread.join(15)
    return results


def test_two_workers_claiming_at_once_one_gets_it_and_the_person_is_told_once(
        app, line, fake_line, database):
    cases = app.extensions["helpbot"].cases
    case_id = _open_case(line, fake_line, database)
    results = _at_once(
        database, case_id,
        lambda: cases.claim(case_id, worker_id="USATO", worker_name="sato"),
        lambda: cases.claim(case_id, worker_id="UTANAKA", worker_name="tanaka"),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidTransitionError), results
    winner = "tanaka" if isinstance(results[0], Exception) else "sato"
    with database.session() as session:
        case = session.get(Case, case_id)
        notices = session.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.case_id == case_id, Delivery.kind == "notice"))
    assert (case.state, case.claimed_by_name) == ("claimed", winner)
    assert notices == 1  # 「スタッフが担当になりました」 once
