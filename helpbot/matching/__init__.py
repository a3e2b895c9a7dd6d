"""Matching messages to knowledge entries. ``build_matcher`` gives the production matcher."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpbot.knowledge.entries import KnowledgeBase
    from helpbot.matching.base import Matcher

__all__ = ["build_matcher"]


def build_matcher(kb: KnowledgeBase) -> Matcher:
    """The hybrid matcher (Sudachi words + synonym groups + character bigrams) for ``kb``."""
    from helpbot.matching.hybrid import HybridMatcher

    return HybridMatcher(kb)
