"""What a person in danger is sent at once: the lines to call for their kind of danger.

The text is built from ``crisis.yaml``: ``resources.intro`` in the person's language, one line
per hotline the category ``call``s (its name in that language, and its number), and
``resources.closing``. A language the file has no text for gets English for the words and
the numbers unchanged; Japanese is the last resort. A file in the older layout (one whole
text per language under ``resources``) is sent as written.

People in danger often write at night: the lines that answer at the time (their ``hours`` and
``days``, in the NPO's time zone) come first, in the ``call`` order; the closed ones follow, in
that order too. None is left out: its name says when to call.
"""

from __future__ import annotations

import datetime as dt

from helpbot.knowledge.crisis_file import CrisisRules

FALLBACK_LANGUAGES = ("en", "ja")


def _pick(texts: dict[str, str], language: str) -> str:
    for candidate in (language, *FALLBACK_LANGUAGES):
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")


def resources_text(
    rules: CrisisRules, *, category: str | None, language: str, local: dt.datetime | None,
    intro: dict[str, str] | None = None,
) -> str:
    """The message for ``category`` (None: every line the file lists) in ``language``, the
    lines open at ``local`` (the NPO's clock in its time zone; None: as written) first."""
    found = rules.category(category) if category else None
    if not rules.intro:
        return _pick(rules.resources, language)
    calls = found.call if found is not None and found.call else tuple(rules.hotlines)
    listed = hotline_lines(rules, calls, language, local)
    lines = [_pick(intro or rules.intro, language), *([listed] if listed else [])]
    closing = _pick(rules.closing, language) if rules.closing else ""
    if closing:
        lines.append(closing)
    return "\n".join(line.strip() for line in lines if line.strip())


def hotline_lines(rules: CrisisRules, calls: tuple[str, ...], language: str,
                  local: dt.datetime | None) -> str:
    """One line per hotline of ``calls`` (its name in ``language``, its number), those open at
    ``local`` first, in ``calls`` order."""
    hotlines = [rules.hotlines[h] for h in calls if h in rules.hotlines]
    if local is not None:
        hotlines.sort(key=lambda hotline: not hotline.hours.is_open(local))  # stable: in order
    return "\n".join(
        f"・{_pick(h.names, language)}: {h.number}" if h.number else f"・{_pick(h.names, language)}"
        for h in hotlines
    )
