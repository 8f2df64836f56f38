"""Replacing a photo's derivative files with new ones: a new credit, a blurred face.

Derivatives are stored under their content hash and may be sent as presigned links or
kept by browsers for a year, so a derivative is never changed in place: the new content
is stored under its own hash, the row is pointed at it in one transaction, and the old
file is deleted once no row names it. Its URL then names nothing (a 404), never the old
picture.
"""

import hashlib
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.photos.credits import Credits
from archive.photos.ingest import derivative_key
from archive.photos.models import Derivative, Photo
from archive.photos.stamping import with_credits
from archive.storage.references import delete_unreferenced
from archive.storage.staging import store_files


class Superseded(Exception):
    """The photo changed meanwhile, so the files made are not its pictures any more."""


def replace_derivatives(
    photo: Photo,
    pictures: Sequence[tuple[Derivative, bytes]],
    credits: Credits,
    *,
    still_current: Callable[[], bool],
    with_rows: Callable[[], None] | None = None,
    purpose: str,
) -> None:
    """Store each derivative's new picture, stamped with the credits, and swap the rows.

    Under the write lock, after the photo is read again, still_current() says whether the
    pictures were made from what the photo is now (else Superseded, and the new files go);
    with_rows() adds the change the new pictures show to the same transaction. Nothing
    is stored when no picture changed and there is no such change. Raises StorageError or
    WriteBusy when the store or the database refuses, leaving everything as it was.
    """
    replaced: list[str] = []
    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir, store_files() as files:
        changes = []
        for derivative, picture in pictures:
            data = with_credits(picture, credits)
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 != derivative.sha256:
                path = Path(workdir) / f"{sha256}.jpg"
                path.write_bytes(data)
                files.put(derivative_key(sha256), path)
                changes.append((derivative, sha256, len(data)))
        if not changes and with_rows is None:
            return
        with files.transaction():
            # Under the write lock: a later change may have committed while files were made.
            db.session.refresh(photo)
            if not still_current():
                raise Superseded  # store_files removes the files made for nothing
            for derivative, sha256, size in changes:
                replaced.append(derivative.storage_key)
                derivative.storage_key = derivative_key(sha256)
                derivative.sha256, derivative.size_bytes = sha256, size
            if with_rows is not None:
                with_rows()
    delete_unreferenced(replaced, purpose=purpose)
