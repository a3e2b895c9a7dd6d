"""gunicorn settings for the Procfile's web line (``--config python:helpbot.cli.gunicorn_conf``).

With the web chat on, every gunicorn worker matches messages. Built in each worker, the matcher
(Sudachi's analyses, the entry vectors, the crisis detector) cost about 200 MiB per worker.
:func:`when_ready` runs in gunicorn's master before it forks the workers: it loads the ``faq/``
folder and builds that snapshot once, and each worker whose knowledge version has the same
contents serves that build (``knowledge.snapshot.keep_prebuilt``), so its pages stay shared
between the processes (copy-on-write; ``gc.freeze`` keeps the collector from writing to them).

With the web chat off (the default beside LINE), the master only imports the libraries every
worker imports anyway (``SHARED_MODULES`` and the database driver), so their pages are shared
too; the web process then never builds a matcher. A failure is logged and changes nothing: each
worker builds its own, as before. A version published by another machine that differs from this
folder is also built per worker. A ``kill -HUP`` then re-forks workers from this master, which has
helpbot's code imported: a code upgrade needs a restart (``on_reload`` warns). With
``--reload`` (development) nothing is shared.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Any

# Third-party modules each web worker imports when it creates the app (web chat on or off).
# sqlalchemy.dialects.sqlite on every database: the deliveries table's partial unique index
# names its SQLite condition (``sqlite_where``), so loading the models imports that dialect.
SHARED_MODULES = ("flask", "flask_limiter", "rapidfuzz", "sqlalchemy.orm", "yaml", "urllib3",
                  "alembic.config", "alembic.command", "alembic.script",
                  "sqlalchemy.dialects.sqlite")


def share_matcher(log: Any) -> bool:
    """Build the folder's snapshot in this process for the workers it will fork; True if
    built. Reads the settings as the app does; nothing happens with the web chat off."""
    from helpbot.config import load_settings

    settings = load_settings()
    # What every worker imports anyway, imported once here so its pages are shared; no
    # connection is made before the fork. Measured with `helpbot bench footprint`: about 5 MiB
    # less per worker for Flask, SQLAlchemy and psycopg, and web 166 -> 150 MiB (PostgreSQL)
    # once Alembic (the schema check at start-up, with Mako and Pygments), the rate limiter,
    # YAML, rapidfuzz and urllib3 joined them.
    for module in SHARED_MODULES:
        importlib.import_module(module)
    dialect = settings.database_url.split(":", 1)[0]
    if dialect.startswith("postgres"):
        importlib.import_module("psycopg")
    elif dialect.startswith("sqlite"):
        importlib.import_module("sqlalchemy.dialects.sqlite")
    if not settings.web_chat_enabled:
        return False
    from helpbot.app.services import index_builder
    from helpbot.knowledge.snapshot import keep_prebuilt
    from helpbot.knowledge.store import KnowledgeStore

    store = KnowledgeStore(settings.faq_dir, build_index=index_builder(settings))
    snapshot = store.snapshot()
    keep_prebuilt(snapshot)
    log.info("matcher built before forking the workers (%d entries, version %s): shared",
             len(snapshot.kb.entries), snapshot.content_hash[:12])
    return True


def when_ready(server: Any) -> None:
    """gunicorn hook: in the master, after binding, before the workers are forked."""
    if getattr(server.cfg, "reload", False):
        return  # --reload: workers must import the code themselves, so nothing is shared
    try:
        share_matcher(server.log)
    except Exception as exc:  # never stop the web process over a shared build
        server.log.warning("not sharing the matcher between workers (%s); each builds its own",
                           exc)
        return
    gc.collect()
    gc.freeze()  # what the workers inherit is never touched by their collector


def on_reload(server: Any) -> None:
    """gunicorn hook, on SIGHUP. New workers are forked from this master; when it built the
    matcher, it imported helpbot's code, so they run the code it started with (the FAQ is
    re-read as always). Say so, rather than let a reload look like an upgrade."""
    if "helpbot.app" in sys.modules:
        server.log.warning("reloading: new workers run the code this master started with; "
                           "restart gunicorn (not HUP) to run new code")
