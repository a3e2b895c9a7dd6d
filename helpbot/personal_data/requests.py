"""A person asks, in their own words, for their records to be erased.

Nothing is erased on such a message: the bot explains what erasure means, the request goes
into the audit trail, and case workers are asked (in the case thread) to confirm with the
person and run ``/helpbot erase N``. Where no staff tool shows a case (LINE without Slack)
there is no thread: ``helpbot person requests`` lists the requests not yet acted on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpbot.storage.audit import AuditAction, record
from helpbot.storage.models import AuditEvent, Contact

_JAPANESE = re.compile(
    r"(記録|きろく|データ|履歴|りれき|個人情報|こじんじょうほう|会話|やりとり|メッセージ|相談内容)"
    r"(を|は|も)?(全部|ぜんぶ|すべて)?"
    r"(消して|けして|消去して|削除して|さくじょして|消したい|削除したい|消去したい|消せ(ます|る)|"
    r"削除(でき|可能)|消去でき)(?!しま|ちゃ|た|しまっ)"
)
_ENGLISH = re.compile(
    r"\b(delete|erase|remove|wipe)\s+(all\s+)?(of\s+)?(my|our)\s+"
    r"(data|records?|messages|history|information|info|conversations?|chats?)\b"
    r"|\bforget\s+(about\s+)?me\b|\bright\s+to\s+(be\s+forgotten|erasure)\b",
    re.IGNORECASE,
)

REPLIES = {
    "ja": (
        "記録を消したいというご希望を受けとりました。まだ何も消していません。"
        "スタッフが確認してから、あなたがここに書いたことと、相談の記録を消します。"
        "消したあとは、スタッフも前の相談の内容を見られなくなります。"
        "スマートフォンのトーク画面は、ご自分で消すことができます。"
    ),
    "en": (
        "We have received your request to delete your records. Nothing has been deleted yet. "
        "After a staff member confirms it, what you wrote here and the records of your "
        "consultation will be erased; staff will then no longer see your earlier "
        "conversation. You can delete the chat on your own phone yourself."
    ),
}
STAFF_NOTE = (
    "🗑 The person asks for their records to be erased (記録の削除の希望). Nothing is erased "
    "yet. Confirm with them in this thread, then run `/helpbot erase {case}` (or "
    "`helpbot person erase` on the server)."
)
TOPIC = "記録の削除の希望 (erasure request)"


def asks_for_erasure(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text)
    return bool(_JAPANESE.search(folded) or _ENGLISH.search(folded))


def reply_for(language: str | None) -> str:
    return REPLIES["ja"] if language in (None, "ja", "easy") else REPLIES["en"]


def record_request(session: Session, *, contact_id: int, case_id: int | None,
                   now: dt.datetime) -> None:
    """The request, in the audit trail (the person's words stay in the conversation only);
    ``case_id`` None: no case opened for it (no staff tool shows the person's channel)."""
    record(session, actor="person", action=AuditAction.ERASE_REQUESTED, now=now,
           case_id=case_id, contact_id=contact_id)


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """A person who asked for erasure and is not erased yet: who, when, on which case."""

    contact_id: int
    reference: str  # CHANNEL:USER_ID, what `helpbot person erase` takes
    asked_at: dt.datetime
    case_id: int | None


def pending_requests(session: Session) -> list[PendingRequest]:
    """Erasure requests of people not erased since, oldest first (a person once, with their
    latest request)."""
    rows = session.execute(
        select(Contact, func.max(AuditEvent.at), func.max(AuditEvent.case_id))
        .join(AuditEvent, AuditEvent.contact_id == Contact.id)
        .where(AuditEvent.action == str(AuditAction.ERASE_REQUESTED),
               Contact.erased_at.is_(None))
        .group_by(Contact.id)
        .order_by(func.max(AuditEvent.at), Contact.id)
    ).all()
    return [PendingRequest(contact.id, f"{contact.channel}:{contact.channel_user_id}", at,
                           case_id) for contact, at, case_id in rows]
