"""What people wrote is kept in memory for minutes, not for the worker's life.

Analysers reuse a message's results within a turn (core/recent.py). Keyed by the text, such a
cache is a copy of what people wrote: these tests look through everything the real crisis
detector holds for a message's words, before and after the bound.
"""

from __future__ import annotations

import gc
import types

from helpbot.core.recent import Recent, forget_expired
from helpbot.crisis.detector import CrisisDetector
from helpbot.crisis.text import Morphology
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _strings(root: object) -> set[str]:
    """Every string reachable from ``root`` (not through modules, classes or globals)."""
    seen: set[int] = set()
    found: set[str] = set()
    todo = [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, type | types.ModuleType):
            continue
        seen.add(id(item))
        if isinstance(item, str):
            found.add(item)
            continue
        if isinstance(item, types.FunctionType):
            todo.extend(cell.cell_contents for cell in item.__closure__ or ())
            continue
        if isinstance(item, dict):  # the collector does not visit a dict's string keys
            todo.extend(item.keys())
        todo.extend(gc.get_referents(item))
    return found


def test_the_bound_keeps_at_most_size_entries_for_at_most_seconds() -> None:
    ticks = Ticks()
    recent: Recent[str, int] = Recent(size=3, seconds=60, clock=ticks)
    for i in range(5):
        recent.put(f"message {i}", i)
    assert len(recent) == 3 and "message 1" not in recent and recent.get("message 4") == 4
    ticks.now += 30
    recent.put("message 5", 5)  # stored later: forgotten later
    ticks.now += 30
    assert len(recent) == 1 and recent.get("message 5") == 5
    ticks.now += 30
    forget_expired()  # the worker's minute job
    assert not any("message" in text for text in _strings(recent))


def test_the_crisis_detector_forgets_a_message_after_the_bound() -> None:
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == [] and kb.crisis is not None
    ticks = Ticks()
    morphology = Morphology(recent=Recent(size=16, seconds=600, clock=ticks))
    detector = CrisisDetector(kb.crisis, morphology=morphology)
    messages = ["ぞくすまーく田中に毎日殴られる", "ぞくすまーく、しにたい",
                "ぞくすまーくのことで相談です"]
    for text in messages:
        detector.detect(text)
    assert any("ぞくすまーく" in text for text in _strings(detector)), "reused within a turn"
    ticks.now += 599
    detector.detect("こんにちは")
    assert any("ぞくすまーく" in text for text in _strings(detector))

    ticks.now += 2
    forget_expired()

    assert not any("ぞくすまーく" in text for text in _strings(detector))
    for text in messages:  # and the detector still reads them the same
        assert detector.detect(text) == CrisisDetector(kb.crisis).detect(text)
