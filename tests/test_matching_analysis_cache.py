"""Sudachi's analyses of entry texts cached on disk: same rankings, only new texts analysed,
a damaged or outdated file ignored and rewritten."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from benchmarks.scale import synthetic_kb
from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase
from helpbot.matching import build_matcher
from helpbot.matching.analysis_cache import FILE_NAME, AnalysisCache, analysis_key
from helpbot.matching.base import Matcher
from helpbot.matching.tokenize import Analyzer

QUERIES = [
    "国民健康保険の手続きを教えて",
    "こくみんけんこーほけん",  # kana only: the reading lexicon
    "粗大ゴミを出したい",
    "how do I apply for child allowance",
    "フードバンクで食料を受け取りたい",
    "引越しの届け出",
]


def _kb(extra_answer: str = "") -> KnowledgeBase:
    handwritten = (
        Entry(
            id="nhi",
            kind=EntryKind.FAQ,
            question="国民健康保険に加入するには？",
            alternates=("国保の手続き",),
            keywords=("国民健康保険", "国保"),
            answer="市役所の保険年金課で加入の手続きをしてください。" + extra_answer,
        ),
        Entry(
            id="allowance",
            kind=EntryKind.FAQ,
            question="Child allowance: how to apply",
            answer="児童手当は子育て支援課に申請してください。",
        ),
    )
    return KnowledgeBase(entries=(*handwritten, *synthetic_kb(40).entries))


def _rankings(matcher: Matcher) -> list[list[tuple[str, float]]]:
    return [[(c.entry.id, c.score) for c in matcher.rank(q, limit=10)] for q in QUERIES]


def _analysed(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("analysed ")]


def test_a_second_build_reads_the_analyses_and_ranks_the_same(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="helpbot.matching.analysis_cache")
    kb = _kb()
    uncached = _rankings(build_matcher(kb, semantic=False))
    first = _rankings(build_matcher(kb, semantic=False, cache_dir=tmp_path))
    assert (tmp_path / FILE_NAME).is_file()
    assert len(_analysed(caplog)) == 1
    caplog.clear()
    second = _rankings(build_matcher(kb, semantic=False, cache_dir=tmp_path))
    assert _analysed(caplog) == []  # nothing new: Sudachi was not asked
    assert first == second == uncached
    assert any(ranking for ranking in uncached)


def test_an_edited_entry_is_the_only_text_analysed_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="helpbot.matching.analysis_cache")
    build_matcher(_kb(), semantic=False, cache_dir=tmp_path)
    caplog.clear()
    edited = _kb(extra_answer="保険証は郵送します。")
    rankings = _rankings(build_matcher(edited, semantic=False, cache_dir=tmp_path))
    assert _analysed(caplog) and _analysed(caplog)[0].startswith("analysed 1 new entry texts")
    assert rankings == _rankings(build_matcher(edited, semantic=False))


def test_stored_analyses_equal_fresh_ones(tmp_path: Path) -> None:
    kb = _kb()
    build_matcher(kb, semantic=False, cache_dir=tmp_path)
    cache = AnalysisCache(tmp_path)
    stored = cache.load()
    analyzer = Analyzer()
    entry = kb.entries[0]
    for text, readings in [(entry.question, True), (entry.answer, False), ("国保", True)]:
        key = analysis_key(text, readings, cache.signature)
        assert stored[key] == analyzer.analyze(text, readings=readings)
        assert stored[key].lexicon or not readings


def _damage_body(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _other_signature(path: Path) -> None:
    head, _, body = path.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["signature"] += ";sudachidict-core=0"
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def _wrong_shape(path: Path) -> None:
    """A file whose checksum holds, but whose rows are not analyses."""
    head, _, _ = path.read_bytes().partition(b"\n")
    header = json.loads(head)
    body = b'{"00": 5}'
    header["checksum"] = hashlib.blake2b(body, digest_size=16).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(_damage_body, id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"\x00\xff not json"), id="garbage"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(_other_signature, id="other-analyser"),
        pytest.param(_wrong_shape, id="checksum-ok-wrong-shape"),
    ],
)
def test_a_spoilt_cache_file_is_ignored_and_rewritten(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, spoil: object
) -> None:
    kb = _kb()
    expected = _rankings(build_matcher(kb, semantic=False, cache_dir=tmp_path))
    spoil(tmp_path / FILE_NAME)  # type: ignore[operator]
    caplog.set_level(logging.INFO, logger="helpbot.matching.analysis_cache")
    assert _rankings(build_matcher(kb, semantic=False, cache_dir=tmp_path)) == expected
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "analysis cache" in warnings[0].getMessage()
    assert len(_analysed(caplog)) == 1  # everything analysed again, and the file rewritten
    caplog.clear()
    build_matcher(kb, semantic=False, cache_dir=tmp_path)
    assert _analysed(caplog) == [] and not caplog.records


def test_an_unwritable_cache_folder_only_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", "utf-8")
    kb = _kb()
    rankings = _rankings(build_matcher(kb, semantic=False, cache_dir=blocked))
    assert rankings == _rankings(build_matcher(kb, semantic=False))
    assert any("could not write the analysis cache" in r.getMessage() for r in caplog.records)


def test_peoples_messages_are_not_kept_in_the_analyzers_cache():
    """The per-text cache holds the knowledge base's texts; what people write (kanji, kana
    with the read-back, English) is analysed and forgotten, so a long-running worker neither
    grows with the messages it sees nor keeps their words."""
    from helpbot.matching.hybrid import HybridMatcher

    analyzer = Analyzer()
    matcher = HybridMatcher(_kb(), analyzer=analyzer)
    kept = dict(analyzer._cache)
    messages = ["家賃が払えなくて困っています", "こどものいりょうひ たすけて", "I lost my job"]
    for message in messages:
        matcher.rank(message, limit=3)
    assert analyzer._cache == kept
    assert not any(text in messages for text, _readings in analyzer._cache)
