"""How the matcher scales: build time and ms/query on synthetic knowledge bases.

Entries are made from a fixed vocabulary of support-service words with a seeded random
generator: a question of about 25 characters and an answer of about 150, the size of the entries
staff write in ``faq/``. Run with ``helpbot bench scale`` or ``python -m benchmarks.scale``.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase

if TYPE_CHECKING:
    from helpbot.matching.base import Matcher

_TOPICS = [
    "食料支援",
    "フードバンク",
    "住民票",
    "マイナンバーカード",
    "国民健康保険",
    "生活保護",
    "児童手当",
    "ひとり親",
    "家賃補助",
    "住居確保給付金",
    "就労支援",
    "ハローワーク",
    "介護保険",
    "障害者手帳",
    "粗大ごみ",
    "引っ越し",
    "転入届",
    "保育所",
    "学童保育",
    "奨学金",
    "医療費助成",
    "予防接種",
    "健康診断",
    "年金",
    "税金",
    "相談窓口",
    "シェルター",
    "無料塾",
    "子ども食堂",
    "炊き出し",
    "衣類",
    "布団",
    "電気代",
    "水道料金",
    "携帯電話",
    "日本語教室",
    "在留カード",
    "通訳",
    "弁護士",
    "借金",
    "債務整理",
    "DV",
    "虐待",
    "葬儀",
    "お墓",
    "成年後見",
    "ボランティア",
    "寄付",
    "物資",
    "申請書",
    "印鑑",
    "身分証明書",
]
_VERBS = [
    "申し込む",
    "受け取る",
    "相談する",
    "調べる",
    "届け出る",
    "支払う",
    "借りる",
    "予約する",
    "変更する",
    "利用する",
]
_ASKS = (
    "にはどうすればいいですか",
    "はどこでできますか",
    "の方法を教えてください",
    "はいつまでですか",
    "したいんだけど",
    "って必要？",
)
_PLACES = ["市役所", "区役所", "窓口", "事務所", "センター", "公民館", "オンライン", "郵送", "電話"]


def synthetic_kb(size: int, *, seed: int = 0) -> KnowledgeBase:
    """``size`` entries of realistic length built from random topic words."""
    rng = random.Random(seed)
    entries = []
    for number in range(size):
        topic, other = rng.sample(_TOPICS, 2)
        verb = rng.choice(_VERBS)
        question = f"{topic}を{verb}{rng.choice(_ASKS)}（{other}・{number}）"
        sentences = [
            f"{topic}は{rng.choice(_PLACES)}で{verb}ことができます。",
            f"{other}や{rng.choice(_TOPICS)}が必要な場合は{rng.choice(_PLACES)}にご相談ください。",
            f"受付は平日{rng.randint(8, 10)}時から{rng.randint(16, 19)}時までです。",
            f"詳しくは{rng.choice(_TOPICS)}の案内（番号{number}）をご覧ください。",
        ]
        entries.append(
            Entry(
                id=f"s{number}",
                kind=EntryKind.FAQ,
                question=question,
                answer="".join(sentences),
                keywords=(topic,),
            )
        )
    return KnowledgeBase(entries=tuple(entries))


def synthetic_queries(count: int, *, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(_TOPICS)}を{rng.choice(_VERBS)}{rng.choice(_ASKS)}" for _ in range(count)]


def _embed_entries(kb: KnowledgeBase, cache_dir: Path) -> int:
    """Put the entries' sentence vectors in the cache; how many had to be computed."""
    from helpbot.matching.hybrid import semantic_texts
    from helpbot.matching.semantic import semantic_available, shared_encoder

    if not semantic_available():
        return 0
    encoder = shared_encoder(cache_dir)
    return encoder.encode_entries(semantic_texts(kb.entries)[0], count_only=True)


def _timed_build(kb: KnowledgeBase, cache_dir: Path) -> tuple[Matcher, float, float]:
    """A matcher, and the wall and CPU seconds (all threads: wall can't beat cpu / cores) its
    build took."""
    from helpbot.matching import build_matcher

    started, cpu_started = time.perf_counter(), time.process_time()
    matcher = build_matcher(kb, cache_dir=cache_dir)
    return matcher, time.perf_counter() - started, time.process_time() - cpu_started


def measure_scale(size: int, *, cache_dir: Path, n_queries: int = 200) -> dict[str, Any]:
    """Build a matcher on ``size`` synthetic entries and time ``n_queries`` top-10 rankings.

    The caches live in ``cache_dir`` (a scratch folder: the process's one encoder keeps its
    vectors in the folder first named). The sentence vectors are computed first (reported
    apart: ``embed_s``), then a first build analyses every text with Sudachi
    (``first_build_s``), then the build a restart or a reload sees, with the vectors and the
    analyses cached, is timed (``build_s``: the vectors come from the encoder's memory, the
    analyses are read from the cache file).
    """
    from benchmarks.matching import peak_memory_mb
    from helpbot.matching import build_matcher

    kb = synthetic_kb(size)
    queries = synthetic_queries(n_queries)
    # load the dictionary and the model outside the timing
    build_matcher(synthetic_kb(2, seed=99), cache_dir=cache_dir)
    started = time.perf_counter()
    embedded = _embed_entries(kb, cache_dir)
    embed_s = time.perf_counter() - started
    first, first_s, first_cpu_s = _timed_build(kb, cache_dir)
    del first  # not held while the next one is built (peak memory)
    matcher, build_s, build_cpu_s = _timed_build(kb, cache_dir)
    started = time.perf_counter()
    for text in queries:
        matcher.rank(text, limit=10)
    ms = 1000.0 * (time.perf_counter() - started) / n_queries
    return {
        "entries": size,
        "build_s": round(build_s, 3),  # vectors and Sudachi analyses cached
        "build_cpu_s": round(build_cpu_s, 3),
        "first_build_s": round(first_s, 3),  # vectors cached, every text analysed
        "first_build_cpu_s": round(first_cpu_s, 3),
        "embed_s": round(embed_s, 3),  # first-time sentence vectors (0 when already cached)
        "embedded": embedded,
        "ms_per_query": round(ms, 3),
        "peak_mem_mb": round(peak_memory_mb(), 1),
    }


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="helpbot-scale-") as scratch:
        for n in (1_000, 10_000):
            print(json.dumps(measure_scale(n, cache_dir=Path(scratch))))
