"""What visitors are shown, kept between requests until anything in the archive changes.

A public gallery, a visitor's search or the check that an image belongs to a gallery is
the same for every visitor, and costs many queries to work out. Each worker process keeps
the answers, keyed by the content version: a counter that every flush changing a row
increments in the same transaction. So a withdrawal commits, and the next request, in any
worker, no longer matches what was kept. The date is in the key too, since consents
expire at midnight.

Only visitors who are not signed in share answers: what a signed-in person sees depends
on who they are.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TypeVar

from flask import Flask, Response, current_app, make_response, request, session
from flask_login import current_user
from sqlalchemy import event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.extensions import db

T = TypeVar("T")
# Answers kept per process; the oldest go first.
CAPACITY = 512


class ContentVersion(db.Model):
    """The one row counting changes to the archive's content."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class _Kept:
    """One app's kept answers, the oldest first."""

    def __init__(self):
        self.answers: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Keep answers per app, and count every flush that changes a row (once per process)."""
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


_MISSING = object()
_READ_VERSION = "SELECT value FROM content_version WHERE id = 1"


def remembered(key: tuple, make: Callable[[], T]) -> T:
    """Return make()'s answer for key, worked out once per content version and day.

    For anyone signed in, make() is simply called: their answers are never shared.
    """
    if current_user.is_authenticated:
        return make()
    full_key = _versioned(key)
    answer = _find(full_key)
    if answer is _MISSING:
        answer = make()
        _keep(full_key, answer)
    return answer


def for_visitors(depends_on: Callable[[], object] = lambda: None):
    """Serve a view's successful pages to visitors from what was kept.

    depends_on names anything else the page reflects that the content version does not
    count (the search index's generation, which follows the database a moment later).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            if current_user.is_authenticated:
                return view(**kwargs)
            full_key = _versioned(("page", request.full_path, depends_on()))
            page = _find(full_key)
            if page is not _MISSING:
                return Response(*page)
            response = make_response(view(**kwargs))
            # A page that started a session (a form's CSRF token) belongs to one visitor.
            fit = response.status_code == 200 and not response.direct_passthrough
            if fit and not session.modified:
                _keep(full_key, (response.get_data(), 200, list(response.headers.items())))
            return response

        return wrapper

    return decorator


def _versioned(key: tuple) -> tuple:
    # One statement on a pooled connection, outside the request's ORM session: a kept
    # page then costs no session, no transaction and no other query.
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(_READ_VERSION)
        (version,) = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()
    return (key, version, date.today())


def _find(full_key: tuple):
    kept = current_app.extensions["page_cache"]
    with kept.lock:
        answer = kept.answers.get(full_key, _MISSING)
        if answer is not _MISSING:
            kept.answers.move_to_end(full_key)
        return answer


def _keep(full_key: tuple, answer) -> None:
    kept = current_app.extensions["page_cache"]
    with kept.lock:
        kept.answers[full_key] = answer
        while len(kept.answers) > CAPACITY:
            kept.answers.popitem(last=False)
