"""``helpbot ask "TEXT"``: the whole turn a person would get, for staff testing their files.

The message goes through the real conversation core (crisis triage first, then the matcher,
then the rules for handing a person to staff) on a throw-away SQLite database, so what is
printed is exactly what a first-time writer would receive; nothing reaches LINE or Slack.

The handoff depends on the person's channel: where a staff tool shows cases (the web chat,
or LINE with Slack) a case opens; on LINE without Slack none does and the person is told
staff cannot talk with them here. ``--channel`` picks which one is shown (by default LINE
without Slack when this machine's settings say so, else the web chat), and the first line
says which (on stderr with ``--json``, whose keys stay as they were).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import click

from helpbot.cli.settings import cli_settings
from helpbot.config import Settings
from helpbot.conversation.turn import Turn
from helpbot.core.messages import Incoming, MessageKind
from helpbot.errors import KnowledgeError
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.policies import StaffPolicy
from helpbot.matching.base import Bands, Candidate, Decision
from helpbot.matching.offered import offered_today, rank_offered

# --channel -> (the channel the turn runs as, what is shown). LINE with Slack opens a case
# as the web chat does; `ask` never reaches Slack, so it runs as the web chat.
CHANNELS = {
    "web": ("web", "the web chat: a case opens where staff see it (the staff pane, or Slack)"),
    "line": ("line", "LINE without Slack: no case opens; the person is told staff cannot "
                     "talk with them here, with staff.yaml's contact"),
    "line-slack": ("web", "LINE with Slack: a case opens in Slack (ask posts nothing)"),
}


def _channel(choice: str | None, settings: Settings) -> str:
    """``--channel``, or what this machine's settings make of LINE: without Slack, LINE's
    people get no case; else the web chat's handoff (the same as LINE's with Slack)."""
    if choice is not None:
        return choice
    return "line" if settings.line_enabled and not settings.slack_enabled else "web"


def _turn(text: str, folder: Path, channel: str, settings: Settings
          ) -> tuple[Turn, list[Candidate], Bands, str | None]:
    """Run one message through the core: the turn, the ranking, the bands, the urgency."""
    from helpbot.app import build_services
    from helpbot.storage.migrate import upgrade
    from helpbot.storage.models import Case

    with tempfile.TemporaryDirectory(prefix="helpbot-ask-") as scratch:
        settings = settings.with_overrides(
            database_url=f"sqlite:///{scratch}/ask.sqlite3",
            faq_dir=folder,
            line_channel_secret=None,
            line_channel_access_token=None,
            slack_signing_secret=None,
            slack_bot_token=None,
            slack_escalation_channel=None,
        )
        services = build_services(settings)
        try:
            upgrade(services.database)
            snapshot = services.knowledge.snapshot()
            zone = (snapshot.kb.staff or StaffPolicy()).zone
            offered = offered_today(snapshot.kb, dt.datetime.now(zone).date())
            candidates = rank_offered(snapshot.index, text.strip(), limit=5,
                                      withdrawn=offered.withdrawn)
            turn = services.conversation.handle(
                Incoming(
                    # without Slack, a staff tool shows the web chat's cases, not LINE's
                    channel=CHANNELS[channel][0],
                    user_id="cli",
                    kind=MessageKind.TEXT,
                    received_at=dt.datetime.now(dt.UTC),
                    text=text,
                )
            )
            urgency = None
            if turn.case_id is not None:
                with services.database.session() as session:
                    case = session.get(Case, turn.case_id)
                    urgency = case.urgency if case is not None else None
        finally:
            services.close()
    return turn, candidates, snapshot.index.bands, urgency


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--dir", "faq_dir", type=click.Path(path_type=Path), default=None,
    help="Knowledge folder (default: HELPBOT_FAQ_DIR or ./faq).",
)
@click.option(
    "--channel", type=click.Choice(sorted(CHANNELS)), default=None,
    help="Whose handoff to show: web (the web chat), line (LINE without Slack: no case), "
         "line-slack (LINE with Slack). Default: line when LINE is set up without Slack, "
         "else web.",
)
def ask(text: str, as_json: bool, faq_dir: Path | None, channel: str | None) -> None:
    """Show what the bot would answer to TEXT: crisis resources, handoff, answer, suggestions."""
    settings = cli_settings()
    folder = faq_dir or settings.faq_dir
    channel = _channel(channel, settings)
    try:
        _, problems = load_dir(folder)
    except KnowledgeError as error:
        raise click.ClickException(str(error)) from None
    if problems:
        click.echo(
            f"note: {len(problems)} problem(s) in {folder}; run `helpbot faq check`", err=True
        )
    turn, candidates, bands, urgency = _turn(text, folder, channel, settings)
    best = candidates[0] if candidates else None
    # What the matcher found; in a crisis the person gets resources and staff instead.
    decision = bands.decide(candidates).value
    answered = turn.decision == Decision.ANSWER and turn.entry_id is not None
    entry = best.entry if best is not None else None
    result = {
        "decision": str(decision),
        "entry_id": turn.entry_id,
        "score": round(best.score, 2) if best else None,
        "answer": turn.replies[0].text if answered and turn.replies else None,
        "suggestions": [
            {"id": c.entry.id, "question": c.entry.question, "score": round(c.score, 2)}
            for c in candidates
        ]
        if turn.decision == Decision.SUGGEST
        else [],
        "crisis": {
            "category": turn.crisis.category,
            "name": turn.crisis.name,
            "why": turn.crisis.why,
            "layer": turn.crisis.layer,
            "language": turn.crisis.language,
        }
        if turn.crisis is not None
        else None,
        "handoff": {"case": turn.case_id, "urgency": urgency} if turn.case_id else None,
        "replies": [
            {"text": r.text, "quick_replies": [q.label for q in r.quick_replies]}
            for r in turn.replies
        ],
    }
    shown = f"as {channel}: {CHANNELS[channel][1]}"
    if as_json:
        click.echo(shown, err=True)
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(shown)
    if turn.crisis is not None:
        click.echo(f"CRISIS: {turn.crisis.name} [{turn.crisis.category}] — {turn.crisis.why}")
    if result["handoff"]:
        click.echo(f"handed to staff: a {urgency} case is opened")
    click.echo(f"decision: {result['decision']} (score {result['score']})")
    if answered and entry is not None:
        click.echo(f"entry: {turn.entry_id}")
    for reply in result["replies"]:
        buttons = "  ".join(f"[{label}]" for label in reply["quick_replies"])
        click.echo(f"\n{reply['text']}" + (f"\n{buttons}" if buttons else ""))
