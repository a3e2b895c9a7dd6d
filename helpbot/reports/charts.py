"""The report's charts, drawn on the server with matplotlib: SVG for the staff page, PNG for
the weekly digest in Slack. No script, no CDN: the browser only shows an image.

Labels are ASCII (dates, numbers, ``#1``..): the gap questions themselves are listed as text
beside the chart, so no Japanese font is needed on the server.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from helpbot.reports.figures import Figures

COLOURS = {"answered": "#2e7d32", "suggested": "#f9a825", "fallback": "#c62828"}
STATE_COLOURS = {"open": "#c62828", "claimed": "#f9a825", "resolved": "#2e7d32"}


def _figure(width: float = 6.4, height: float = 3.2) -> Any:
    from matplotlib.figure import Figure  # a second or so to import: only when drawn

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _whole_numbers(axes: Any, axis: str = "y") -> None:
    from matplotlib.ticker import MaxNLocator

    getattr(axes, f"{axis}axis").set_major_locator(MaxNLocator(integer=True))


def _save(figure: Any, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else None
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def outcomes_per_day(report: dict[str, Any], figure: Any) -> None:
    axes = figure.subplots()
    days = report["questions_per_day"]
    labels = [day["date"][5:] for day in days]
    bottom = [0] * len(days)
    for key, colour in COLOURS.items():
        values = [day[key] for day in days]
        axes.bar(labels, values, bottom=bottom, color=colour, label=key)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title("Questions per day by outcome")
    _whole_numbers(axes)
    axes.legend(loc="upper left", fontsize="small")
    if len(labels) > 10:
        axes.set_xticks(labels[:: max(1, len(labels) // 8)])
    axes.tick_params(axis="x", labelsize="small")


def cases_by_state(report: dict[str, Any], figure: Any) -> None:
    axes = figure.subplots()
    states = list(STATE_COLOURS)
    values = [report["cases"]["by_state"].get(state, 0) for state in states]
    axes.bar(states, values, color=[STATE_COLOURS[s] for s in states])
    axes.set_title("Cases opened in the period, by state now")
    _whole_numbers(axes)


def time_to_claim(minutes: list[float], figure: Any) -> None:
    axes = figure.subplots()
    if minutes:
        axes.hist(minutes, bins=min(20, max(5, len(minutes))), color="#1565c0")
        _whole_numbers(axes)
    else:
        axes.text(0.5, 0.5, "no case claimed in the period", ha="center", va="center")
    axes.set_title("Minutes to claim")
    axes.set_xlabel("minutes")


def top_gaps(report: dict[str, Any], figure: Any) -> None:
    axes = figure.subplots()
    gaps = report["top_gaps"]
    labels = [f"#{n}" for n in range(1, len(gaps) + 1)]
    if gaps:
        axes.barh(labels[::-1], [gap["count"] for gap in gaps][::-1], color="#6a1b9a")
    else:
        axes.text(0.5, 0.5, "no unanswered questions", ha="center", va="center")
    axes.set_title("Top unanswered questions (see the list)")
    _whole_numbers(axes, "x")


_DRAWERS: dict[str, Callable[[Figures, Any], None]] = {
    "outcomes": lambda figures, figure: outcomes_per_day(figures.to_json(), figure),
    "cases": lambda figures, figure: cases_by_state(figures.to_json(), figure),
    "claim": lambda figures, figure: time_to_claim(figures.claim_minutes, figure),
    "gaps": lambda figures, figure: top_gaps(figures.to_json(), figure),
}
CHARTS = tuple(_DRAWERS)


def draw(name: str, figures: Figures, *, fmt: str = "svg") -> bytes:
    """One chart (``outcomes``, ``cases``, ``claim`` or ``gaps``) as SVG or PNG bytes."""
    figure = _figure()
    _DRAWERS[name](figures, figure)
    return _save(figure, fmt)


def digest_chart(figures: Figures) -> bytes:
    """The weekly digest's one image (PNG): questions per day by outcome."""
    return draw("outcomes", figures, fmt="png")
