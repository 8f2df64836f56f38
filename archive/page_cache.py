"""Visitors' pages and images, kept between requests until anything in the archive changes.

A public gallery, a visitor's search or a gallery's image is the same for every visitor,
and costs many queries to work out. Each worker process keeps what it sent, keyed by the
content version: a counter that every flush changing a row increments in the same
transaction. So a withdrawal commits, and the next request, in any worker, no longer
matches what was kept. The date is in the key too, since consents expire at midnight.

Only visitors who are not signed in share pages: what a signed-in person sees depends on
who they are.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TypeVar

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from sqlalchemy import event, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.datastructures import Headers

from archive.extensions import db

T = TypeVar("T")

# What one worker keeps at most; the least recently sent pages go first.
BUDGET_BYTES = 64 * 1024 * 1024
# Larger files (a large derivative) are sent from storage each time.
LARGEST_KEPT_BYTES = 512 * 1024
# Small answers kept besides pages (which image of a gallery a URL names, say).
ANSWERS = 4096
# Requests that must be answered by the view: a part of a file.
_UNKEPT_HEADERS = ("Range",)
# A browser asking whether what it has is still current gets a 304 from what was kept.
_CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
_READ_VERSION = "SELECT value FROM content_version WHERE id = 1"


class ContentVersion(db.Model):
    """The one row counting changes to the archive's content."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class _Kept:
    """One app's kept pages (least recently sent first, and their size) and answers."""

    def __init__(self):
        self.pages: OrderedDict[tuple, tuple[bytes, Headers]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.version_reader: _VersionReader | None = None
        self.answers: OrderedDict[tuple, object] = OrderedDict()

    def find(self, key: tuple) -> tuple[bytes, Headers] | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def remember(self, key: tuple, make: Callable[[], object]) -> object:
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key]
        answer = make()
        with self.lock:
            self.answers[key] = answer
            while len(self.answers) > ANSWERS:
                self.answers.popitem(last=False)
        return answer

    def keep(self, key: tuple, body: bytes, headers: Headers) -> None:
        with self.lock:
            if key not in self.pages:
                self.pages[key] = (body, headers)
                self.size += len(body)
            while self.size > BUDGET_BYTES:
                _, (dropped, _) = self.pages.popitem(last=False)
                self.size -= len(dropped)


def init_app(app: Flask) -> None:
    """Keep pages per app, and count every flush that changes a row (once per process)."""
    app.extensions["page_cache"] = _Kept()
    if not event.contains(Session, "after_flush", _count_change):
        event.listen(Session, "after_flush", _count_change)


def _count_change(session: Session, _flush_context) -> None:
    if session.new or session.dirty or session.deleted:
        session.connection().execute(
            update(ContentVersion)
            .where(ContentVersion.id == 1)
            .values(value=ContentVersion.value + 1)
        )


def for_visitors(depends_on: Callable[[], object] = lambda: None):
    """Send visitors a view's successful pages (and small files) from what was kept.

    depends_on names anything else the page reflects that the content version does not
    count (the search index's generation, which follows the database a moment later).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            if current_user.is_authenticated or any(h in request.headers for h in _UNKEPT_HEADERS):
                return view(**kwargs)
            kept = current_app.extensions["page_cache"]
            key = (request.full_path, depends_on(), _content_version(), date.today())
            page = kept.find(key)
            if page is not None:
                response = Response(page[0])
                response.headers = page[1].copy()  # its own: after_request handlers add to it
                revalidating = any(h in request.headers for h in _CONDITIONAL_HEADERS)
                return response.make_conditional(request) if revalidating else response
            response = make_response(view(**kwargs))
            if _fit_to_keep(response):
                response.direct_passthrough = False  # a file is read into memory, once
                kept.keep(key, response.get_data(), response.headers.copy())
            return response

        return wrapper

    return decorator


def remembered(key: tuple, make: Callable[[], T]) -> T:
    """Return make()'s answer for visitors, worked out once per content version and day.

    For what is not kept as a page: a gallery image on S3 is a redirect to a fresh signed
    link each time, but which file it is need not be worked out again. For anyone signed
    in, make() is simply called.
    """
    if current_user.is_authenticated:
        return make()
    kept = current_app.extensions["page_cache"]
    return kept.remember((key, _content_version(), date.today()), make)


def _fit_to_keep(response: Response) -> bool:
    # A page that started a session (a form's CSRF token) belongs to one visitor.
    return (
        response.status_code == 200
        and not session.modified
        and (response.content_length or 0) <= LARGEST_KEPT_BYTES
    )


def _content_version() -> int:
    """Read the content version once per request, on this thread's own connection.

    Once: a gallery image on S3 asks twice (its page is not kept, its file is remembered).
    """
    if "content_version" not in g:
        kept = current_app.extensions["page_cache"]
        if kept.version_reader is None:
            kept.version_reader = _VersionReader(db.engine)
        g.content_version = kept.version_reader.read()
    return g.content_version


class _VersionReader:
    """A connection per thread for reading the content version, kept out of the pool.

    Checking a pooled connection out and back in (with its rollback) cost a kept page
    as much again as everything else it does. These connections read in autocommit, so
    each read sees the latest commit, and they are closed when the engine is disposed.
    """

    def __init__(self, engine):
        self.engine = engine
        self.local = threading.local()
        self.opened = []
        event.listen(engine, "engine_disposed", self._close_all)

    def read(self) -> int:
        connection = self._connection()
        try:
            cursor = connection.cursor()
            cursor.execute(_READ_VERSION)
            (version,) = cursor.fetchone()
            cursor.close()
        except self.engine.dialect.loaded_dbapi.Error:
            self._forget(connection)  # a restarted server, say: the next read connects afresh
            raise
        return version

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            pooled = self.engine.raw_connection()
            connection = pooled.driver_connection
            pooled.detach()
            if hasattr(connection, "autocommit"):
                connection.autocommit = True  # psycopg; the SQLite connections here already are
            self.local.connection = connection
            self.opened.append(connection)
        return connection

    def _forget(self, connection) -> None:
        self.local.connection = None
        self.opened.remove(connection)
        connection.close()

    def _close_all(self, _engine) -> None:
        for connection in self.opened:
            connection.close()
        self.opened = []
        self.local = threading.local()
