"""What a person in danger is sent at once: the lines to call for their kind of danger.

The text is built from ``crisis.yaml``: ``resources.intro`` in the person's language, one line
per hotline the category ``call``s (its name in that language, and its number), and
``resources.closing``. A language the file has no text for gets English for the words and
the numbers unchanged; Japanese is the last resort. A file in the older layout (one whole
text per language under ``resources``) is sent as written.
"""

from __future__ import annotations

from helpbot.knowledge.crisis_file import CrisisRules

FALLBACK_LANGUAGES = ("en", "ja")


def _pick(texts: dict[str, str], language: str) -> str:
    for candidate in (language, *FALLBACK_LANGUAGES):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")


def resources_text(rules: CrisisRules, *, category: str | None, language: str) -> str:
    """The message for ``category`` (None: every line the file lists) in ``language``."""
    found = rules.category(category) if category else None
    if not rules.intro:
        return _pick(rules.resources, language)
    calls = found.call if found is not None and found.call else tuple(rules.hotlines)
    lines = [_pick(rules.intro, language)]
    for hotline_id in calls:
        hotline = rules.hotlines.get(hotline_id)
        if hotline is None:
            continue
        name = _pick(hotline.names, language)
        lines.append(f"・{name}: {hotline.number}" if hotline.number else f"・{name}")
    closing = _pick(rules.closing, language) if rules.closing else ""
    if closing:
        lines.append(closing)
    return "\n".join(line.strip() for line in lines if line.strip())
