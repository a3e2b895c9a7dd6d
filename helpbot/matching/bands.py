"""The score bands used before the calibrated decision (kept for reference and for matchers
built with ``bands=DEFAULT_BANDS``); the hybrid matcher now takes its bands from
:mod:`helpbot.matching.calibration` (``calibration.json``).

Calibrated on the LocalgovFAQ dev queries (499 residents' questions against 1,786 city FAQ
entries) with::

    helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl \\
        --queries ../shared/bench/localgovfaq/queries_dev.jsonl

With the sentence-embedding field at weight 1.5 (words + meaning): answer >= 62: 4.6% of
queries get a direct answer and 4.3% of those are wrong (top-1 not graded A or B). >= 64 gave
3.0% direct / 0.0% wrong, >= 60 gave 5.6% / 7.1%, >= 58 gave 8.8% / 20.5% (over the 10%
ceiling); 62 leaves a margin for unseen queries. suggest >= 10: 7.6% of queries fall back, and
for 11 of those 38 the top entry was relevant anyway (>= 13: 11.0% fall back, 16 relevant).
(Weight 1.0: answer >= 64 gave 4.0% direct / 5.0% wrong; lexical fields alone: answer >= 66
gave 4.0% / 5.0%.)

The bench queries are long, free-form and often only partly covered by the FAQ, so few are
answered directly; a staff-written ``faq/`` with alternates phrased like real messages scores
higher (an exact question or alternate scores 100).
"""

from __future__ import annotations

from helpbot.matching.base import Bands

DEFAULT_BANDS = Bands(answer=62.0, suggest=10.0)
