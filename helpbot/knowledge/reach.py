"""Whether a person the bot cannot help can still reach a human: staff.yaml's ``contact``.

On LINE without Slack no staff tool shows a case, so a person who asks for staff, or asks to
erase their records, is told that staff cannot talk with them here, followed by ``contact``.
Without it they are given only the emergency numbers: ``helpbot faq check`` warns.
"""

from __future__ import annotations

from helpbot.knowledge.entries import KnowledgeBase, Problem

NO_CONTACT = (
    "no contact in staff.yaml: on LINE without Slack, a person who asks for staff or asks to "
    "erase their records is told staff cannot talk with them here, with no way to reach a person"
)
NO_CONTACT_HINT = (
    "write contact: per language (ja: …) with a phone number or an address; a phone number "
    "is read in every language, so ja alone reaches everyone"
)


def no_contact_warning(kb: KnowledgeBase) -> Problem | None:
    """A warning at staff.yaml's ``contact`` (or its top) when it holds no words; None when
    it does, or when the folder has no staff.yaml of its own."""
    staff = kb.staff
    if staff is None or staff.contact or staff.contact_at is None:
        return None
    file, line = staff.contact_at
    return Problem(file, line, NO_CONTACT, NO_CONTACT_HINT)
