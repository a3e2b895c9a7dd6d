"""The worker builds the crisis detector's lazy part (the typo layer's reading of everyday
messages, about 0.6 s) before its first event, not while a person waits for an answer."""

from __future__ import annotations

from helpbot.crisis.detector import snapshot_detector
from helpbot.crisis.typos import TypoIndex
from helpbot.worker import Worker


def test_read_ordinary_reads_the_everyday_messages_once_and_find_uses_them():
    read: list[str] = []

    def reading(text: str) -> str:
        read.append(text)
        return text

    typos = TypoIndex({"しねたらいい": ("suicide", "死ねたらいい")},
                      ordinary=lambda: ["どうしたらいい"], reading=reading)
    typos.read_ordinary()
    assert read == ["どうしたらいい"]
    assert typos.find("しねたらいぃ") == ("suicide", "死ねたらいい")  # a real slip
    assert typos.find("どうしたらいい") is None  # reads fine as it is
    assert read == ["どうしたらいい"]  # not read again on the first slip


def test_the_worker_prepares_the_served_detector_before_answering(app):
    services = app.extensions["helpbot"]
    Worker(services).warm_crisis()
    snapshot = services.knowledge.snapshot()
    detector = snapshot_detector(snapshot.kb, snapshot.index)
    assert detector is not None
    assert detector._lexicon._typos._ordinary  # read: the first slip does not wait for it
