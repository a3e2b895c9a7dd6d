"""What the bot says in its own words: built-in Japanese and English, and the catalogue staff
edit in ``faq/texts.yaml`` (every language, やさしい日本語 as ``easy``) laid over them.

A text comes from the catalogue in the person's language when it has one; else, for
やさしい日本語, from the Japanese; for another language, from the English (catalogue first,
then built-in). The knowledge store installs each new catalogue (``use_catalogue``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields, replace

from helpbot.core.phrases import PHRASES, Phrases

# The texts staff may write in faq/texts.yaml (every field is a plain string).
TEXT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Phrases) if f.type in ("str", str))
# Languages the catalogue may hold ("easy" is やさしい日本語).
CATALOGUE_LANGUAGES = ("ja", "easy", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id", "my")


@dataclass(frozen=True, slots=True)
class TextCatalogue:
    """faq/texts.yaml: {text name: {language: text}}, {category: {language: label}}, and the
    program finder's words {key: {language: text}} (keys: ``helpbot.programs.finder_words``)."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    finder: dict[str, dict[str, str]] = field(default_factory=dict)


_state_lock = threading.Lock()
_catalogue = TextCatalogue()
_cache: dict[str, Phrases] = {}


def use_catalogue(catalogue: TextCatalogue | None) -> None:
    """Serve ``catalogue`` (None: the built-in words only) from now on, in every thread."""
    global _catalogue  # noqa: PLW0603 - one catalogue per process, swapped whole
    with _state_lock:
        _catalogue = catalogue or TextCatalogue()
        _cache.clear()


def builtin_text(name: str, language: str) -> str:
    """The built-in text ``name`` in Japanese or English (for checks of the catalogue)."""
    return str(getattr(PHRASES["ja" if language in ("ja", "easy") else "en"], name))


def _chain(language: str) -> tuple[str, ...]:
    if language in ("ja", "easy"):
        return ("ja", "easy") if language == "easy" else ("ja",)
    return ("en", language) if language != "en" else ("en",)


def phrases(language: str | None) -> Phrases:
    """The bot's words in ``language`` ("easy": やさしい日本語), from the catalogue where it
    has them; Japanese for None."""
    key = language or "ja"
    with _state_lock:
        cached = _cache.get(key)
        catalogue = _catalogue
    if cached is not None:
        return cached
    base = PHRASES["ja"] if key in ("ja", "easy") else PHRASES["en"]
    chosen: dict[str, str] = {}
    for code in _chain(key):
        for name, by_language in catalogue.texts.items():
            if code in by_language:
                chosen[name] = by_language[code]
    words = replace(base, **chosen)
    with _state_lock:
        if catalogue is _catalogue:
            _cache[key] = words
    return words


def text_language(name: str, language: str | None) -> str:
    """The language the text ``name`` is served in for ``language``: the person's own when
    the catalogue has it, else the one it falls back to ("ja", or "en" for other languages).
    Words put into the text (staff.yaml's, a date) are to be in this language too."""
    key = language or "ja"
    by_language = _catalogue.texts.get(name, {})
    for code in reversed(_chain(key)):
        if code in by_language:
            return code
    return "ja" if key in ("ja", "easy") else "en"


def _written(by_language: dict[str, str], language: str | None) -> str | None:
    for code in reversed(_chain(language or "ja")):
        if code in by_language:
            return by_language[code]
    return None


def category_label(category: str, language: str | None) -> str:
    """A topic button's label in ``language`` (the category itself when none is written)."""
    return _written(_catalogue.categories.get(category, {}), language) or category


def finder_text(key: str, language: str | None, *, ja: str, en: str) -> str:
    """One of the program finder's words in ``language``, from the catalogue's ``finder``
    section where it has it (the same fallbacks as :func:`phrases`); else the built-in ``ja``
    (Japanese, やさしい日本語) or ``en`` (every other language)."""
    written = _written(_catalogue.finder.get(key, {}), language)
    if written is not None:
        return written
    return ja if (language or "ja") in ("ja", "easy") else en
