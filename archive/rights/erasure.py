"""Erasing a person: their personal data goes, the fact that it went stays in the audit log."""

from datetime import date

from sqlalchemy import func, select

from archive.auth.models import User
from archive.database import write_transaction
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus
from archive.rights.audit import record_event
from archive.rights.consent import end_consent_links
from archive.storage.models import delete_unreferenced


def erase_person(person: Person, *, by: User, delete_originals: bool) -> int:
    """Erase a person; return how many photos were withdrawn.

    Their name, contact and EDI answers are removed and every consent withdrawn; the
    photos showing them are withdrawn. With `delete_originals` (an admin's explicit
    confirmation) the photo files and signed forms are deleted too, and the photos'
    descriptions cleared; the rows stay, with no file, so that download history still adds
    up. A file another row still refers to (a group consent form, a derivative two photos
    share) stays for that row.
    """
    today = date.today()
    photos = [photo for photo in _photos_of(person) if photo.status != PhotoStatus.WITHDRAWN]
    doomed: list[str] = []
    with write_transaction():
        for form in person.consent_forms:
            if form.withdrawn_on is None:
                form.withdrawn_on = today
            form.withdrawal_reason = ""
            if delete_originals:
                doomed.append(form.storage_key)
                form.storage_key = ""
        for photo in photos:
            photo.status = PhotoStatus.WITHDRAWN
            record_event(by, "photo.withdrawn", "photo", photo.id, "person erased")
        if delete_originals:
            for photo in _photos_of(person):
                doomed += [photo.storage_key, *(d.storage_key for d in photo.derivatives)]
                photo.storage_key = ""
                photo.title = photo.caption = photo.alt_text = ""
                photo.derivatives = []
        person.name = f"Erased person {person.id}"
        person.email = ""
        person.edi = []
        person.erased_at = func.now()
        end_consent_links(person)
        record_event(
            by, "person.erased", "person", person.id, "with originals" if delete_originals else ""
        )
    # Only now that the rows no longer name them: whether a file is still needed is
    # decided by the committed rows, the same rule as after a failed ingest.
    delete_unreferenced(doomed, purpose="while erasing a person")
    return len(photos)


def _photos_of(person: Person) -> list[Photo]:
    return list(db.session.execute(select(Photo).where(Photo.people.contains(person))).scalars())
