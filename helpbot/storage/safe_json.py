"""JSON from the outside, made safe to store on SQLite and PostgreSQL alike.

PostgreSQL refuses some values that Python and SQLite accept: NUL characters in text, lone
surrogates (``"\\ud800"``, which cannot be encoded as UTF-8), ``NaN`` and ``Infinity`` in JSON,
and strings longer than a column. A body nested 1,000 deep makes Python's parser recurse
until it fails. So: parse strictly (no ``NaN``), bound the depth and the numbers, and replace
NUL and lone surrogates in every string and key with U+FFFD ("�", the replacement character),
so what a person wrote is kept and nothing the database refuses ever reaches it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from helpbot.errors import UnsafeInputError

# LINE's events nest five levels (event -> message -> emojis -> [i] -> fields); 32 is ample.
MAX_DEPTH = 32
# Integers beyond 64 bits are not an id, a timestamp or a count any platform sends.
MAX_INT = 2**63 - 1
REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In strict JSON text of valid UTF-8, a NUL or a lone surrogate can only come from a \u escape,
# and an integer beyond 64 bits has at least 19 digits: a body without either, and without
# more brackets than MAX_DEPTH, parses to values that are already clean (false alarms only cost
# the full check).
_MAY_NEED_CLEANING = re.compile(r"\\u(?:0000|[dD][89abcdefABCDEF])|[0-9]{19}")


def clean_text(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD; the same object if clean."""
    if _UNSTORABLE.search(text) is None:
        return text
    return _UNSTORABLE.sub(REPLACEMENT, text)


def bounded_key(text: str, *, limit: int, prefix: str = "sha256:") -> str:
    """A clean key of at most ``limit`` characters: longer ones become a stable hash."""
    text = clean_text(text)
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return (prefix + digest)[:limit]


def _reject_constant(name: str) -> Any:
    raise UnsafeInputError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnsafeInputError("a number is too large")
    return value


def parse_json(body: bytes) -> Any:
    """Strict UTF-8 JSON: no NaN/Infinity, bounded depth and numbers, clean strings.

    Raises UnsafeInputError with a short reason (never a piece of the body).
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeInputError("body is not UTF-8") from None
    try:
        value = json.loads(
            text, parse_constant=_reject_constant, parse_float=_finite_float
        )
    except RecursionError:
        raise UnsafeInputError(f"body is nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as error:
        raise UnsafeInputError(f"body is not JSON: {error.msg}") from None
    except UnsafeInputError:
        raise
    except ValueError:  # e.g. an integer of more than 4,300 digits
        raise UnsafeInputError("body has a number that is too large") from None
    if text.count("{") + text.count("[") <= MAX_DEPTH and _MAY_NEED_CLEANING.search(text) is None:
        return value
    return clean_value(value)


def clean_value(value: Any, *, depth: int = 0) -> Any:
    """A copy of parsed JSON that every database stores; UnsafeInputError when it cannot be."""
    if depth > MAX_DEPTH:
        raise UnsafeInputError(f"body is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {
            clean_text(str(key)): clean_value(item, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [clean_value(item, depth=depth + 1) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise UnsafeInputError("body has an integer beyond 64 bits")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsafeInputError("body has a number that is not finite")
        return value
    raise UnsafeInputError(f"body has a value of type {type(value).__name__}")
