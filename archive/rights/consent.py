"""Storing signed consent forms and recording what they grant."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

from archive.auth.models import User
from archive.database import write_transaction
from archive.extensions import db
from archive.people.models import Person
from archive.photos.imaging import CONTENT_TYPES, EXTENSIONS, open_image, sha256_of
from archive.photos.ingest import Limits, check_size
from archive.photos.inspection import NotAnImage, RejectedUpload, describe_content, is_pdf
from archive.rights.audit import record_event
from archive.rights.models import ConsentForm, ConsentScope
from archive.storage import get_storage
from archive.storage.models import discard_unreferenced

# Consent forms are scans or PDFs; camera formats such as HEIC are not expected here.
_FORM_IMAGE_FORMATS = ("JPEG", "PNG")


@dataclass(frozen=True)
class CheckedForm:
    """A consent-form file that passed its checks and can be stored."""

    path: Path
    original_filename: str
    sha256: str
    size_bytes: int
    content_type: str
    extension: str


def check_consent_file(path: Path, original_filename: str) -> CheckedForm:
    """Check that a file is a PDF, JPEG or PNG by its content; raise RejectedUpload if not."""
    limits = Limits.from_config(current_app.config)
    size = check_size(path, limits)
    with open(path, "rb") as source:
        head = source.read(1024)
        source.seek(max(0, size - 2048))
        tail = source.read()
    if is_pdf(head):
        if b"%%EOF" not in tail:
            raise RejectedUpload("the PDF is incomplete or damaged (it has no end marker)")
        content_type, extension = "application/pdf", "pdf"
    else:
        try:
            with open_image(path, limits.max_pixels) as image:
                if image.format not in _FORM_IMAGE_FORMATS:
                    raise RejectedUpload("a consent form must be a PDF, JPEG or PNG file")
                image.load()  # decodes the scan: a truncated file fails here
                content_type = CONTENT_TYPES[image.format]
                extension = EXTENSIONS[image.format]
        except NotAnImage:
            raise RejectedUpload(
                f"a consent form must be a PDF, JPEG or PNG file; this is {describe_content(head)}"
            ) from None
        except (OSError, SyntaxError, ValueError) as error:
            raise RejectedUpload(f"the scan is damaged and cannot be read ({error})") from None
    return CheckedForm(
        path=path,
        original_filename=original_filename,
        sha256=sha256_of(path),
        size_bytes=size,
        content_type=content_type,
        extension=extension,
    )


def store_consent_forms(
    checked: list[CheckedForm], *, uploaded_by: User | None, batch_id: str | None
) -> list[ConsentForm]:
    """Store checked consent-form files and their rows, not yet linked to a person."""
    storage = get_storage()
    forms, created = [], []
    try:
        for item in checked:
            key = f"consent/{item.sha256[:2]}/{item.sha256}.{item.extension}"
            if storage.put_file(key, item.path):
                created.append(key)
            forms.append(
                ConsentForm(
                    storage_key=key,
                    sha256=item.sha256,
                    size_bytes=item.size_bytes,
                    content_type=item.content_type,
                    original_filename=item.original_filename,
                    uploaded_by_id=uploaded_by.id if uploaded_by else None,
                    batch_id=batch_id,
                )
            )
        with write_transaction():
            db.session.add_all(forms)
    except BaseException:
        discard_unreferenced(created)
        raise
    return forms


def record_consent(
    form: ConsentForm,
    *,
    person: Person,
    scopes: set[ConsentScope],
    signed_on: date,
    expires_on: date | None,
    recorded_by: User,
) -> ConsentForm:
    """Link a stored form to its person and record what it grants, with an audit event."""
    with write_transaction():
        form.person = person
        form.scopes = scopes
        form.signed_on = signed_on
        form.expires_on = expires_on
        record_event(
            recorded_by,
            "consent.recorded",
            "consent_form",
            form.id,
            f"scopes: {form.scope_codes or 'none'}",
        )
    return form
