"""Images, videos, audio, files and locations a person sends during a case, into its thread.

The turn stores only a description (a ``media`` staff post: the kind, the platform's message
id, the file name); the staff outbox fetches the content from the platform when it posts
(``MediaFetcher``, LINE's content API) and uploads it to the thread, so nothing of it is kept
in helpbot's database. What cannot be fetched (gone, too big) becomes a clear note instead.
Locations go as the address and a map link.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpbot.cases.outbox import PostKind, add_post
from helpbot.cases.ports import StaffNotifier, StaffRef
from helpbot.core.messages import Attachment, MessageKind
from helpbot.errors import MediaUnavailableError
from helpbot.storage.models import Case, Contact, Conversation, Direction, Message

logger = logging.getLogger(__name__)

MAX_MEDIA_BYTES = 20 * 1024 * 1024  # a phone's photo or a scanned letter fits easily
_NAMES = {MessageKind.IMAGE: "画像 / image", MessageKind.VIDEO: "動画 / video",
          MessageKind.AUDIO: "音声 / audio", MessageKind.FILE: "ファイル / file"}
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "video/mp4": "mp4",
               "audio/m4a": "m4a", "audio/x-m4a": "m4a", "audio/mp4": "m4a",
               "application/pdf": "pdf"}
MEDIA_KINDS = frozenset(_NAMES)


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    data: bytes
    content_type: str


class MediaFetcher(Protocol):
    """Gets what a person sent from their platform (LINE: the content API)."""

    def fetch(self, message_id: str, *, limit: int) -> FetchedMedia:
        """The content; MediaUnavailableError when it cannot be had (gone, over ``limit``),
        DeliveryError when the platform failed for now (tried again later)."""
        ...


def location_text(attachment: Attachment) -> str:
    """The place as the person shared it: title, address and a map link."""
    lines = ["👤 📍 " + " ".join(p for p in (attachment.title, attachment.address) if p)]
    if attachment.latitude is not None and attachment.longitude is not None:
        query = quote(f"{attachment.latitude:.6f},{attachment.longitude:.6f}")
        lines.append(f"https://www.google.com/maps/search/?api=1&query={query}")
    return "\n".join(line for line in lines if line.strip() != "👤 📍")


def attachment_posts(
    session: Session, case: Case, kind: MessageKind, attachment: Attachment | None, *,
    now: dt.datetime,
) -> list[int]:
    """The staff posts for something a person sent during a case (in the turn's transaction)."""
    if case.person_waiting_since is None:
        case.person_waiting_since = now
    if kind is MessageKind.LOCATION and attachment is not None:
        text = location_text(attachment)
        return [add_post(session, case_id=case.id, kind=PostKind.THREAD, text=text, now=now).id]
    if kind in MEDIA_KINDS and attachment is not None:
        description = json.dumps({
            "kind": kind.value, "message_id": attachment.message_id,
            "file_name": attachment.file_name, "size": attachment.size,
            "external_url": attachment.external_url,
        }, ensure_ascii=False)
        return [add_post(session, case_id=case.id, kind=PostKind.MEDIA, text=description,
                         now=now).id]
    note = f"👤 ({kind.value})"
    return [add_post(session, case_id=case.id, kind=PostKind.THREAD, text=note, now=now).id]


# What a person sent before a case opened is offered to it from this far back (a conversation).
KEPT_FOR_A_CASE = dt.timedelta(hours=24)
ATTACHMENT_KEY = "attachment"


def attachment_extra(attachment: Attachment | None) -> dict[str, object] | None:
    """How an inbound message keeps its attachment (``messages.extra``): ids, never content."""
    if attachment is None:
        return None
    return {ATTACHMENT_KEY: {
        "message_id": attachment.message_id, "file_name": attachment.file_name,
        "size": attachment.size, "external_url": attachment.external_url,
        "title": attachment.title, "address": attachment.address,
        "latitude": attachment.latitude, "longitude": attachment.longitude,
    }}


def earlier_attachments(
    session: Session, case: Case, contact: Contact, *, now: dt.datetime
) -> list[int]:
    """Posts for what the person sent before this new case opened (they were asked for words
    then): the last day's files and places, after any earlier case of theirs was resolved."""
    since = now - KEPT_FOR_A_CASE
    resolved = session.scalars(
        select(Case.resolved_at).where(Case.contact_id == contact.id, Case.id != case.id,
                                       Case.resolved_at.is_not(None))
        .order_by(Case.resolved_at.desc()).limit(1)
    ).one_or_none()
    if resolved is not None and resolved > since:
        since = resolved
    rows = session.execute(
        select(Message.kind, Message.extra)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.contact_id == contact.id, Message.direction == Direction.IN,
               Message.created_at >= since, Message.kind.in_(
                   [k.value for k in (*MEDIA_KINDS, MessageKind.LOCATION)]))
        .order_by(Message.id)
    ).all()
    posts: list[int] = []
    for kind, extra in rows:
        kept = (extra or {}).get(ATTACHMENT_KEY) if isinstance(extra, dict) else None
        if isinstance(kept, dict):
            attachment = Attachment(**{k: v for k, v in kept.items()
                                       if k in Attachment.__dataclass_fields__})
            posts += attachment_posts(session, case, MessageKind(kind), attachment, now=now)
    return posts


class MediaRelay:
    """Posts a ``media`` staff post: fetch, check the size, upload; or a note saying why not."""

    def __init__(self, fetcher: MediaFetcher | None, *, max_bytes: int = MAX_MEDIA_BYTES) -> None:
        self._fetcher = fetcher
        self._max_bytes = max_bytes

    def post(self, notifier: StaffNotifier, ref: StaffRef, description: str) -> None:
        info = json.loads(description)
        kind = MessageKind(info["kind"])
        label = _NAMES.get(kind, kind.value)
        try:
            fetched = self._fetch(info)
        except MediaUnavailableError as why:
            # the thread may show a link to it (the worker needs it); the logs never do
            logger.info("a %s could not be fetched for a case: %s", kind.value,
                        "kept outside LINE" if info.get("external_url") else why)
            notifier.post_in_thread(
                ref, f"👤 ({label}) — 取得できませんでした / could not be fetched: {why}",
                mention_channel=False,
            )
            return
        extension = _EXTENSIONS.get(fetched.content_type.split(";")[0].strip(), "bin")
        name = info.get("file_name") or f"{kind.value}-{info['message_id']}.{extension}"
        notifier.upload_in_thread(ref, file_name=name, data=fetched.data,
                                  comment=f"👤 ({label})")

    def _fetch(self, info: dict[str, object]) -> FetchedMedia:
        limit_mb = self._max_bytes // (1024 * 1024)
        size = info.get("size")
        if isinstance(size, int) and size > self._max_bytes:
            raise MediaUnavailableError(
                f"{size / 1024 / 1024:.1f} MB is over the {limit_mb} MB limit; ask the person to "
                "send it another way")
        if info.get("external_url"):
            raise MediaUnavailableError(f"it is kept outside LINE: {info['external_url']}")
        if self._fetcher is None or not info.get("message_id"):
            raise MediaUnavailableError("this channel cannot fetch it")
        fetched = self._fetcher.fetch(str(info["message_id"]), limit=self._max_bytes)
        if len(fetched.data) > self._max_bytes:
            raise MediaUnavailableError(f"over the {limit_mb} MB limit; ask the person to send "
                                        "it another way")
        return fetched
