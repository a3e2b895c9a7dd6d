"""Default confidence bands for the hybrid matcher's 0..100 scores.

Calibrated on LocalgovFAQ dev queries (499 residents' questions, 1,786 city FAQ entries) with
``helpbot bench matching --faq ../shared/bench/localgovfaq/faq.jsonl
--queries ../shared/bench/localgovfaq/queries_dev.jsonl``, on 2026-11-27:

answer >= 64: 4.6% of queries answered directly, 4.3% of those wrong (top-1 not graded A/B);
answer >= 62 gave 6.0% / 10.0% wrong and >= 60 gave 7.4% / 10.8%, so 64 keeps a margin under
the 10% ceiling for unseen queries. suggest >= 15: 6.6% of queries fall back, and for only a
third of those was a relevant entry among the top 3 anyway.

The bench queries are long, free-form and often only partly covered by the FAQ; a staff-written
``faq/`` with alternates phrased like real messages scores higher, so more is answered directly.
"""

from __future__ import annotations

from helpbot.matching.base import Bands

DEFAULT_BANDS = Bands(answer=64.0, suggest=15.0)
