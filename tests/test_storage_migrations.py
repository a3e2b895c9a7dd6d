"""The migrations build the schema on SQLite and PostgreSQL, and agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade
from helpbot.storage.models import Base


def test_models_and_migrations_agree(database: Database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrade_is_idempotent_and_builds_every_table(database: Database):
    upgrade(database)  # already at head: a second run changes nothing
    tables = set(inspect(database.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_upgrade_builds_an_empty_sqlite_file_from_nothing(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        upgrade(database)
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.dispose()
