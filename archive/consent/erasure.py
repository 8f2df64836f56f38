"""Erasing a person: their personal data goes, the fact that it went stays in the audit log."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from archive.auth.models import User
from archive.consent.intake import end_consent_links
from archive.consent.redaction import NameRedaction, Redacted, redact_name
from archive.consent.requests import forget_requests
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.signals import person_erased
from archive.extensions import db
from archive.mail.outbox import forget_address
from archive.people.models import Person
from archive.photos.models import PhotoStatus
from archive.photos.services import photos_of_person
from archive.storage.references import delete_unreferenced


@dataclass(frozen=True)
class Erasure:
    """What erasing a person did, for the admin who did it; it never holds the name."""

    person_id: int
    withdrawn: int  # photos withdrawn
    redacted: list[Redacted]  # records whose words or file names named the person
    shared_name_parts: list[str]  # parts of the name left where they stand alone
    index_rebuilt: bool  # False: the search index was busy; its follower rebuilds it soon
    requests_deleted: int  # consent requests sent to them by e-mail
    mail_records_deleted: int  # messages to their address, and its e-mail choices


def erase_person(person: Person, *, by: User, delete_originals: bool) -> Erasure:
    """Erase a person and take their name out of the archive.

    Their name, contact and EDI answers are removed and every consent withdrawn; their
    consent requests, the mail sent to their address and its e-mail choices are deleted; the
    photos showing them are withdrawn. Their name is replaced by a neutral wording
    wherever the archive's own words or file names hold it (see archive.consent.redaction),
    and the search index is rebuilt so that neither its files nor its spelling
    suggestions keep it. With `delete_originals` (an admin's explicit confirmation) the
    photo files and signed forms are deleted too, and the photos' descriptions cleared;
    the rows stay, with no file, so that download history still adds up. A file another
    row still refers to (a group consent form, a derivative two photos share) stays for
    that row.
    """
    today = date.today()
    photos = [photo for photo in photos_of_person(person) if photo.status != PhotoStatus.WITHDRAWN]
    doomed: list[str] = []
    with write_transaction():
        for form in person.consent_forms:
            if form.withdrawn_on is None:
                form.withdrawn_on = today
            form.withdrawal_reason = ""
            form.guardian_name = form.guardian_relationship = form.guardian_contact = ""
            if delete_originals:
                doomed.append(form.storage_key)
                form.storage_key = ""
        for photo in photos:
            photo.status = PhotoStatus.WITHDRAWN
            record_event(by, "photo.withdrawn", "photo", photo.id, "person erased")
        if delete_originals:
            for photo in photos_of_person(person):
                doomed += [photo.storage_key, *(d.storage_key for d in photo.derivatives)]
                photo.storage_key = ""
                photo.title = photo.caption = photo.alt_text = ""
                photo.derivatives = []
        # Before the redaction looks for their name: these rows go, rather than being reported.
        requests_deleted = forget_requests(person)
        mail_records_deleted = forget_address(person.email)
        redaction = NameRedaction(person.name, _other_names(person))
        redacted = redact_name(redaction, by=by)
        person.name = f"Erased person {person.id}"
        person.email = ""
        person.edi = []
        person.born_on, person.under_18 = None, False
        person.erased_at = func.now()
        end_consent_links(person)
        record_event(
            by, "person.erased", "person", person.id, "with originals" if delete_originals else ""
        )
    # Only now that the rows no longer name them: whether a file is still needed is
    # decided by the committed rows, the same rule as after a failed ingest.
    delete_unreferenced(doomed, purpose="while erasing a person")
    # Search subscribes: it rebuilds its index so that no word of theirs stays in its files.
    forgotten = person_erased.send(person.id)
    return Erasure(
        person_id=person.id,
        withdrawn=len(photos),
        redacted=redacted,
        shared_name_parts=redaction.shared_parts,
        index_rebuilt=all(done for _receiver, done in forgotten),
        requests_deleted=requests_deleted,
        mail_records_deleted=mail_records_deleted,
    )


def _other_names(person: Person) -> list[str]:
    """Return the names of everyone else not erased: a part of theirs is not redacted alone."""
    query = select(Person.name).where(Person.id != person.id, Person.erased_at.is_(None))
    return list(db.session.execute(query).scalars())
