"""Finding photos for the pages, and the curator's review decisions."""

from types import EllipsisType

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db
from archive.licences.models import Licence
from archive.people.models import Person, Term
from archive.photos.faces_rule import face_warning
from archive.photos.models import Photo, PhotoStatus
from archive.photos.recrediting import recredit_derivatives
from archive.photos.review_mail import tell_uploader

# Pages show thumbnails, people and licences of many photos: load them in a few queries, not N+1.
_LIST_OPTIONS = (
    selectinload(Photo.derivatives),
    selectinload(Photo.people),
    selectinload(Photo.licence),
)


class ReviewError(Exception):
    """A review decision cannot be made as asked; the message says why."""


class FacesUnchecked(ReviewError):
    """Approval needs the curator's word that they checked the faces found on the photo."""


def uploads_of(user: User) -> list[Photo]:
    """Return the user's own uploads, newest first."""
    query = (
        select(Photo)
        .where(Photo.uploaded_by_id == user.id)
        .order_by(Photo.uploaded_at.desc(), Photo.id.desc())
        .options(*_LIST_OPTIONS)
    )
    return list(db.session.execute(query).scalars())


def photos_of_person(person, status: PhotoStatus | None = None) -> list[Photo]:
    """Return the photos the person is shown in, newest first: all, or those with `status`."""
    query = (
        select(Photo)
        .where(Photo.people.contains(person))
        .order_by(Photo.id.desc())
        .options(*_LIST_OPTIONS)
    )
    if status is not None:
        query = query.where(Photo.status == status)
    return list(db.session.execute(query).scalars())


def photos_in_order(photo_ids: list[int]) -> list[Photo]:
    """Return the photos with these ids in the order given, skipping ids no photo has.

    For search results: the index may name a photo the database no longer has. Loads what
    can_view reads, so checking a page of them takes a handful of queries, not one per photo.
    """
    query = (
        select(Photo)
        .where(Photo.id.in_(photo_ids))
        .options(*_LIST_OPTIONS, selectinload(Photo.people).selectinload(Person.consent_forms))
    )
    by_id = {photo.id: photo for photo in db.session.execute(query).scalars()}
    return [by_id[photo_id] for photo_id in photo_ids if photo_id in by_id]


def review_queue(*where, newest_first: bool = False) -> list[Photo]:
    """Return the photos awaiting review that meet every condition, oldest first unless asked."""
    query = (
        select(Photo)
        .where(Photo.status == PhotoStatus.PENDING, *where)
        .order_by(*_queue_order(newest_first))
        .options(*_LIST_OPTIONS, selectinload(Photo.uploaded_by), selectinload(Photo.faces))
    )
    return list(db.session.execute(query).scalars())


def next_for_review(after: Photo, *where, newest_first: bool = False) -> Photo | None:
    """Return the photo awaiting review that follows `after` in the queue's order, if any."""
    # The time as the database holds it: SQLite compares the text it stored, which a
    # Python datetime sent back (with microseconds added) would not equal.
    decided = aliased(Photo)
    at = select(decided.uploaded_at).where(decided.id == after.id).scalar_subquery()
    later = (Photo.uploaded_at < at) if newest_first else (Photo.uploaded_at > at)
    tied = (Photo.id < after.id) if newest_first else (Photo.id > after.id)
    query = (
        select(Photo)
        .where(Photo.status == PhotoStatus.PENDING, *where)
        .where(or_(later, and_(Photo.uploaded_at == at, tied)))
        .order_by(*_queue_order(newest_first))
        .limit(1)
    )
    return db.session.execute(query).scalar()


def _queue_order(newest_first: bool) -> tuple:
    # Photos uploaded together share a time: the id keeps the order total, so "next" is exact.
    if newest_first:
        return (Photo.uploaded_at.desc(), Photo.id.desc())
    return (Photo.uploaded_at, Photo.id)


def approve(
    photo: Photo,
    curator: User,
    *,
    tag_ids: list[int],
    licence_id: int | None,
    faces_confirmed: bool = False,
) -> Photo:
    """Approve a pending photo with its tags and licence, and record who did it.

    A photo whose faces need checking (faces_rule.face_warning) is approved only with the
    curator's confirmation that they checked them, which is recorded too.
    """
    if photo.status != PhotoStatus.PENDING:
        raise ReviewError(f"this photo is already {photo.status.value}")
    if licence_id is None:
        raise ReviewError("choose a licence before approving")
    warning = face_warning(photo)
    if warning and not faces_confirmed:
        raise FacesUnchecked(
            f"{warning}. Look at the faces on its review page and tick “I have checked the "
            "faces” to approve it"
        )
    with write_transaction():
        _set_tags(photo, tag_ids)
        photo.licence_id = licence_id
        if warning:
            photo.faces_confirmed_by_id = curator.id
            photo.faces_confirmed_at = func.now()
            record_event(curator, "photo.faces_confirmed", "photo", photo.id, warning)
        _decide(photo, curator, PhotoStatus.APPROVED, note="")
    recredit_derivatives(photo)  # the licence chosen decides the credit inside the images
    return photo


def reject(photo: Photo, curator: User, *, reason: str) -> Photo:
    """Reject a pending photo with a reason the contributor will see."""
    if photo.status != PhotoStatus.PENDING:
        raise ReviewError(f"this photo is already {photo.status.value}")
    if not reason.strip():
        raise ReviewError("give a reason for rejecting, so the contributor knows what to fix")
    with write_transaction():
        _decide(photo, curator, PhotoStatus.REJECTED, note=reason.strip())
    return photo


def update_description(
    photo: Photo,
    *,
    title: str,
    caption: str,
    alt_text: str,
    photographer: str,
    language: str,
    event_id: int | EllipsisType | None = ...,
    by: User | None = None,
) -> Photo:
    """Change what the photo is called, how it is described and credited, and in what language.

    Audited. language is a BCP 47 tag, "" when not set. event_id is the event it was taken
    at (None: no event; left out: unchanged). A new photographer means new derivatives
    carrying the new credit.
    """
    credited = photo.photographer
    with write_transaction():
        if event_id is not ...:
            photo.event_id = event_id or None
        photo.language = language
        photo.title = title.strip()
        photo.caption = caption.strip()
        photo.alt_text = alt_text.strip()
        photo.photographer = photographer.strip()
        record_event(by, "photo.edited", "photo", photo.id)
    if photo.photographer != credited:
        recredit_derivatives(photo)
    return photo


def add_tags(photo: Photo, term_ids: list[int], *, by: User) -> list[Term]:
    """Tag the photo with those of the terms it lacks, audited; return the terms added.

    Adding nothing (the photo has them all) changes nothing and records nothing.
    """
    wanted = db.session.execute(select(Term).where(Term.id.in_(term_ids))).scalars()
    added = [term for term in wanted if term not in photo.tags]
    if added:
        with write_transaction():
            photo.tags.extend(added)
            labels = ", ".join(f"{term.vocabulary.label}: {term.label}" for term in added)
            record_event(by, "photo.tags_added", "photo", photo.id, labels)
    return added


def set_licence(photo: Photo, licence: Licence, *, by: User) -> bool:
    """Put the photo under the licence, audited, with the credit in its images rewritten.

    Return False, changing nothing, when it is under that licence already.
    """
    if photo.licence_id == licence.id:
        return False
    with write_transaction():
        photo.licence = licence
        record_event(by, "photo.licence_set", "photo", photo.id, licence.code)
    recredit_derivatives(photo)  # the licence decides the credit and terms inside the images
    return True


def _set_tags(photo: Photo, tag_ids: list[int]) -> None:
    photo.tags = list(db.session.execute(select(Term).where(Term.id.in_(tag_ids))).scalars())


def _decide(photo: Photo, curator: User, status: PhotoStatus, note: str) -> None:
    photo.status = status
    photo.review_note = note
    photo.reviewed_by_id = curator.id
    photo.reviewed_at = func.now()
    record_event(curator, f"photo.{status.value}", "photo", photo.id, note)
    tell_uploader(photo, curator)  # sent only if the decision commits
