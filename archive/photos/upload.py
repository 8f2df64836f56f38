"""Receiving one upload: several photos and the consent forms of the people shown."""

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from archive.auth.models import User
from archive.photos.ingest import IngestOutcome, PhotoDetails, ingest_file
from archive.photos.inspection import RejectedUpload
from archive.rights.consent import CheckedForm, check_consent_file, store_consent_forms
from archive.rights.models import ConsentForm
from archive.rights.services import has_current_consent
from archive.storage import StorageError

MISSING_CONSENT = (
    "missing consent: upload the signed consent form of the people shown, "
    "or tick 'no identifiable people'"
)


@dataclass
class UploadedPhoto:
    """One photo file of an upload, saved to a temporary path, with its details."""

    path: Path
    filename: str
    details: PhotoDetails


@dataclass
class UploadedFile:
    """A consent-form file of an upload, saved to a temporary path."""

    path: Path
    filename: str


@dataclass
class PhotoResult:
    """What became of one photo of an upload."""

    filename: str
    outcome: IngestOutcome | None = None
    error: str = ""


@dataclass
class UploadResult:
    """What became of a whole upload."""

    photos: list[PhotoResult] = field(default_factory=list)
    consent_errors: dict[str, str] = field(default_factory=dict)
    consent_forms: list[ConsentForm] = field(default_factory=list)

    @property
    def stored(self) -> list[PhotoResult]:
        """Return the photos that are now in the archive (new or already there)."""
        return [result for result in self.photos if result.outcome is not None]

    @property
    def failed(self) -> bool:
        """Return whether anything in the upload was refused."""
        return bool(self.consent_errors) or any(result.error for result in self.photos)


def receive_upload(
    photos: list[UploadedPhoto], consent_files: list[UploadedFile], uploaded_by: User
) -> UploadResult:
    """Ingest each photo on its own; store the consent forms if any photo went in.

    A bad consent form refuses the whole upload before anything is stored, since the
    photos may depend on it. A bad photo refuses only itself.
    """
    result = UploadResult()
    checked: list[CheckedForm] = []
    for upload in consent_files:
        try:
            checked.append(check_consent_file(upload.path, upload.filename))
        except RejectedUpload as error:
            result.consent_errors[upload.filename] = str(error)
    if result.consent_errors:
        return result

    batch_id = uuid.uuid4().hex
    for upload in photos:
        upload.details.batch_id = batch_id
        result.photos.append(_receive_photo(upload, uploaded_by, consent_supplied=bool(checked)))
    if checked and result.stored:
        result.consent_forms = store_consent_forms(
            checked, uploaded_by=uploaded_by, batch_id=batch_id
        )
    return result


def _receive_photo(upload: UploadedPhoto, uploaded_by: User, consent_supplied: bool) -> PhotoResult:
    details = upload.details
    if not details.no_identifiable_people:
        if not details.people:
            return PhotoResult(
                upload.filename,
                error="say who is shown in the photo, or tick 'no identifiable people'",
            )
        lacking = [p for p in details.people if p.id is None or not has_current_consent(p)]
        if lacking and not consent_supplied:
            return PhotoResult(upload.filename, error=MISSING_CONSENT)
    try:
        outcome = ingest_file(
            upload.path,
            details,
            original_filename=upload.filename,
            uploaded_by=uploaded_by,
        )
    except RejectedUpload as error:
        return PhotoResult(upload.filename, error=str(error))
    except StorageError:
        current_app.logger.exception("could not store upload %r", upload.filename)
        return PhotoResult(
            upload.filename,
            error="the archive could not store the file just now; nothing was saved, "
            "please try again",
        )
    return PhotoResult(upload.filename, outcome=outcome)
