"""helpbot's benchmarks, behind ``helpbot bench ...``: matching (retrieval metrics, scale),
webhooks, escalation, reminders, crisis detection and hostile input.

Not part of the product: installed with the ``bench`` extra (``pip install 'helpbot[bench]'``),
and nothing under ``helpbot/`` imports it except the ``helpbot bench`` commands.
"""
