"""SQLAlchemy models. Alembic migrations in ``migrations/`` must agree with these.

One module per area; every name stays importable from ``helpbot.storage.models``, and
importing this package registers every table on ``Base.metadata`` (Alembic's env needs all):

- ``base``: the declarative ``Base`` (naming convention) and ``UTCDateTime``
- ``people``: contacts, conversations, messages, unanswered questions, program answers
- ``queues``: ``QueueState`` and the queues of work: webhook events, staff posts, deliveries
- ``cases``: cases and crisis signals
- ``knowledge``: knowledge versions and the processes serving them
- ``staff``: the audit trail and staff page access
"""

from __future__ import annotations

from helpbot.storage.models.base import NAMING_CONVENTION, Base, UTCDateTime
from helpbot.storage.models.cases import Case, CrisisSignal, SignalKind
from helpbot.storage.models.knowledge import (
    KnowledgeProcess,
    KnowledgeVersion,
    KnowledgeVersionState,
)
from helpbot.storage.models.people import (
    Contact,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    ProgramAnswers,
    UnansweredQuestion,
)
from helpbot.storage.models.queues import (
    DIGEST_CHANNEL,
    Delivery,
    DeliveryState,
    EventStatus,
    QueueState,
    StaffPost,
    WebhookEvent,
)
from helpbot.storage.models.staff import AuditEvent, StaffAccess, StaffAccessKind

__all__ = [
    "DIGEST_CHANNEL",
    "NAMING_CONVENTION",
    "AuditEvent",
    "Base",
    "Case",
    "Contact",
    "Conversation",
    "CrisisSignal",
    "Delivery",
    "DeliveryState",
    "DeliveryStatus",
    "Direction",
    "EventStatus",
    "KnowledgeProcess",
    "KnowledgeVersion",
    "KnowledgeVersionState",
    "Message",
    "ProgramAnswers",
    "QueueState",
    "SignalKind",
    "StaffAccess",
    "StaffAccessKind",
    "StaffPost",
    "UTCDateTime",
    "UnansweredQuestion",
    "WebhookEvent",
]
