"""``crisis.yaml``: danger signs by category, phrases that only look dangerous, and the lines
to call.

Layout (every section but ``categories`` is optional)::

    categories:
      - id: suicide                  # a fixed id: what the bench, Slack and the logs show
        name: 自殺・自傷               # what case workers read
        call: [inochi, yorisoi]      # hotline ids, in the order the person sees them
        expressions: [死にたい, want to die]      # words or phrases, any language
        alone: [しぬ, 限界]                        # signs only when they are the whole message
        patterns: ["死ぬ + たい", "no + place + sleep"]   # words in order (Japanese: any form)
        exemplars: [もう生きている意味がない]        # whole sentences, matched by meaning
        emoji: [🪦, 💊]              # signs only beside a word or emoji of `distress`
        weak: ["ロープ + 買う"]       # patterns, signs only beside distress or another weak one
        done_by: {instead_of: [violence], words: [父, dad]}   # see crisis_done_by
    distress: [😭, 助けて, ごめんね]
    not_crisis: [死ぬほどおいしい]
    hotlines:                        # see crisis_hotlines
      inochi: {number: "0570-783-556", name: {ja: いのちの電話}, hours: "10:00-22:00"}
    resources:
      intro: {ja: ..., en: ...}
      tap_intro: {ja: ..., en: ...}  # for the 「緊急のとき」 button (no case): no word of staff
      closing: {ja: ..., en: ...}

The older layout, ``resources: {ja: TEXT, en: TEXT}`` (one whole text per language) and
categories with only ``name`` and ``expressions``, is still read.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpbot.knowledge.crisis_done_by import DoneBy, check_done_by, read_done_by
from helpbot.knowledge.crisis_hotlines import Hotline, language_texts, read_hotlines
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.record_fields import TEXT_LANGUAGES
from helpbot.knowledge.yaml_files import (
    LineDict,
    LineList,
    key_line,
    parse_yaml,
    settings_problems,
    text_list,
    unknown_fields,
)

CRISIS_FIELDS = (
    "categories", "not_crisis", "about_the_topic", "over_now", "joking", "hotlines", "resources",
    "distress",
)
CATEGORY_FIELDS = (
    "id", "name", "call", "expressions", "alone", "patterns", "exemplars", "emoji", "done_by",
    "weak",
)
_PATTERN_WORD = re.compile(r"^[^\s+|]+(?:\|[^\s+|]+)*$")


@dataclass(frozen=True, slots=True)
class CrisisCategory:
    name: str
    expressions: tuple[str, ...]
    id: str = ""
    call: tuple[str, ...] = ()
    patterns: tuple[tuple[tuple[str, ...], ...], ...] = ()  # words, each a set of alternatives
    exemplars: tuple[str, ...] = ()
    alone: tuple[str, ...] = ()  # words that are a sign only as the whole message (しぬ, 限界)
    emoji: tuple[str, ...] = ()  # a sign only beside a word or emoji of distress (🪦 + 😭)
    done_by: DoneBy | None = None  # another category's sign done by one of these is this one
    # patterns that are a sign only beside distress or another of the category's weak ones
    weak: tuple[tuple[tuple[str, ...], ...], ...] = ()

    @property
    def key(self) -> str:
        """The id, or the name for a file written before categories had ids."""
        return self.id or self.name


@dataclass(frozen=True, slots=True)
class CrisisRules:
    """Danger signs by category, phrases that only look dangerous, and what to send."""

    categories: tuple[CrisisCategory, ...] = ()
    not_crisis: tuple[str, ...] = ()
    resources: dict[str, str] = field(default_factory=dict)  # older layout: language -> text
    hotlines: dict[str, Hotline] = field(default_factory=dict)
    intro: dict[str, str] = field(default_factory=dict)  # language -> first lines
    # The first lines for the 「緊急のとき」 button: no case is opened, so no word of staff.
    tap_intro: dict[str, str] = field(default_factory=dict)
    closing: dict[str, str] = field(default_factory=dict)  # language -> last line
    # Context that says a danger word is not a disclosure (see helpbot.crisis.detector).
    about_the_topic: tuple[str, ...] = ()  # 講座, 研修, 法律 ...: a topic named, not lived
    over_now_past: tuple[str, ...] = ()  # 昔, 去年 ... together with
    over_now_calm: tuple[str, ...] = ()  # 今は落ち着いています ...
    joking: tuple[str, ...] = ()  # rules that a laughing message (w, 笑, 😂) uses in jest
    distress: tuple[str, ...] = ()  # 😭, 助けて: what makes a category's emoji a sign

    def category(self, key: str) -> CrisisCategory | None:
        return next((c for c in self.categories if c.key == key), None)


def parse_pattern(text: str) -> tuple[tuple[str, ...], ...] | None:
    """``死ぬ + たい`` -> (("死ぬ",), ("たい",)); None when it is not written that way."""
    words = [w.strip() for w in text.split("+")]
    if len(words) < 2 or not all(_PATTERN_WORD.match(w) for w in words):
        return None
    return tuple(tuple(a for a in w.split("|") if a) for w in words)


def _read_category(item: Any, line: int, file: str, problems: list[Problem]) -> CrisisCategory:
    if not isinstance(item, LineDict):
        problems.append(Problem(file, line, "each category must be a set of fields", "- id: ..."))
        return CrisisCategory(name="", expressions=())
    problems.extend(unknown_fields(item, CATEGORY_FIELDS, file, "in a category"))
    name = item.get("name") if isinstance(item.get("name"), str) else None
    expressions = text_list(item.get("expressions", LineList())) or ()
    if not name or not expressions:
        problems.append(
            Problem(
                file,
                line,
                "each category needs a name and a list of expressions",
                "example: - name: 自殺・自傷\n    expressions: [死にたい, 消えたい]",
            )
        )
    return CrisisCategory(
        id=str(item.get("id") or "").strip(),
        name=(name or "").strip(),
        call=text_list(item.get("call", LineList())) or (),
        expressions=expressions,
        patterns=_read_patterns(item, "patterns", line, file, problems),
        exemplars=text_list(item.get("exemplars", LineList())) or (),
        alone=text_list(item.get("alone", LineList())) or (),
        emoji=text_list(item.get("emoji", LineList())) or (),
        done_by=read_done_by(item, file, problems),
        weak=_read_patterns(item, "weak", line, file, problems),
    )


def _read_patterns(item: LineDict, key: str, line: int, file: str, problems: list[Problem]
                   ) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """A category's ``patterns`` or ``weak``: each ``word + word``, a problem where not."""
    patterns = []
    raw_patterns = item.get(key, LineList())
    for position, raw in enumerate(raw_patterns if isinstance(raw_patterns, LineList) else []):
        parsed = parse_pattern(raw) if isinstance(raw, str) else None
        if parsed is None:
            at = raw_patterns.item_lines[position] if raw_patterns.item_lines else line
            problems.append(Problem(file, at, f"cannot read the pattern {raw!r}",
                                    "write two or more words joined by ' + ', like: 死ぬ + たい"))
        else:
            patterns.append(parsed)
    return tuple(patterns)


def _read_context(
    data: LineDict, categories: list[CrisisCategory], file: str, problems: list[Problem]
) -> dict[str, tuple[str, ...]]:
    """``about_the_topic``, ``over_now`` and ``joking``: when a danger word is not a disclosure."""
    over_now = data.get("over_now")
    if over_now is not None and not isinstance(over_now, LineDict):
        problems.append(
            Problem(file, key_line(data, "over_now"), "'over_now' needs 'past' and 'calm' lists",
                    "over_now:\n  past: [昔, 去年]\n  calm: [今は落ち着いています]")
        )
        over_now = None
    joking = text_list(data.get("joking", LineList())) or ()
    written = {e for c in categories for e in c.expressions} | {
        " + ".join("|".join(word) for word in p) for c in categories for p in c.patterns
    }
    for rule in joking:
        if rule not in written:
            problems.append(
                Problem(file, key_line(data, "joking"), f"'joking' names {rule!r}, which no "
                        "category lists", "copy the expression or pattern exactly as written")
            )
    return {
        "about_the_topic": text_list(data.get("about_the_topic", LineList())) or (),
        "over_now_past": (text_list(over_now.get("past", LineList())) or ()) if over_now else (),
        "over_now_calm": (text_list(over_now.get("calm", LineList())) or ()) if over_now else (),
        "joking": joking,
    }


def read_crisis_rules(text: str, file: str) -> tuple[CrisisRules | None, list[Problem]]:
    data, problems = parse_yaml(text, file)
    if problems or data is None:
        return None, problems
    if not isinstance(data, LineDict):
        return None, [Problem(file, 1, "crisis.yaml should have 'categories' and 'resources'")]
    problems.extend(settings_problems(data, file, texts=TEXT_LANGUAGES, filled=("number",)))
    problems.extend(unknown_fields(data, CRISIS_FIELDS, file, "in crisis.yaml"))
    raw_categories = data.get("categories")
    categories: list[CrisisCategory] = []
    if not isinstance(raw_categories, LineList) or not raw_categories:
        problems.append(
            Problem(
                file,
                key_line(data, "categories"),
                "'categories' must be a list",
                "write - name: ... and expressions: [..] for each kind of danger",
            )
        )
    else:
        for position, item in enumerate(raw_categories):
            line = raw_categories.item_lines[position] if raw_categories.item_lines else 1
            categories.append(_read_category(item, line, file, problems))
    hotlines = read_hotlines(data, file, problems)
    first_lines: dict[str, int] = {}  # a repeated id is reported where it is written again
    known = {category.key for category in categories}
    for position, category in enumerate(categories):
        line = raw_categories.item_lines[position] if raw_categories.item_lines else 1
        if category.key and category.key in first_lines:
            problems.append(Problem(file, line, f"duplicate id '{category.key}' (first used at "
                                    f"{file}:{first_lines[category.key]})",
                                    "give this entry a different id"))
        first_lines.setdefault(category.key, line)
        if category.done_by is not None:
            problems.extend(check_done_by(category.key, category.done_by, known, file))
        for hotline in category.call:
            if hotline not in hotlines:
                close = difflib.get_close_matches(hotline, list(hotlines), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "add it under 'hotlines:'"
                message = f"category '{category.key}' calls an unknown hotline '{hotline}'"
                problems.append(Problem(file, line, message, hint))
    resources = data.get("resources")
    texts = language_texts(resources)
    parts = resources if isinstance(resources, LineDict) else LineDict()
    intro, closing = language_texts(parts.get("intro")), language_texts(parts.get("closing"))
    if "ja" not in texts and "ja" not in intro:
        problems.append(
            Problem(
                file,
                key_line(data, "resources"),
                "'resources' needs a Japanese text",
                "resources:\n  intro: {ja: あなたの安全がいちばん大切です。...}",
            )
        )
    context = _read_context(data, categories, file, problems)
    if problems:
        return None, problems
    rules = CrisisRules(
        categories=tuple(categories),
        not_crisis=text_list(data.get("not_crisis", LineList())) or (),
        distress=text_list(data.get("distress", LineList())) or (),
        **context,
        resources={k: v for k, v in texts.items()
                   if k not in {"intro", "closing", "tap_intro"}},
        hotlines=hotlines,
        intro=intro,
        tap_intro=language_texts(parts.get("tap_intro")),
        closing=closing,
    )
    return rules, []


@functools.cache
def builtin_crisis_rules() -> CrisisRules | None:
    """The sample ``crisis.yaml`` that ships with helpbot: the safety net for a ``faq/`` that
    has none, or whose own file has never been readable. Danger is never left unwatched."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package.parent / "faq", package / "_sample_faq"):
        path = folder / "crisis.yaml"
        if path.is_file():
            rules, _ = read_crisis_rules(path.read_text(encoding="utf-8"), "crisis.yaml")
            return rules
    return None
