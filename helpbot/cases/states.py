"""Case states and the one table of allowed transitions.

      claim                 resolve
OPEN ◀──────▶ CLAIMED ───────────────▶ RESOLVED
     release
  │                                       │
  └──────────────── resolve ──────────────┤
  ▲                                       │
  └────────── reopen (the person writes ──┘
              again soon after resolution)
"""

from __future__ import annotations

from enum import StrEnum

from helpbot.errors import InvalidTransitionError


class CaseState(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class CaseAction(StrEnum):
    CLAIM = "claim"
    RELEASE = "release"  # the worker gives the case back: open for anyone again
    RESOLVE = "resolve"
    REOPEN = "reopen"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class CaseReason(StrEnum):
    ASKED = "asked"  # the person asked for a human
    BOT_FAILED = "bot_failed"  # not answered twice in a row (nothing found), or 3 suggestions
    CRISIS = "crisis"  # crisis triage fired


TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (CaseState.OPEN, CaseAction.CLAIM): CaseState.CLAIMED,
    (CaseState.CLAIMED, CaseAction.RELEASE): CaseState.OPEN,
    (CaseState.OPEN, CaseAction.RESOLVE): CaseState.RESOLVED,
    (CaseState.CLAIMED, CaseAction.RESOLVE): CaseState.RESOLVED,
    (CaseState.RESOLVED, CaseAction.REOPEN): CaseState.OPEN,
}

ACTIVE_STATES = frozenset({CaseState.OPEN, CaseState.CLAIMED})


def next_state(state: CaseState, action: CaseAction) -> CaseState:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransitionError(state, action) from None
