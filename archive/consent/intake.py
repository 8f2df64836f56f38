"""Storing signed consent forms and recording what they grant."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from archive.auth.models import User
from archive.consent.form_files import PdfLimits, check_form_pdf, check_form_scan, looks_like_pdf
from archive.consent.minors import Guardian
from archive.consent.models import ConsentForm, ConsentScope
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.intake import check_size, clean_filename, sha256_of
from archive.core.signals import consent_withdrawn
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.people.models import Person
from archive.photos.analysis import Limits
from archive.photos.file_boundary import one_file
from archive.photos.models import Photo, PhotoStatus
from archive.photos.services import photos_of_person
from archive.storage.references import delete_unreferenced
from archive.storage.staging import store_files


@dataclass(frozen=True)
class CheckedForm:
    """A consent-form file that passed its checks and can be stored."""

    path: Path
    original_filename: str
    sha256: str
    size_bytes: int
    content_type: str
    extension: str

    @property
    def storage_key(self) -> str:
        """Return the content-addressed key the file is stored under."""
        return f"consent/{self.sha256[:2]}/{self.sha256}.{self.extension}"


def check_consent_file(path: Path, original_filename: str) -> CheckedForm:
    """Check that a file is a safe PDF, JPEG or PNG by its content; raise RejectedUpload if not."""
    config = current_app.config
    limits = Limits.from_config(config)
    size = check_size(path, limits.max_bytes)
    with open(path, "rb") as source:
        head = source.read(1024)
    if looks_like_pdf(head):
        check_form_pdf(path, PdfLimits.from_config(config))
        content_type, extension = "application/pdf", "pdf"
    else:
        content_type, extension = check_form_scan(path, limits, upload_tmp_root())
    return CheckedForm(
        path=path,
        original_filename=original_filename,
        sha256=sha256_of(path),
        size_bytes=size,
        content_type=content_type,
        extension=extension,
    )


def store_consent_forms(
    checked: list[CheckedForm],
    *,
    uploaded_by: User | None,
    batch_id: str | None,
    source: str = "upload",
) -> list[ConsentForm]:
    """Store checked consent-form files and their rows, not yet linked to a person."""
    forms = []
    with store_files() as files:
        for item in checked:
            files.put(item.storage_key, item.path)
            forms.append(form_row(item, uploaded_by=uploaded_by, batch_id=batch_id, source=source))
        with files.transaction():
            db.session.add_all(forms)
    return forms


def form_row(item: CheckedForm, *, uploaded_by: User | None, **columns) -> ConsentForm:
    """Return a new ConsentForm naming the checked file (stored under item.storage_key)."""
    return ConsentForm(
        storage_key=item.storage_key,
        sha256=item.sha256,
        size_bytes=item.size_bytes,
        content_type=item.content_type,
        original_filename=item.original_filename,
        uploaded_by_id=uploaded_by.id if uploaded_by else None,
        **columns,
    )


def add_signed_form(
    person: Person,
    file: Path | BinaryIO,
    filename: str,
    *,
    scopes: set[ConsentScope],
    signed_on: date,
    expires_on: date | None,
    by: User | None,
    source: str = "upload",
    guardian: Guardian | None = None,
) -> ConsentForm:
    """Check, store and record one signed consent form of the person (audited).

    `file` is a path or a readable binary stream, such as an uploaded file. Raises
    RejectedUpload, with nothing stored, when the file is refused or cannot be stored.
    """
    filename = clean_filename(filename)
    with on_disk(file) as path, one_file(filename):
        checked = check_consent_file(path, filename)
        [form] = store_consent_forms([checked], uploaded_by=by, batch_id=None, source=source)
    return record_consent(
        form,
        person=person,
        scopes=scopes,
        signed_on=signed_on,
        expires_on=expires_on,
        recorded_by=by,
        guardian=guardian,
    )


@contextmanager
def on_disk(file: Path | BinaryIO) -> Iterator[Path]:
    """Yield a path to the file: its own, or a spooled copy of a stream, removed afterwards."""
    if isinstance(file, Path):
        yield file
        return
    # The checks read the file more than once and by name (PDF and image parsers).
    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
        path = Path(workdir) / "form"
        with open(path, "wb") as copy:
            shutil.copyfileobj(file, copy)
        yield path


def discard_consent_forms(forms: list[ConsentForm]) -> None:
    """Remove stored forms that nothing came to depend on, rows and files both."""
    with write_transaction():
        for form in forms:
            db.session.delete(form)
    delete_unreferenced([form.storage_key for form in forms], purpose="after an abandoned upload")


def record_consent(
    form: ConsentForm,
    *,
    person: Person,
    scopes: set[ConsentScope],
    signed_on: date,
    expires_on: date | None,
    recorded_by: User | None,
    guardian: Guardian | None = None,
) -> ConsentForm:
    """Link a stored form to its person and record what it grants, with an audit event.

    `guardian` is the parent or guardian who signed for a person under 18 (consent.minors).
    """
    with write_transaction():
        form.person = person
        form.scopes = scopes
        form.signed_on = signed_on
        form.expires_on = expires_on
        if guardian is not None:
            form.guardian_name = guardian.name.strip()
            form.guardian_relationship = guardian.relationship.strip()
            form.guardian_contact = guardian.contact.strip()
            form.guardian_allows_web = guardian.allows_web
        record_event(
            recorded_by,
            "consent.recorded",
            "consent_form",
            form.id,
            f"scopes: {form.scope_codes or 'none'}",
        )
    return form


class ConsentError(Exception):
    """A consent cannot be changed as asked; the message says why."""


def withdraw_consent(
    form: ConsentForm, *, by: User | None, on: date, reason: str = "", superseded: bool = False
) -> list[Photo]:
    """Withdraw a consent from the given day; return the approved photos it affects.

    Nothing is deleted: the gating function stops every use from `on` onwards, and the
    audit log records that it happened (the reason stays on the form, not in the log).
    The person's consent links stop working too, so none can give the consent again,
    unless the form is merely superseded by a newer answer given through their link.
    """
    if form.withdrawn_on is not None:
        raise ConsentError("this consent is already withdrawn")
    with write_transaction():
        form.withdrawn_on = on
        form.withdrawal_reason = reason.strip()
        if form.person and not superseded:
            end_consent_links(form.person)
        # Autoflush shows the withdrawal to the receivers' queries before it commits.
        effects = [said for _receiver, said in consent_withdrawn.send(form, on=on) if said]
        record_event(by, "consent.withdrawn", "consent_form", form.id, " ".join(effects))
    return photos_of_person(form.person, PhotoStatus.APPROVED) if form.person else []


def end_consent_links(person: Person) -> None:
    """Make every consent link issued to the person so far unusable (inside a write transaction)."""
    person.consent_link_version += 1


def renew_consent(
    form: ConsentForm, *, expires_on: date | None, by: User, today: date | None = None
) -> ConsentForm:
    """Extend (or remove) the expiry of a consent that has not been withdrawn.

    Raises ConsentError for a withdrawn consent or a new expiry date already past.
    """
    if form.withdrawn_on is not None:
        raise ConsentError("a withdrawn consent cannot be renewed; record a new form instead")
    if expires_on is not None and expires_on < (today or date.today()):
        raise ConsentError("the new expiry date is in the past")
    with write_transaction():
        form.expires_on = expires_on
        record_event(by, "consent.renewed", "consent_form", form.id)
    return form


def consent_forms_of_batch(photo: Photo) -> list[ConsentForm]:
    """Return the consent forms uploaded together with the photo."""
    if photo.batch_id is None:
        return []
    query = select(ConsentForm).filter_by(batch_id=photo.batch_id).order_by(ConsentForm.id)
    return list(db.session.execute(query).scalars())
