"""Read ``faq/texts.yaml``: the buttons and system texts staff may rewrite, per language.

Layout (every part optional; a text or language left out keeps the built-in words of
:mod:`helpbot.core.texts`)::

    fallback:                 # the name of a text (the fields of core.texts.Phrases)
      ja: ごめんなさい、…
      easy: ごめんなさい。…   # やさしい日本語
      en: Sorry, …
    categories:               # labels of the topic buttons, by the category in faq/ files
      食べ物: {en: Food, zh: 食物}
    finder:                   # 「制度をさがす」's words (keys: helpbot/programs/finder_words.py)
      ask_situation: {en: …}
      household.alone: {en: Alone, vi: Một mình}   # an answer button: 20 characters at most

A mistake is a Problem with file and line (an unknown text name or language, a text that is
not text, a placeholder such as ``{when}`` left out, a button label over LINE's 20
characters); the rest of the file still loads.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from helpbot.core.texts import CATALOGUE_LANGUAGES, TEXT_NAMES, TextCatalogue, builtin_text
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.record_fields import TEXT_LANGUAGES
from helpbot.knowledge.yaml_files import LineDict, key_line, parse_yaml, settings_problems
from helpbot.programs.finder_words import builtin_words, finder_buttons

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
MAX_LABEL = 20  # LINE's limit for a quick reply or button label
_HINT = "write it like: fallback: {ja: ..., en: ...} (see faq/README.md)"


def read_text_catalogue(text: str, file: str) -> tuple[TextCatalogue | None, list[Problem]]:
    """The catalogue in a texts file, and its problems."""
    data, problems = parse_yaml(text, file)
    if problems or data is None:
        return None, problems
    if not isinstance(data, LineDict):
        return None, [Problem(file, 1, "the texts file should map text names to languages", _HINT)]
    texts: dict[str, dict[str, str]] = {}
    categories: dict[str, dict[str, str]] = {}
    finder: dict[str, dict[str, str]] = {}
    problems.extend(settings_problems(data, file, texts=TEXT_LANGUAGES))
    for name, value in data.items():
        line = key_line(data, name)
        if name == "categories":
            if not isinstance(value, LineDict):
                problems.append(Problem(file, line, "'categories' must be a mapping", _HINT))
                continue
            for category, labels in value.items():
                categories[category] = _languages(labels, value, category, file, problems)
            continue
        if name == "finder":
            finder = _finder(value, data, file, problems)
            continue
        if name not in TEXT_NAMES:
            close = difflib.get_close_matches(name, TEXT_NAMES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(TEXT_NAMES)}"
            problems.append(Problem(file, line, f"unknown text '{name}'", hint))
            continue
        texts[name] = _languages(value, data, name, file, problems)
        _placeholders(texts[name], builtin_text(name, "ja"), value=value, name=name, line=line,
                      file=file, problems=problems)
    return TextCatalogue(texts=texts, categories=categories, finder=finder), problems


def _finder(section: Any, parent: LineDict, file: str, problems: list[Problem],
            ) -> dict[str, dict[str, str]]:
    """The ``finder`` section: the program finder's words, by key."""
    if not isinstance(section, LineDict):
        problems.append(Problem(file, key_line(parent, "finder"), "'finder' must be a mapping",
                                "write it like: finder: {ask_situation: {en: ...}}"))
        return {}
    known = builtin_words()
    out: dict[str, dict[str, str]] = {}
    for key, value in section.items():
        line = key_line(section, key)
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = (f"did you mean '{close[0]}'?" if close else
                    "the keys are in helpbot/programs/finder_words.py and fact_words.py")
            problems.append(Problem(file, line, f"unknown finder text '{key}'", hint))
            continue
        out[key] = _languages(value, section, key, file, problems, label=f"finder.{key}",
                              hint=f"write it like: {key}: {{ja: ..., en: ...}}")
        _placeholders(out[key], known[key][0], value=value, name=f"finder.{key}", line=line,
                      file=file, problems=problems)
        for language, written in list(out[key].items()):
            if key in finder_buttons() and _utf16(written) > MAX_LABEL:
                problems.append(Problem(
                    file, _line_of(value, language, line),
                    f"'finder.{key}.{language}' is a button label longer than {MAX_LABEL} "
                    f"characters ({_utf16(written)})", "LINE cuts it off; make it shorter"))
                del out[key][language]
    return out


def _utf16(text: str) -> int:
    """The length LINE counts (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _placeholders(written: dict[str, str], builtin: str, *, value: Any, name: str, line: int,
                  file: str, problems: list[Problem]) -> None:
    """Drop (and report) the texts that leave out or break the built-in's placeholders."""
    needed = set(_PLACEHOLDER.findall(builtin))
    for language, text in list(written.items()):
        if needed <= set(_PLACEHOLDER.findall(text)) and _fills(text, needed):
            continue
        at = _line_of(value, language, line)
        if not needed:
            problems.append(Problem(file, at, f"'{name}.{language}' has {{ }} the bot cannot fill",
                                    "this text has no placeholders: write no { } in it"))
        else:
            names = ", ".join("{" + n + "}" for n in sorted(needed))
            problems.append(Problem(
                file, at, f"'{name}.{language}' must keep the placeholders {names}",
                "the bot fills them in; keep them as written, in any order, and write no other { }",
            ))
        del written[language]


def _fills(written: str, names: set[str]) -> bool:
    """True when the bot can fill the text in (no unknown or broken { })."""
    try:
        written.format(**dict.fromkeys(names, ""))
    except (KeyError, IndexError, ValueError):
        return False
    return True


def _languages(
    value: Any, parent: LineDict, name: str, file: str, problems: list[Problem], *,
    label: str | None = None, hint: str = _HINT,
) -> dict[str, str]:
    """One text's languages; ``label`` names it in messages (``finder.start``)."""
    line = key_line(parent, name)
    name = label or name
    if not isinstance(value, LineDict):
        problems.append(Problem(file, line, f"'{name}' must list languages", hint))
        return {}
    out: dict[str, str] = {}
    for language, written in value.items():
        at = _line_of(value, language, line)
        if language not in CATALOGUE_LANGUAGES:
            close = difflib.get_close_matches(language, CATALOGUE_LANGUAGES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                f"known: {', '.join(CATALOGUE_LANGUAGES)}")
            problems.append(Problem(file, at, f"unknown language '{language}'", hint))
        elif not isinstance(written, str) or not written.strip():
            problems.append(Problem(file, at, f"'{name}.{language}' must be text", hint))
        else:
            out[language] = written.strip()
    return out


def _line_of(mapping: Any, key: str, default: int) -> int:
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key, default) if lines else default
