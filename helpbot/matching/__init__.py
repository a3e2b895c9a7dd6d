"""Matching messages to knowledge entries. ``build_matcher`` gives the production matcher."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from helpbot.knowledge.entries import KnowledgeBase
    from helpbot.matching.base import Matcher

__all__ = ["build_matcher"]


def build_matcher(
    kb: KnowledgeBase, *, semantic: bool = True, cache_dir: Path | None = None
) -> Matcher:
    """The hybrid matcher for ``kb``: Sudachi words, synonym groups, character bigrams, and
    (``semantic``, when the encoder is installed) sentence vectors; the entries' vectors and
    Sudachi analyses are cached in ``cache_dir`` (None: nothing kept between builds)."""
    from helpbot.matching.analysis_cache import AnalysisCache
    from helpbot.matching.hybrid import HybridMatcher
    from helpbot.matching.semantic import semantic_available, shared_encoder

    encoder = shared_encoder(cache_dir) if semantic and semantic_available() else None
    analyses = AnalysisCache(cache_dir) if cache_dir is not None else None
    return HybridMatcher(kb, encoder=encoder, analysis_cache=analyses)
