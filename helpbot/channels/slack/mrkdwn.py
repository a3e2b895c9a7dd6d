"""A worker's Slack message as the plain text a person reads on LINE or in the web chat.

Slack sends a message's ``text`` in its own markup ("mrkdwn"): links as ``<url|label>``,
mentions as ``<@U…>``, ``<#C…|name>`` and ``<!here>``, emoji as ``:pray:`` and ``&``, ``<``,
``>`` escaped. A person would read all of that literally. This module writes it back as a
person would have typed it: links as ``label (url)`` (or the bare address), a mentioned
worker by name, broadcasts left out, emoji as the characters themselves (Slack names their
code points in the message's ``rich_text`` blocks; a workspace's custom emoji, which has no
character, is left out) and the three escapes undone. Bold and italic markers are kept: they
read as plain punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

# <…> spans Slack puts in ``text``: a link, a user, a channel, a special command.
_SPAN = re.compile(r"<([^<>\n]+)>")
# :name: and an optional skin tone right after it (":+1::skin-tone-3:").
_EMOJI = re.compile(r":([a-z0-9_+'-]+):(?::skin-tone-([2-6]):)?")
_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))  # &amp; last: "&amp;lt;" is "&lt;"
_BROADCASTS = frozenset({"here", "channel", "everyone"})


def plain_text(event: dict[str, Any], *, name_of: Callable[[str], str]) -> str:
    """The message ``event``'s text without Slack's markup; ``name_of`` names a user id."""
    text = str(event.get("text", ""))
    emoji = _emoji_in_blocks(event.get("blocks"))

    def emoji_in(piece: str) -> str:
        return _EMOJI.sub(lambda match: _emoji(match, emoji), piece)

    # emoji only outside the <…> spans: ":pray:" inside a link's address is part of it
    pieces, last = [], 0
    for span in _SPAN.finditer(text):
        pieces += [emoji_in(text[last:span.start()]), _span(span.group(1), name_of)]
        last = span.end()
    text = "".join([*pieces, emoji_in(text[last:])])
    for escaped, character in _ESCAPES:
        text = text.replace(escaped, character)
    # a broadcast left out leaves a space at the start of a line, or two in a row
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))


def _span(inner: str, name_of: Callable[[str], str]) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return label or name_of(target[1:])
    if target.startswith("#"):
        return f"#{label}" if label else ""
    if target.startswith("!"):  # <!here>; <!subteam^S…|@team>, <!date^…|fallback>: the label
        return "" if target[1:] in _BROADCASTS else label
    return _link(target, label)


def _link(url: str, label: str) -> str:
    for scheme in ("mailto:", "tel:"):
        if url.startswith(scheme):
            return label or url.removeprefix(scheme)
    bare = url.split("://", 1)[-1].rstrip("/")
    if not label or label.rstrip("/") in (url.rstrip("/"), bare):
        return url
    return f"{label} ({url})"


def _emoji(match: re.Match[str], known: dict[tuple[str, int | None], str | None]) -> str:
    name, tone = match.group(1), match.group(2)
    key = (name, int(tone) if tone else None)
    if key not in known:
        return match.group(0)  # not an emoji Slack named in this message: plain text
    return known[key] or ""


def _emoji_in_blocks(blocks: Any) -> dict[tuple[str, int | None], str | None]:
    """(name, skin tone) -> the emoji's characters (None: a custom emoji, no character)."""
    known: dict[tuple[str, int | None], str | None] = {}
    for element in _elements(blocks):
        if element.get("type") != "emoji" or not isinstance(element.get("name"), str):
            continue
        tone = element.get("skin_tone")
        key = (element["name"], tone if isinstance(tone, int) else None)
        known[key] = _characters(element.get("unicode"))
    return known


def _characters(code_points: Any) -> str | None:
    if not isinstance(code_points, str) or not code_points:
        return None
    try:
        return "".join(chr(int(point, 16)) for point in code_points.split("-"))
    except (ValueError, OverflowError):
        return None


def _elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element dict inside a message's blocks, at any depth."""
    if isinstance(node, list):
        for item in node:
            yield from _elements(item)
    elif isinstance(node, dict):
        yield node
        yield from _elements(node.get("elements"))
