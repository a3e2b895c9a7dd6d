"""The weekly digest: every Monday from 09:00 (the NPO's time zone) the worker posts last week's
numbers, one chart (files.uploadV2), the top 5 gaps with 「この質問に答える」 and the program
records not checked for ``stale_after_months`` (``faq/staff.yaml``) to the staff channel. Once
a week, whichever worker runs: the week's marker row in ``webhook_events`` (channel
``digest``) is inserted only once.

The gaps quote what people asked (masked). The marker keeps the message's ts, so after an
erasure or a retention purge (the audit trail says when) each digest posted is drawn again from
the database and updated (chat.update): a question whose text was removed leaves it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import delete, func, select, update

from helpbot.cases.masking import mask_personal_data
from helpbot.channels.slack.notifier import SlackNotifier, call_slack
from helpbot.channels.slack.shortcuts import ANSWER_GAP_ACTION
from helpbot.errors import DeliveryError
from helpbot.knowledge.entries import EntryKind, KnowledgeBase
from helpbot.knowledge.freshness import is_stale
from helpbot.knowledge.policies import StaffPolicy
from helpbot.reports.charts import digest_chart
from helpbot.reports.figures import Figures, compute_figures
from helpbot.reports.period import Period
from helpbot.storage.audit import AuditAction
from helpbot.storage.database import Database
from helpbot.storage.inbox import Inbox, NewEvent
from helpbot.storage.models import DIGEST_CHANNEL, AuditEvent, WebhookEvent

logger = logging.getLogger(__name__)

MARKER_CHANNEL = DIGEST_CHANNEL
REMOVED = "（本文は削除されました / text removed）"
SEND_FROM = dt.time(9, 0)
TOP_GAPS = 5
MAX_STALE = 10


def last_week(now: dt.datetime, zone: ZoneInfo) -> Period | None:
    """Last Monday-to-Monday week when it is Monday from 09:00 local, else None."""
    local = now.astimezone(zone)
    if local.weekday() != 0 or local.time() < SEND_FROM:
        return None
    return week_from(local.date() - dt.timedelta(days=7), zone)


def week_from(monday: dt.date, zone: ZoneInfo) -> Period:
    """The seven local days from ``monday``'s midnight."""
    since = dt.datetime.combine(monday, dt.time(), tzinfo=zone)
    return Period(since=since.astimezone(dt.UTC),
                  until=(since + dt.timedelta(days=7)).astimezone(dt.UTC), zone=zone)


def stale_programs(kb: KnowledgeBase, today: dt.date) -> list[str]:
    """Program records not checked for ``stale_after_months`` (the same rule as `helpbot faq
    check`), or never."""
    months = (kb.staff or StaffPolicy()).stale_after_months
    found = []
    for entry in kb.entries:
        if entry.kind is not EntryKind.PROGRAM:
            continue
        if entry.last_checked is None or is_stale(entry, today=today, months=months):
            checked = entry.last_checked.isoformat() if entry.last_checked else "never"
            found.append(f"`{entry.id}` ({checked})")
    return found


def digest_blocks(figures: Figures, stale: list[str]) -> list[dict[str, Any]]:
    report = figures.to_json()
    days = figures.period.days()
    title = f"週のまとめ / Weekly digest {days[0]:%m/%d}–{days[-1]:%m/%d}"
    answers, cases = report["answers"], report["cases"]
    claim = report["minutes_to_claim"]
    fields = [
        f"*受信 / Messages in*\n{report['messages_in']['total']}",
        f"*回答 / Answered · suggested · fallback*\n{answers['answered']} · "
        f"{answers['suggested']} · {answers['fallback']}",
        f"*相談 / Cases opened · claimed · resolved*\n{cases['opened']} · {cases['claimed']} · "
        f"{cases['resolved']}",
        f"*担当まで / Minutes to claim (median, p90)*\n{claim['median'] or '-'} · "
        f"{claim['p90'] or '-'}",
        f"*危機アラート / Crisis alerts*\n{report['crisis_alerts']['total']}",
        f"*フォローアップ / Follow-ups sent · failed*\n{report['followups']['sent']} · "
        f"{report['followups']['failed']}",
        f"*満足度の回答 / Satisfaction answers*\n{report['satisfaction']['answers']}",
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        {"type": "section", "text": {"type": "mrkdwn",
                                     "text": "*答えられなかった質問 / Top gaps*"}},
    ]
    for n, gap in enumerate(report["top_gaps"][:TOP_GAPS], start=1):
        question = mask_personal_data(str(gap["example"]))[:500]
        if not question.strip():  # erased or past the retention window: counted, not quoted
            blocks.append({"type": "section", "block_id": f"gap-{n}", "text": {
                "type": "mrkdwn", "text": f"{n}. {REMOVED} ×{gap['count']}"}})
            continue
        blocks.append({
            "type": "section", "block_id": f"gap-{n}",
            "text": {"type": "mrkdwn", "text": f"{n}. {question} ×{gap['count']}"},
            "accessory": {"type": "button", "action_id": ANSWER_GAP_ACTION,
                          "text": {"type": "plain_text", "text": "この質問に答える"},
                          "value": question[:2000]},
        })
    if not report["top_gaps"]:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "なし / none"}]})
    if stale:
        listed = ", ".join(stale[:MAX_STALE]) + (" …" if len(stale) > MAX_STALE else "")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": (
            f"*しばらく確かめていない制度 / Programs not checked recently* ({len(stale)}): "
            f"{listed}")[:3000]}})
    return blocks


class WeeklyDigest:
    """The worker's ``weekly_digest`` job."""

    def __init__(self, *, database: Database, inbox: Inbox, client: WebClient, channel: str,
                 knowledge: Callable[[], KnowledgeBase], clock: Callable[[], dt.datetime]) -> None:
        self._database = database
        self._inbox = inbox
        self._client = client
        self._notifier = SlackNotifier(client, channel)
        self._channel = channel
        self._knowledge = knowledge
        self._clock = clock

    def run(self) -> int:
        """Post the digest if it is due and not posted yet; 1 when posted. Digests posted
        before an erasure or a purge are drawn again first."""
        now = self._clock()
        kb = self._knowledge()
        zone = kb.staff.zone if kb.staff is not None else ZoneInfo("Asia/Tokyo")
        try:
            self._refresh(zone, now)
        except DeliveryError as error:
            logger.warning("weekly digests not redrawn after an erasure (%s); trying again in "
                           "10 minutes", error)
        period = last_week(now, zone)
        if period is None:
            return 0
        marker = f"week-{period.days()[0].isoformat()}"
        event = NewEvent(event_id=marker, event_type="weekly_digest", payload={})
        if not self._inbox.store(channel=MARKER_CHANNEL, events=[event], now=now):
            return 0  # posted already (by this worker or another)
        try:
            self._send(period, kb, now, marker)
        except DeliveryError as error:
            self._release(marker)  # try again at the next run
            logger.warning("weekly digest not posted (%s); trying again in 10 minutes", error)
            return 0
        logger.info("weekly digest posted for %s", marker)
        return 1

    def _send(self, period: Period, kb: KnowledgeBase, now: dt.datetime, marker: str) -> None:
        figures = compute_figures(self._database, period)
        stale = stale_programs(kb, now.astimezone(period.zone).date())
        blocks = digest_blocks(figures, stale)
        posted = call_slack(self._client.chat_postMessage, channel=self._channel, blocks=blocks,
                            text=blocks[0]["text"]["text"])
        self._remember(marker, {"ts": posted["ts"], "stale": stale, "drawn_at": now.isoformat()})
        self._notifier.upload_to_channel(
            file_name=f"helpbot-{period.days()[0].isoformat()}.png", data=digest_chart(figures),
            comment="質問数（日ごと、結果別） / Questions per day by outcome")

    def _release(self, marker: str) -> None:
        with self._database.session() as session:
            session.execute(delete(WebhookEvent).where(
                WebhookEvent.channel == MARKER_CHANNEL, WebhookEvent.event_id == marker))

    def _remember(self, marker: str, payload: dict[str, Any]) -> None:
        with self._database.session() as session:
            session.execute(update(WebhookEvent).where(
                WebhookEvent.channel == MARKER_CHANNEL, WebhookEvent.event_id == marker
            ).values(payload=payload))

    def _refresh(self, zone: ZoneInfo, now: dt.datetime) -> None:
        """Draw again each digest posted before the latest erasure or purge."""
        with self._database.session() as session:
            latest = session.scalar(select(func.max(AuditEvent.at)).where(
                AuditEvent.action.in_([AuditAction.ERASE, AuditAction.PURGE])))
            if latest is None:
                return
            markers = session.execute(select(WebhookEvent.event_id, WebhookEvent.payload).where(
                WebhookEvent.channel == MARKER_CHANNEL)).all()
        for marker, payload in markers:
            if not (payload or {}).get("ts") or (
                    dt.datetime.fromisoformat(payload["drawn_at"]) > latest):
                continue  # posted before the trail kept its ts, or drawn since
            period = week_from(dt.date.fromisoformat(marker.removeprefix("week-")), zone)
            blocks = digest_blocks(compute_figures(self._database, period), payload["stale"])
            call_slack(self._client.chat_update, channel=self._channel, ts=payload["ts"],
                       blocks=blocks, text=blocks[0]["text"]["text"])
            self._remember(marker, {**payload, "drawn_at": now.isoformat()})
            logger.info("weekly digest %s drawn again after an erasure or a purge", marker)
