"""The emoji layer of crisis detection: a danger emoji beside a sign of distress.

An emoji alone is weak evidence (🔪 is cooking, 💊 is a pharmacy question), so a category's
``emoji`` in ``crisis.yaml`` (🪦, 🔪, 👊, 💊) is a sign only when the message also holds a word
or emoji listed under ``distress`` (😭, 😱, 助けて, ごめんね, 限界): 🔪😱, 🌙🪦 ごめんね.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from helpbot.crisis.text import fold
from helpbot.knowledge.crisis_file import CrisisRules

# Variation selectors (⚰️ is ⚰ + U+FE0F, and phones send either) and spaces (🏠 ❌) are left
# out of both the listed emoji and the message before they are compared.
_IGNORED = re.compile(r"[\ufe0e\ufe0f\s]")


def _bare_emoji(text: str) -> str:
    return _IGNORED.sub("", text)


class EmojiSigns:
    """The categories' emoji and the distress signs that make them count."""

    def __init__(self, rules: CrisisRules) -> None:
        self._emoji = [(bare, c.key) for c in rules.categories for e in c.emoji
                       if (bare := _bare_emoji(e))]
        self._distress = tuple(k for d in rules.distress if (k := fold(d)))

    def find(self, text: str, folded: str) -> Iterator[tuple[str, str]]:
        """(category, emoji) for each listed emoji in ``text`` when ``folded`` (the folded
        message) shows distress."""
        bare = _bare_emoji(text)
        found = [(c, e) for e, c in self._emoji if e in bare]
        if found and any(word in folded for word in self._distress):
            yield from found
