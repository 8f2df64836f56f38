"""The ingest pipeline: one file in, one photo with its derivatives out, or nothing at all.

The web form, `flask import` and the demo all come through here. The work is split in
two so that bulk import can run the first half in worker processes:

- analyse() (in analysis.py): check, hash, read EXIF and write derivatives to a working
  folder (no DB);
- store_photo(): put the files in storage, then the rows in one transaction.

Any failure leaves no row and no newly stored file behind.
"""

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.auth.models import User
from archive.core.intake import sha256_of
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.licences.models import Licence
from archive.people.models import Person
from archive.photos.analysis import Analysis, Limits, analyse
from archive.photos.credits import photo_credits
from archive.photos.imaging import CONTENT_TYPES, EXTENSIONS
from archive.photos.models import Derivative, Photo, face_boxes
from archive.photos.stamping import with_credits
from archive.storage.staging import store_files


@dataclass
class PhotoDetails:
    """What the person uploading says about a photo."""

    title: str = ""
    caption: str = ""
    alt_text: str = ""
    language: str = ""  # the BCP 47 tag of the title's, caption's and alt text's language
    photographer: str = ""
    licence_id: int | None = None
    people: Sequence[Person] = field(default_factory=list)
    no_identifiable_people: bool = False
    batch_id: str | None = None


@dataclass(frozen=True)
class IngestOutcome:
    """The photo a file became, and whether it was already in the archive."""

    photo: Photo
    duplicate: bool
    notes: tuple[str, ...] = ()


def find_photo_by_hash(sha256: str) -> Photo | None:
    """Return the photo with this content, if the archive has it."""
    return db.session.execute(select(Photo).filter_by(sha256=sha256)).scalar_one_or_none()


def ingest_file(
    path: Path,
    details: PhotoDetails,
    *,
    original_filename: str,
    uploaded_by: User | None,
) -> IngestOutcome:
    """Ingest one file in this process: the whole pipeline, all or nothing."""
    sha256 = sha256_of(path)
    existing = find_photo_by_hash(sha256)
    if existing is not None:
        return IngestOutcome(existing, duplicate=True)
    limits = Limits.from_config(current_app.config)
    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
        analysis = analyse(path, Path(workdir), limits, sha256=sha256)
        return store_photo(
            analysis,
            details,
            original_filename=original_filename,
            uploaded_by=uploaded_by,
        )


def store_photo(
    analysis: Analysis,
    details: PhotoDetails,
    *,
    original_filename: str,
    uploaded_by: User | None,
) -> IngestOutcome:
    """Store the original and derivatives, then write the rows; undo the files on failure.

    The derivatives are stored with the photo's credit and rights in them (recrediting.py).
    """
    licence = db.session.get(Licence, details.licence_id) if details.licence_id else None
    credits = photo_credits(
        licence, details.photographer.strip(), current_app.config["INSTITUTION"]
    )
    original_key = f"originals/{analysis.sha256[:2]}/{analysis.sha256}"
    original_key += f".{EXTENSIONS[analysis.format]}"
    try:
        with store_files() as files:
            files.put(original_key, analysis.source)
            derivatives = []
            for made in analysis.derivatives:
                made.path.write_bytes(with_credits(made.path.read_bytes(), credits))
                sha256 = sha256_of(made.path)
                key = derivative_key(sha256)
                files.put(key, made.path)
                derivatives.append(
                    Derivative(
                        kind=made.kind,
                        width=made.width,
                        height=made.height,
                        storage_key=key,
                        sha256=sha256,
                        size_bytes=made.path.stat().st_size,
                        content_type="image/jpeg",
                    )
                )
            photo = _new_photo(analysis, details, original_key, original_filename, uploaded_by)
            photo.derivatives = derivatives
            photo.faces = face_boxes(analysis.faces)
            with files.transaction():
                db.session.add(photo)
    except IntegrityError:
        # The same file was ingested by someone else a moment ago: theirs is the photo.
        return IngestOutcome(find_photo_by_hash(analysis.sha256), duplicate=True)
    return IngestOutcome(photo, duplicate=False, notes=analysis.notes)


def derivative_key(sha256: str) -> str:
    """Return the storage key of a derivative JPEG with this content hash."""
    return f"derivatives/{sha256[:2]}/{sha256}.jpg"


def _new_photo(
    analysis: Analysis,
    details: PhotoDetails,
    original_key: str,
    original_filename: str,
    uploaded_by: User | None,
) -> Photo:
    exif = analysis.exif
    return Photo(
        sha256=analysis.sha256,
        storage_key=original_key,
        size_bytes=analysis.size_bytes,
        content_type=CONTENT_TYPES[analysis.format],
        original_filename=original_filename,
        format=analysis.format,
        width=analysis.width,
        height=analysis.height,
        taken_at=exif.taken_at,
        camera_make=exif.camera_make,
        camera_model=exif.camera_model,
        lens=exif.lens,
        orientation=exif.orientation,
        gps_latitude=exif.gps_latitude,
        gps_longitude=exif.gps_longitude,
        title=details.title.strip(),
        caption=details.caption.strip(),
        alt_text=details.alt_text.strip(),
        language=details.language,
        photographer=details.photographer.strip(),
        licence_id=details.licence_id,
        people=list(details.people),
        no_identifiable_people=details.no_identifiable_people,
        batch_id=details.batch_id,
        uploaded_by=uploaded_by,
        faces_checked=True,
    )
