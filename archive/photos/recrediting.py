"""Keeping the credit inside a photo's derivatives in step with its photographer and licence.

Derivatives are stored under their content hash and may be sent as presigned links, so
the credit is in their bytes: a changed credit makes new files with new hashes (so no
cache keeps the old ones), and the old files go once no row names them.
"""

from flask import current_app
from sqlalchemy import select

from archive.core.database import WriteBusy
from archive.extensions import db
from archive.licences.models import Licence
from archive.photos.credits import Credits, photo_credits
from archive.photos.derivative_swap import Superseded, replace_derivatives
from archive.photos.models import Photo
from archive.storage import StorageError


def recredit_derivatives(photo: Photo) -> None:
    """Rewrite those of the photo's derivatives that lack its current credit, as new files.

    Call after the change committed. A store refusing the new files or a database too busy
    to take them leaves the old credit in place, logged, rather than failing the change.
    """
    credits = current_credits(photo)
    pictures = []
    for derivative in photo.derivatives:
        with derivative.open() as stored:
            pictures.append((derivative, stored.read()))

    try:
        replace_derivatives(
            photo,
            pictures,
            credits,
            # Else the credit changed again meanwhile: that change writes its own files.
            still_current=lambda: credit_unchanged(photo, credits),
            purpose="after its photo's credit changed",
        )
    except Superseded:
        return
    except (StorageError, WriteBusy) as error:
        current_app.logger.warning(
            "photo %s keeps its old credit in its derivatives: %s", photo.id, error
        )


def current_credits(photo: Photo) -> Credits:
    """Return what the photo's derivatives should carry now."""
    return photo_credits(photo.licence, photo.photographer, current_app.config["INSTITUTION"])


def credit_unchanged(photo: Photo, credits: Credits) -> bool:
    """Return whether the photo, just read again under the write lock, still has these credits."""
    if photo.licence is not None:
        db.session.refresh(photo.licence)
    return current_credits(photo) == credits


def recredit_photos_under(licence: Licence, **_) -> None:
    """Rewrite the derivatives of every photo under the licence (after it was edited)."""
    photos = db.session.execute(select(Photo).filter_by(licence_id=licence.id)).scalars()
    for photo in list(photos):
        recredit_derivatives(photo)
