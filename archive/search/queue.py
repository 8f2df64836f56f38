"""Logging which photos need reindexing, inside the transaction that changes them.

A flush hook looks at what changed and appends IndexChange rows through the same
connection, so the log commits or rolls back with the data: no change is lost to a
crash between the commit and the index write, and none is logged for a rolled-back one.
"""

from collections.abc import Iterable

from sqlalchemy import event, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from archive.consent.models import ConsentForm
from archive.core.database import take_write_lock
from archive.licences.models import Licence
from archive.people.models import Person, PersonEdi, Term
from archive.photos.models import Derivative, Photo, photo_people, photo_tags
from archive.search.log import CHANNEL
from archive.search.models import IndexChange

# session.info key: set when the session queued changes, so the committer applies them.
QUEUED = "archive_index_queued"


def register() -> None:
    """Install the flush hook (once per process)."""
    if not event.contains(Session, "after_flush", _queue_changes):
        event.listen(Session, "after_flush", _queue_changes)


def _queue_changes(session: Session, _flush_context) -> None:
    changed = list(session.new) + list(session.dirty) + list(session.deleted)
    photo_ids: set[int] = set()
    person_ids: set[int] = set()
    licence_ids: set[int] = set()
    term_ids: set[int] = set()
    for instance in changed:
        if isinstance(instance, Photo):
            photo_ids.add(instance.id)
        elif isinstance(instance, Derivative):
            photo_ids.add(instance.photo_id)
        elif isinstance(instance, Person):
            person_ids.add(instance.id)
        elif isinstance(instance, PersonEdi | ConsentForm) and instance.person_id:
            person_ids.add(instance.person_id)
        elif isinstance(instance, Licence):
            licence_ids.add(instance.id)
        elif isinstance(instance, Term):
            term_ids.add(instance.id)
    if not (photo_ids or person_ids or licence_ids or term_ids):
        return
    connection = session.connection()
    if term_ids:
        person_ids |= set(
            connection.execute(
                select(Person.id).where(
                    Person.job_role_id.in_(term_ids) | Person.department_id.in_(term_ids)
                )
            ).scalars()
        )
        photo_ids |= set(
            connection.execute(
                select(photo_tags.c.photo_id).where(photo_tags.c.term_id.in_(term_ids))
            ).scalars()
        )
    if person_ids:
        photo_ids |= set(
            connection.execute(
                select(photo_people.c.photo_id).where(photo_people.c.person_id.in_(person_ids))
            ).scalars()
        )
    if licence_ids:
        photo_ids |= set(
            connection.execute(select(Photo.id).where(Photo.licence_id.in_(licence_ids))).scalars()
        )
    photo_ids.discard(None)
    if photo_ids:
        log_changes(connection, photo_ids)
        session.info[QUEUED] = True


def log_changes(connection: Connection, photo_ids: Iterable[int]) -> None:
    """Append changes for the photos to the log, in the caller's transaction.

    Under the write lock, so that ids commit in order (log.py), and with a notification
    PostgreSQL delivers to every host's follower when the transaction commits.
    """
    take_write_lock(connection)
    connection.execute(
        insert(IndexChange), [{"photo_id": photo_id} for photo_id in sorted(photo_ids)]
    )
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")
