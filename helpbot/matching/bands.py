"""Default confidence bands for the hybrid matcher's 0..100 scores.

Calibrated on the LocalgovFAQ dev queries (499 residents' questions against 1,786 city FAQ
entries) with::

    helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl \\
        --queries ../shared/bench/localgovfaq/queries_dev.jsonl

answer >= 66: 4.0% of queries get a direct answer and 5.0% of those are wrong (top-1 not graded
A or B). Lower thresholds answer more but cross the 10% ceiling: >= 64 gave 5.2% direct / 7.7%
wrong, >= 60 gave 7.6% / 13.2%; 66 leaves a margin for unseen queries. suggest >= 15: 7.2% of
queries fall back, and for only a third of those was a relevant entry in the top 3 anyway.

The bench queries are long, free-form and often only partly covered by the FAQ, so few are
answered directly; a staff-written ``faq/`` with alternates phrased like real messages scores
higher (an exact question or alternate scores 100).
"""

from __future__ import annotations

from helpbot.matching.base import Bands

DEFAULT_BANDS = Bands(answer=66.0, suggest=15.0)
