"""Making an instance ready: its folder, the database schema, default vocabularies, the index."""

from pathlib import Path

from flask import current_app
from flask_migrate import upgrade

from archive.licences.services import ensure_default_licences
from archive.people.edi import ensure_default_attributes
from archive.people.services import ensure_default_terms
from archive.search.index import apply_pending_changes


def initialise() -> tuple[int, int]:
    """Create or migrate the database and add default vocabularies and licences.

    Safe to repeat: return how many vocabulary terms and licences were added (0 and 0 the
    second time).
    """
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade(directory=current_app.extensions["migrate"].directory)
    ensure_default_attributes()
    added = ensure_default_terms(), ensure_default_licences()
    apply_pending_changes()  # creates the index on first run, catches up after an upgrade
    return added
