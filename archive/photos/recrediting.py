"""Keeping the credit inside a photo's derivatives in step with its photographer and licence.

Derivatives are stored under their content hash and may be sent as presigned links, so
the credit is in their bytes: a changed credit makes new files with new hashes (so no
cache keeps the old ones), and the old files go once no row names them.
"""

import hashlib
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from archive.core.database import WriteBusy
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.licences.models import Licence
from archive.photos.credits import Credits, photo_credits
from archive.photos.ingest import derivative_key
from archive.photos.models import Photo
from archive.photos.stamping import with_credits
from archive.storage import StorageError
from archive.storage.references import delete_unreferenced
from archive.storage.staging import store_files


class _Superseded(Exception):
    """The credit changed again meanwhile: that change writes its own files."""


def recredit_derivatives(photo: Photo) -> None:
    """Rewrite those of the photo's derivatives that lack its current credit, as new files.

    Call after the change committed. A store refusing the new files or a database too busy
    to take them leaves the old credit in place, logged, rather than failing the change.
    """
    credits = _credits(photo)
    replaced = []
    try:
        with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir, store_files() as files:
            changes = []
            for derivative in photo.derivatives:
                with derivative.open() as stored:
                    data = with_credits(stored.read(), credits)
                sha256 = hashlib.sha256(data).hexdigest()
                if sha256 != derivative.sha256:
                    path = Path(workdir) / f"{sha256}.jpg"
                    path.write_bytes(data)
                    files.put(derivative_key(sha256), path)
                    changes.append((derivative, sha256, len(data)))
            if not changes:
                return
            with files.transaction():
                # Under the write lock: a later edit may have committed while files were made.
                db.session.refresh(photo)
                if photo.licence is not None:
                    db.session.refresh(photo.licence)
                if _credits(photo) != credits:
                    raise _Superseded  # store_files removes the files made for nothing
                for derivative, sha256, size in changes:
                    replaced.append(derivative.storage_key)
                    derivative.storage_key = derivative_key(sha256)
                    derivative.sha256, derivative.size_bytes = sha256, size
    except _Superseded:
        return
    except (StorageError, WriteBusy) as error:
        current_app.logger.warning(
            "photo %s keeps its old credit in its derivatives: %s", photo.id, error
        )
        return
    delete_unreferenced(replaced, purpose="after its photo's credit changed")


def _credits(photo: Photo) -> Credits:
    """Return what the photo's derivatives should carry now."""
    return photo_credits(photo.licence, photo.photographer, current_app.config["INSTITUTION"])


def recredit_photos_under(licence: Licence, **_) -> None:
    """Rewrite the derivatives of every photo under the licence (after it was edited)."""
    photos = db.session.execute(select(Photo).filter_by(licence_id=licence.id)).scalars()
    for photo in list(photos):
        recredit_derivatives(photo)
