"""Who a command is about: ``CHANNEL:USER_ID`` (``line:U4af4980629...``) to a contact row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.errors import PersonNotFoundError
from helpbot.storage.models import Case, Contact

CHANNELS = ("line", "web")


def parse_person(reference: str) -> tuple[str, str]:
    """``line:U123`` -> ("line", "U123"); a clear error for anything else."""
    channel, sep, user_id = reference.strip().partition(":")
    if not sep or not user_id or channel.lower() not in CHANNELS:
        raise PersonNotFoundError(
            f"{reference!r} is not a person reference: write CHANNEL:USER_ID, for example "
            f"line:U4af4980629 (channels: {', '.join(CHANNELS)}; `helpbot audit` and the case "
            "message in Slack show case numbers, `--case N` finds a case's person)"
        )
    return channel.lower(), user_id


def find_contact(session: Session, reference: str) -> Contact:
    channel, user_id = parse_person(reference)
    contact = session.scalars(
        select(Contact).where(Contact.channel == channel, Contact.channel_user_id == user_id)
    ).one_or_none()
    if contact is None:
        raise PersonNotFoundError(
            f"no person {channel}:{user_id} is stored (already erased, or never wrote)"
        )
    return contact


def contact_of_case(session: Session, case_id: int) -> Contact:
    case = session.get(Case, case_id)
    contact = session.get(Contact, case.contact_id) if case is not None else None
    if contact is None:
        raise PersonNotFoundError(f"there is no case #{case_id}")
    return contact
