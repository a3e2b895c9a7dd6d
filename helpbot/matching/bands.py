"""Default confidence bands for the hybrid matcher's 0..100 scores.

Calibrated on the LocalgovFAQ dev queries (499 residents' questions against 1,786 city FAQ
entries) with::

    helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl \\
        --queries ../shared/bench/localgovfaq/queries_dev.jsonl

With the sentence-embedding field (words + meaning): answer >= 64: 4.0% of queries get a direct
answer and 5.0% of those are wrong (top-1 not graded A or B). >= 66 gave 3.2% direct / 0.0%
wrong, >= 62 gave 4.8% / 4.2%, >= 60 gave 5.6% / 10.7% (over the 10% ceiling) and >= 58 gave
8.4% / 16.7%; 64 leaves a margin for unseen queries. suggest >= 13: 7.4% of queries fall back,
and for only about a fifth of those was the top entry relevant anyway (>= 15: 10.6% fall back).
(Lexical fields alone, before the embeddings: answer >= 66 gave 4.0% direct / 5.0% wrong and
suggest >= 15 a 7.2% fallback.)

The bench queries are long, free-form and often only partly covered by the FAQ, so few are
answered directly; a staff-written ``faq/`` with alternates phrased like real messages scores
higher (an exact question or alternate scores 100).
"""

from __future__ import annotations

from helpbot.matching.base import Bands

DEFAULT_BANDS = Bands(answer=64.0, suggest=13.0)
