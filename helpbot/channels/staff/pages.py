"""``/staff/report``: the report's numbers and charts (SVG drawn on the server), for staff."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response, current_app, g, render_template, request

from helpbot.channels.staff.access import services, staff_only
from helpbot.errors import ReportError
from helpbot.reports.charts import CHARTS, draw
from helpbot.reports.figures import Figures, compute_figures
from helpbot.reports.period import report_period

blueprint = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates",
                      static_folder="static", static_url_path="/static")
PERIODS = ("7d", "30d")
# An SVG shown as an image runs no script; matplotlib styles its shapes inline.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _zone() -> ZoneInfo:
    staff = services().knowledge.snapshot().kb.staff
    return staff.zone if staff is not None else ZoneInfo("Asia/Tokyo")


# The page and its four charts ask for the same figures within a second: counted once a minute
# (per app: the cache lives in app.extensions).
CACHE = "helpbot_staff_report_cache"
_CACHE_LOCK = threading.Lock()
MAX_CACHED = 16


def _figures() -> Figures:
    app = services()
    since = request.args.get("since", "7d")[:32]
    until = request.args.get("until")
    until = until[:32] if until else None
    now = app.clock()
    key = (since, until, now.replace(second=0, microsecond=0))
    cache: dict[tuple[str, str | None, dt.datetime], Figures] = current_app.extensions[CACHE]
    with _CACHE_LOCK:
        cached = cache.get(key)
    if cached is not None:
        return cached
    period = report_period(since, until, now=now, zone=_zone())
    figures = compute_figures(app.database, period)
    with _CACHE_LOCK:
        if len(cache) >= MAX_CACHED:
            cache.clear()
        cache[key] = figures
    return figures


def _chart_query() -> str:
    return urlencode({k: v[:32] for k, v in request.args.items() if k in ("since", "until")})


@blueprint.get("/report")
@staff_only
def report_page() -> Any:
    try:
        figures = _figures()
    except ReportError as why:
        return render_template("staff_error.html", message=str(why)), 400
    return render_template(
        "staff_report.html", report=figures.to_json(), charts=CHARTS, query=_chart_query(),
        staff=g.staff, periods=PERIODS, since=request.args.get("since", "7d")[:32],
    )


@blueprint.get("/report/charts/<filename>")
@staff_only
def chart(filename: str) -> Response:
    name = filename.removesuffix(".svg")
    if not filename.endswith(".svg") or name not in CHARTS:
        return Response("no such chart\n", status=404, mimetype="text/plain")
    try:
        figures = _figures()
    except ReportError as why:
        return Response(f"{why}\n", status=400, mimetype="text/plain")
    response = Response(draw(name, figures), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


def install_staff_pages(app: Flask) -> None:
    """The report page and the sign-in pages."""
    from helpbot.channels.staff.sign_in import install_sign_in

    app.extensions[CACHE] = {}
    app.register_blueprint(blueprint)
    install_sign_in(app)
