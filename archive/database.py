"""Database engine set-up and write transactions that behave under several workers."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum

from flask import Flask
from sqlalchemy import Enum, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from archive.extensions import db

_WRITE = "archive_write"
# Run after every committed write_transaction, e.g. to bring the search index up to date.
_after_write: list[Callable[[Session], None]] = []


def after_write(callback: Callable[[Session], None]) -> None:
    """Call callback(session) after each committed write transaction (registered once)."""
    if callback not in _after_write:
        _after_write.append(callback)


def init_app(app: Flask) -> None:
    """Configure SQLite connections (WAL, busy timeout, foreign keys) when SQLite is used."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        _configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, emit BEGIN, so writers can ask for BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that later writes can fail at once with "database is locked"
        # (the busy timeout cannot help a reader upgrading to writer); writers lock up front.
        immediate = connection.get_execution_options().get(_WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block as one write transaction: committed at the end, rolled back on error.

    A read transaction already open in the session (the logged-in user, say) is ended
    first, so the write takes the database lock before reading what it will change.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={_WRITE: True})
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    for callback in _after_write:
        callback(session)


def enum_column(enum_class: type[StrEnum]) -> Enum:
    """Return a column type storing enum values as strings, with a CHECK constraint."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        name=enum_class.__name__.lower(),
    )
