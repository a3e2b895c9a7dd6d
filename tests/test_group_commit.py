"""Group commit without a writer thread: the waiting request writes the batch itself."""

from __future__ import annotations

import threading
import time

import pytest

from helpbot.storage.group_commit import GroupCommitter


class Table:
    """A write_batch that records its batches and the thread that wrote each."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.threads: list[str] = []
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def write(self, items):
        self.entered.set()
        assert self.gate.wait(10)
        if any(item < 0 for item in items):
            raise ValueError("refused")
        self.batches.append(list(items))
        self.threads.append(threading.current_thread().name)
        return [item * 10 for item in items]


def test_a_lone_request_writes_its_own_item_in_its_own_thread():
    table = Table()
    committer = GroupCommitter(table.write, name="test")
    assert committer.submit(4) == 40
    assert table.batches == [[4]]
    assert table.threads == [threading.current_thread().name]
    assert not any(t.name == "helpbot-test" for t in threading.enumerate())  # no writer thread


def test_requests_that_wait_for_a_write_share_the_next_commit():
    table = Table()
    committer = GroupCommitter(table.write, name="test")
    table.gate.clear()
    results: dict[int, int] = {}

    def submit(item: int) -> None:
        results[item] = committer.submit(item)

    first = threading.Thread(target=submit, args=(0,))
    first.start()
    assert table.entered.wait(5)  # the first request is writing, blocked
    others = [threading.Thread(target=submit, args=(n,)) for n in range(1, 11)]
    for thread in others:
        thread.start()
    time.sleep(0.3)  # all ten are queued behind the write
    table.gate.set()
    for thread in [first, *others]:
        thread.join(10)
    assert results == {n: n * 10 for n in range(11)}
    assert table.batches[0] == [0]
    assert sorted(table.batches[1]) == list(range(1, 11))  # one commit for the ten
    assert len(table.batches) == 2


def test_a_refused_item_fails_alone():
    table = Table()
    committer = GroupCommitter(
        table.write, name="test", is_row_error=lambda error: isinstance(error, ValueError)
    )
    table.gate.clear()
    results: dict[int, object] = {}

    def submit(item: int) -> None:
        try:
            results[item] = committer.submit(item)
        except ValueError as error:
            results[item] = error

    threads = [threading.Thread(target=submit, args=(n,)) for n in (1, 2, -3, 4, 5)]
    threads[0].start()
    assert table.entered.wait(5)
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.3)
    table.gate.set()
    for thread in threads:
        thread.join(10)
    assert isinstance(results.pop(-3), ValueError)
    assert results == {1: 10, 2: 20, 4: 40, 5: 50}


def test_a_request_that_waits_too_long_gives_up_and_its_item_is_not_written():
    table = Table()
    committer = GroupCommitter(table.write, name="test")
    table.gate.clear()
    first = threading.Thread(target=committer.submit, args=(1,))
    first.start()
    assert table.entered.wait(5)
    with pytest.raises(TimeoutError):
        committer.submit(2, timeout=0.2)
    table.gate.set()
    first.join(10)
    assert committer.submit(3) == 30
    assert table.batches == [[1], [3]]


def test_waiting_requests_are_told_when_the_writing_request_is_interrupted():
    from helpbot.errors import StorageUnavailableError

    class Stopped(BaseException):
        pass

    table = Table()
    written: list[list[int]] = []

    def write(items):
        table.entered.set()
        assert table.gate.wait(10)
        if 1 in items:
            raise Stopped  # e.g. a worker's shutdown, not an Exception
        written.append(list(items))
        return [item * 10 for item in items]

    committer = GroupCommitter(write, name="test")
    table.gate.clear()
    outcome: dict[int, object] = {}

    def submit(item: int) -> None:
        try:
            outcome[item] = committer.submit(item, timeout=5)
        except (Stopped, StorageUnavailableError) as error:
            outcome[item] = type(error)

    first = threading.Thread(target=submit, args=(0,))
    first.start()
    assert table.entered.wait(5)
    second = threading.Thread(target=submit, args=(1,))
    third = threading.Thread(target=submit, args=(2,))
    second.start()
    time.sleep(0.2)
    third.start()
    time.sleep(0.2)
    table.gate.set()
    for thread in (first, second, third):
        thread.join(10)
    assert outcome[0] == 0
    # 1 and 2 shared the interrupted batch: the writer sees its own exception, the other is told.
    assert {outcome[1], outcome[2]} == {Stopped, StorageUnavailableError}
    assert committer.submit(3) == 30  # and the committer still works
