"""A person's data over time: retention (purge), export, erasure, and requests for them.

Sits above ``cases``, ``delivery`` and ``reminders`` (it closes cases and cancels deliveries
of an erased person) and below ``conversation`` (which hears a person ask for erasure).
Everything it does is written to the audit trail (``storage/audit.py``).
"""
