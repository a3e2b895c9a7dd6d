"""Burmese typed in the Zawgyi font encoding, read as Unicode.

Many phones in Myanmar, and the habits of the people who used them, still type Burmese in
Zawgyi: a font encoding that reuses the Myanmar code points (U+1000-U+109F) with other
meanings (a vowel typed before its consonant, stacked letters at code points Unicode gives
to minority languages). Zawgyi text matches no Unicode word list, encoder or language model:
a person in danger writing 「ကြၽန္ေတာ္ ေသခ်င္တယ္」 is not found by the words 「ကျွန်တော် သေချင်တယ်」.

``to_unicode`` reads a message as Unicode when Google's ``myanmartools`` (Apache-2.0; a
Markov model over character pairs, shipped in the package) is confident it is Zawgyi, and
converts it with ``python-myanmar`` (MIT; syllable-based conversion tables, pure Python).
A message without a Myanmar code point costs one regular-expression scan and nothing is
loaded; both libraries are imported on the first Burmese message.

The threshold is the one myanmartools recommends for deciding "Zawgyi", and measured
(``python -m benchmarks.zawgyi``, docs/benchmarks.md): Unicode Burmese messages and crisis
words score at most 0.30, whole Zawgyi messages at least 0.998. Converting Unicode text as
if it were Zawgyi would garble it, so a doubtful message is left as it came.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import Any

ZAWGYI_THRESHOLD = 0.95
_MYANMAR = re.compile(r"[\u1000-\u109f]")
# Unicode's storage order puts the upper vowels (ိ ီ ဲ) before the lower ones (ု ူ); the
# converter sometimes keeps Zawgyi's typing order (「မှုိ」 for 「မှို」), which no word matches.
_LOWER_THEN_UPPER = re.compile(r"([\u102f\u1030])([\u102d\u102e\u1032])")


@functools.cache
def _detector() -> Any:
    from myanmartools import ZawgyiDetector  # on the first Burmese message

    with warnings.catch_warnings():
        # myanmartools 1.2.1 reads its model with importlib.resources.open_binary, which
        # Python 3.11 and 3.12 call deprecated (3.13 keeps it): nothing for us to change
        warnings.filterwarnings("ignore", message="open_binary is deprecated",
                                category=DeprecationWarning)
        return ZawgyiDetector()


def has_myanmar(text: str) -> bool:
    """Any character of the Myanmar block: the only text Zawgyi can be."""
    return _MYANMAR.search(text) is not None


def zawgyi_probability(text: str) -> float:
    """How sure myanmartools is that ``text`` is Zawgyi (0 for text without Myanmar letters)."""
    if not has_myanmar(text):
        return 0.0
    return max(0.0, float(_detector().get_zawgyi_probability(text)))


def convert_zawgyi(text: str) -> str:
    """``text`` converted from Zawgyi to Unicode, whatever it is: callers decide first."""
    from myanmar.converter import convert  # builds its tables on import

    return _LOWER_THEN_UPPER.sub(r"\2\1", convert(text, "zawgyi", "unicode"))


def to_unicode(text: str) -> str:
    """``text`` in Unicode: converted when it is confidently Zawgyi, else unchanged."""
    if zawgyi_probability(text) < ZAWGYI_THRESHOLD:
        return text
    return convert_zawgyi(text)
