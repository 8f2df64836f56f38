"""Database engine set-up and write transactions that behave under several workers."""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import Date, Enum, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from archive.core.signals import many_writes_began, many_writes_ended, write_committed
from archive.extensions import db

_WRITE = "archive_write"


def init_app(app: Flask) -> None:
    """Configure connections for the database engine in use (SQLite or PostgreSQL)."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        elif engine.dialect.name == "postgresql":
            _configure_postgresql(engine, int(app.config["DATABASE_LOCK_TIMEOUT_SECONDS"] * 1000))


class WriteBusy(Exception):
    """A write gave up waiting for another to finish; it was rolled back, nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            "Someone else is saving a change just now, so yours could not be saved. "
            "Nothing of yours was saved: please try again in a moment."
        )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):

        @event.listens_for(engine, "do_connect")
        def _before_connect(_dialect, _record, _args, _params):
            create_private_file(Path(database))

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
        # SQLite's lower() folds only ASCII; PostgreSQL's folds every letter. Python's
        # does too, so case-insensitive matches (e-mail addresses) agree on both engines.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that later writes can fail at once with "database is locked"
        # (the busy timeout cannot help a reader upgrading to writer); writers lock up front.
        immediate = connection.get_execution_options().get(_WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner may read or write, unless it already exists.

    SQLite gives its -wal and -shm files the database file's permissions, so a database
    created this way keeps EDI answers and password hashes from other users of the machine.
    """
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _lower(value):
    """Return the value in lower case, as PostgreSQL's lower() would."""
    return value.lower() if isinstance(value, str) else value


# Any fixed number: the one advisory lock every write transaction takes.
_WRITE_LOCK_KEY = 7_140_001


def _configure_postgresql(engine: Engine, lock_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            # CURRENT_TIMESTAMP defaults are stored in columns without a time zone: make them
            # UTC, as SQLite's are, whatever the server's own time zone.
            cursor.execute("SET TIME ZONE 'UTC'")
            # No statement waits for ever for a lock another host's transaction holds.
            cursor.execute(f"SET lock_timeout = {lock_timeout_ms}")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # The equivalent of SQLite's BEGIN IMMEDIATE: write transactions queue for one
        # transaction-scoped lock (released at commit or rollback), so a writer reads what it
        # will change only after the previous writer committed. Readers are never blocked.
        if connection.get_execution_options().get(_WRITE):
            take_write_lock(connection)


def take_write_lock(connection: Connection) -> None:
    """Make the connection's transaction wait for, then hold, the one write lock.

    For what must commit in the order it was written (the search change log), even from a
    transaction write_transaction did not begin. PostgreSQL grants the lock again to the
    transaction holding it; SQLite's one writer holds its lock until the commit anyway.
    PostgreSQL ends the transaction if it then stays idle too long, releasing the lock.
    """
    # Only what holds the lock is ended when idle: every host's writes wait for it, while
    # a read may rightly stay open for hours (check verifying every stored file).
    if connection.dialect.name == "postgresql":
        idle_ms = int(current_app.config["DATABASE_IDLE_TRANSACTION_TIMEOUT_SECONDS"] * 1000)
        connection.exec_driver_sql(
            f"SELECT set_config('idle_in_transaction_session_timeout', '{idle_ms}', true), "
            f"pg_advisory_xact_lock({_WRITE_LOCK_KEY})"
        )


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block as one write transaction: committed at the end, rolled back on error.

    A read transaction already open in the session (the logged-in user, say) is ended
    first, so the write takes the lock before reading what it will change. On either
    engine, write transactions run one at a time (SQLite: BEGIN IMMEDIATE, which also waits
    for any other writer; PostgreSQL: an advisory lock that only write_transaction takes),
    so what the block reads is not changed by another write transaction before it commits.
    A write that waited too long for another to finish is rolled back and raises WriteBusy.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    try:
        session.connection(execution_options={_WRITE: True})
        yield
        session.commit()
    except OperationalError as error:
        session.rollback()
        if not _lock_wait_timed_out(error):
            raise
        current_app.logger.warning("a write gave up waiting for the write lock: rolled back")
        raise WriteBusy from error
    except BaseException:
        session.rollback()
        raise
    write_committed.send(session)


@contextmanager
def many_writes() -> Iterator[None]:
    """Announce a run of many write transactions, so receivers (search) may batch what follows each.

    For bulk import and batch edits: one index commit per photo would cost more than the write.
    """
    session = db.session()
    many_writes_began.send(session)
    try:
        yield
    finally:
        many_writes_ended.send(session)


def _lock_wait_timed_out(error: OperationalError) -> bool:
    """Return whether the error is a lock wait that ran out (lock_timeout, busy_timeout)."""
    cause = error.orig
    return (
        getattr(cause, "sqlstate", None) == "55P03"  # PostgreSQL's lock_not_available
        or getattr(cause, "sqlite_errorname", None) == "SQLITE_BUSY"
    )


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


def utc_now() -> datetime:
    """Return now as the database keeps times: UTC, without a time zone, on both engines.

    CURRENT_TIMESTAMP defaults are stored so too; compare with this, never a local time.
    """
    return datetime.now(UTC).replace(tzinfo=None)


class NameUse(StrEnum):
    """How a column that may name a person is treated when that person is erased."""

    PROSE = "prose"  # words people typed: the name is replaced by a neutral wording
    FILE_NAME = "file name"  # the same, with no spaces or brackets put into the name
    KEPT = "kept"  # an address or a saved search: left, so nothing breaks, and reported


def may_name_people(use: NameUse = NameUse.PROSE) -> dict[str, NameUse]:
    """Return the column `info` marking a column that may name people (see NameUse)."""
    return {"names_people": use}


def columns_naming_people(model: type) -> dict[str, NameUse]:
    """Return the model's columns marked by may_name_people, by attribute name, in order."""
    return {
        attribute.key: column.info["names_people"]
        for attribute in inspect(model).column_attrs
        for column in attribute.columns[:1]
        if "names_people" in column.info
    }


class years_after(FunctionElement):
    """SQL for the date `years` years after a date column (29 February: 1 March, as in Python).

    The database's own date arithmetic, so that a query can compare a date a row holds
    with an anniversary of another, such as someone's 18th birthday.
    """

    type = Date()
    inherit_cache = True

    def __init__(self, column, years: int):
        self.years = years
        super().__init__(column)


@compiles(years_after, "sqlite")
def _years_after_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+{int(element.years)} years')"


@compiles(years_after, "postgresql")
def _years_after_postgresql(element, compiler, **kw):
    # PostgreSQL's interval arithmetic gives 28 February; the day after 28 February matches
    # SQLite's and Python's 1 March for a birthday on 29 February.
    column = compiler.process(element.clauses, **kw)
    shifted = f"({column} + make_interval(years => {int(element.years)}))"
    return (
        f"CAST(CASE WHEN extract(month from {column}) = 2 AND extract(day from {column}) = 29"
        f" AND extract(day from {shifted}) = 28 THEN {shifted} + interval '1 day'"
        f" ELSE {shifted} END AS DATE)"
    )
