"""Answering a search only from what the database confirms, on whichever host it arrives.

Before a search, a host compares its cursor with the newest change in the log (one
query on the log's primary key) and catches up first. If it cannot within a moment (the
index is busy, or far behind), the photos changed since its cursor are left out of the
answer — totals, facets, snippets and suggestions alike — until the index has them: so a
withdrawal recorded on any host is in no number on any host from the next request on.
"""

from flask import current_app

from archive.extensions import db
from archive.search import log
from archive.search.index import apply_pending_changes, searched_through

# What a search may spend catching up, on top of its own time.
CATCH_UP_SECONDS = 0.5


def unconfirmed_photos() -> set[int] | None:
    """Catch the index up if that is quick; return the photos it may still have wrong.

    An empty set: the index holds every change. None: what the index holds is not known
    (a new host's index still being built), so nothing in it is confirmed.
    """
    newest = log.newest_change()
    through = searched_through()
    if through is not None and through >= newest:
        return set()
    try:
        apply_pending_changes(budget=CATCH_UP_SECONDS)
    except Exception:  # a failing index must not fail the search: it answers without it
        current_app.logger.exception("search index could not catch up; leaving changed photos out")
        db.session.rollback()
    through = searched_through()
    if through is None or through < log.pruned_through():
        return None
    return log.photos_changed_after(through)
