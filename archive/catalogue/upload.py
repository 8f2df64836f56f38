"""Receiving one upload: several photos and the consent forms of the people shown."""

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from archive.auth.models import User
from archive.consent.intake import (
    CheckedForm,
    check_consent_file,
    discard_consent_forms,
    store_consent_forms,
)
from archive.consent.models import ConsentForm
from archive.consent.rules import has_current_consent
from archive.core.intake import RejectedUpload
from archive.photos.file_boundary import one_file
from archive.photos.ingest import IngestOutcome, PhotoDetails, ingest_file

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
    """Store the consent forms, then ingest each photo on its own.

    A bad consent form refuses the whole upload before anything is stored, since the
    photos may depend on it. The forms are stored before the first photo, so no photo of
    a person is ever in the archive without the form that came with it; when no new photo
    goes in after all, the forms are removed again. A bad photo refuses only itself.
    """
    result = UploadResult()
    checked: list[CheckedForm] = []
    for upload in consent_files:
        try:
            with one_file(upload.filename):
                checked.append(check_consent_file(upload.path, upload.filename))
        except RejectedUpload as error:
            result.consent_errors[upload.filename] = str(error)
    if result.consent_errors:
        return result

    batch_id = uuid.uuid4().hex
    refusals = [_people_rule(upload, bool(checked)) for upload in photos]
    if checked and not all(refusals):
        try:
            with one_file("the consent forms"):
                result.consent_forms = store_consent_forms(
                    checked, uploaded_by=uploaded_by, batch_id=batch_id
                )
        except RejectedUpload as error:
            result.consent_errors.update({form.original_filename: str(error) for form in checked})
            return result
    for upload, error in zip(photos, refusals, strict=True):
        upload.details.batch_id = batch_id
        result.photos.append(
            PhotoResult(upload.filename, error=error) if error else _ingest(upload, uploaded_by)
        )
    # Curators see a form beside the photos of its upload: with no new photo it would be
    # a signed form that nobody ever reviews.
    if result.consent_forms and all(
        r.outcome is None or r.outcome.duplicate for r in result.photos
    ):
        discard_consent_forms(result.consent_forms)
        result.consent_forms = []
    return result


def _people_rule(upload: UploadedPhoto, consent_supplied: bool) -> str:
    """Return why the photo cannot go in as described, or "" if it may."""
    details = upload.details
    if details.no_identifiable_people:
        return ""
    if not details.people:
        return "say who is shown in the photo, or tick 'no identifiable people'"
    lacking = [p for p in details.people if p.id is None or not has_current_consent(p)]
    return MISSING_CONSENT if lacking and not consent_supplied else ""


def _ingest(upload: UploadedPhoto, uploaded_by: User) -> PhotoResult:
    try:
        with one_file(upload.filename):
            outcome = ingest_file(
                upload.path,
                upload.details,
                original_filename=upload.filename,
                uploaded_by=uploaded_by,
            )
    except RejectedUpload as error:
        return PhotoResult(upload.filename, error=str(error))
    return PhotoResult(upload.filename, outcome=outcome)
