"""The sentence-embedding field: its vector cache, its score scaling, and meaning it adds."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase
from helpbot.matching import build_matcher
from helpbot.matching.hybrid import FieldWeights, HybridMatcher, semantic_texts
from helpbot.matching.ngrams import bigram_codes, bigram_codes_many
from helpbot.matching.semantic import (
    DIM,
    SentenceEncoder,
    _digest,
    relative_scores,
    semantic_available,
)


class _FakeModel:
    """Deterministic unit vectors from the text's hash; counts what it embeds."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def encode(self, texts: str | list[str]) -> np.ndarray:
        if isinstance(texts, str):
            return self._vector(texts)
        self.embedded.extend(texts)
        return np.stack([self._vector(text) for text in texts])


def _fake_encoder(cache_dir: Path | None) -> tuple[SentenceEncoder, _FakeModel]:
    encoder = SentenceEncoder(cache_dir)
    model = _FakeModel()
    encoder._model = model
    return encoder, model


def _text_with_nul_digest() -> str:
    """A text whose cache key ends in a NUL byte (numpy's bytes arrays would drop it)."""
    for number in range(100_000):
        text = f"質問{number}"
        if _digest(text).endswith(b"\0"):
            return text
    raise AssertionError("no such text")


def test_entry_vectors_are_cached_on_disk(tmp_path: Path) -> None:
    texts = ["住民票はどこで取れますか", "粗大ゴミの出し方", _text_with_nul_digest(), "住民票"]
    first, model = _fake_encoder(tmp_path)
    vectors = first.encode_entries(texts)
    assert vectors.shape == (4, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert sorted(model.embedded) == sorted(texts)

    second, model2 = _fake_encoder(tmp_path)  # a restart: same directory, new process state
    again = second.encode_entries([*texts, "新しい質問"])
    assert model2.embedded == ["新しい質問"]  # only the new text is embedded
    assert np.allclose(again[:4], vectors, atol=1e-3)
    assert second.encode_entries(texts, count_only=True) == 0


def test_duplicate_texts_are_embedded_once(tmp_path: Path) -> None:
    encoder, model = _fake_encoder(None)
    vectors = encoder.encode_entries(["同じ", "同じ", "別"])
    assert sorted(model.embedded) == ["別", "同じ"]
    assert np.allclose(vectors[0], vectors[1])


def test_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    encoder, _ = _fake_encoder(tmp_path)
    (tmp_path / "use-multilingual-v3.npz").write_bytes(b"not a numpy file")
    assert encoder.encode_entries(["住民票"]).shape == (1, DIM)


def test_relative_scores_run_from_median_to_best() -> None:
    scores = relative_scores(np.array([0.1, 0.2, 0.3, 0.5], dtype=np.float32))
    assert scores.max() == pytest.approx(1.0)
    assert scores.min() == 0.0
    assert list(np.argsort(-scores)) == [3, 2, 1, 0]
    assert not relative_scores(np.full(5, 0.4, dtype=np.float32)).any()


def test_semantic_texts_cover_phrasings_and_answer_opening() -> None:
    entry = Entry(
        id="a",
        kind=EntryKind.FAQ,
        question="住民票",
        answer="市役所で" * 100,
        alternates=("住民票の写し",),
    )
    texts, owners = semantic_texts([entry])
    assert texts[:2] == ["住民票", "住民票の写し"]
    assert owners == [0, 0]
    assert texts[2].startswith("住民票\n市役所で") and len(texts[2]) < 200


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["", "a", "ab c", " x ", "w", "", "  "],
        ["粗大ゴミの 出し方", "住民票!! どこ", "ーー", "ヵヶヴァｶﾞ＜改＞ＡＢ　Ｃ", "あ!!い", "a\0b"],
        ["Wi-Fiは使えますか", "ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ", "家賃が払えない…", "!!!"],
    ],
)
def test_bigram_codes_many_matches_one_by_one(texts: list[str]) -> None:
    codes, lengths = bigram_codes_many(texts)
    assert len(lengths) == len(texts)
    offset = 0
    for text, length in zip(texts, lengths.tolist(), strict=True):
        expected = bigram_codes(text.replace("\0", ""))
        assert sorted(codes[offset : offset + length].tolist()) == sorted(expected.tolist())
        offset += length
    assert offset == len(codes)


def test_semantic_field_can_be_switched_off() -> None:
    kb = KnowledgeBase(entries=(Entry(id="a", kind=EntryKind.FAQ, question="住民票", answer="x"),))
    assert build_matcher(kb, semantic=False)._semantic is None  # type: ignore[attr-defined]
    assert HybridMatcher(kb)._semantic is None
    assert HybridMatcher(kb, weights=FieldWeights(semantic=0))._semantic is None


needs_encoder = pytest.mark.skipif(
    not semantic_available(), reason="sentence encoder not installed"
)


@needs_encoder
def test_meaning_beyond_shared_words(tmp_path: Path) -> None:
    """Messages that share no word with their entry, found through the sentence vectors."""

    def entry(entry_id: str, question: str, answer: str) -> Entry:
        return Entry(id=entry_id, kind=EntryKind.FAQ, question=question, answer=answer)

    kb = KnowledgeBase(
        entries=(
            entry("funeral", "葬儀の費用の助成", "葬祭費を支給します。"),
            entry("single", "ひとり親家庭の支援", "児童扶養手当があります。"),
            entry("gomi", "粗大ごみの出し方", "事前に電話で申し込んでください。"),
            entry("tax", "住民税の納付方法", "口座振替やコンビニで納付できます。"),
        )
    )
    encoder = SentenceEncoder(tmp_path)
    matcher = HybridMatcher(kb, encoder=encoder)
    lexical = HybridMatcher(kb, weights=FieldWeights(semantic=0))
    message = "シングルマザーです。使える制度は？"
    assert matcher.rank(message)[0].entry.id == "single"
    assert [c.entry.id for c in lexical.rank(message)][:1] != ["single"]  # what vectors add
    # no word in common: ranked by meaning, but with no confidence, so it still falls back
    assert matcher.rank(message)[0].score == 0.0
    assert matcher.rank("母が亡くなりました")[0].entry.id == "funeral"
