"""Turning a photo, as the database has it, into its index document."""

import hashlib
import json
from datetime import date

from archive.consent.public_names import published_texts
from archive.consent.rules import allowed_until
from archive.people.models import Vocabulary
from archive.photos.models import Photo
from archive.search.schema import INDEXED_SCOPES, NEVER, NO_END, day_number, scope_field

# The photos the index holds, as a condition for queries: those with derivatives (an
# erased photo has no files left). Asked of the database, so no derivative is loaded.
INDEXED = Photo.derivatives.any()


def document_for(photo: Photo, today: date | None = None) -> dict:
    """Return the index fields of a photo; the gating function decides the scope fields.

    The same photo in the same state gives the same document in any process, and its
    `fingerprint` field says which: `check` compares it with the database's.
    """
    today = today or date.today()  # once: a document made at midnight has one day
    people = [person for person in photo.people if person.erased_at is None]
    roles = photo.term_labels(Vocabulary.JOB_ROLE)
    departments = photo.term_labels(Vocabulary.DEPARTMENT)
    names = " ".join(person.name for person in people)
    # As published: no minor's name, so a visitor cannot find a child's photo by name (nor
    # see it in a snippet); those who may see the people shown search `people`.
    texts = published_texts(photo, today)
    title = texts.title if photo.title else ""
    document = {
        "id": str(photo.id),
        # The title twice: a word in the title counts for more than one in the caption.
        # Names stay out: only those who may see the people shown search `people`.
        "text": " ".join([title, title, texts.caption, texts.alt_text, *roles, *departments]),
        "title": title,
        "caption": texts.caption,
        "people": names,
        "role": ",".join(roles),
        "department": ",".join(departments),
        "licence": photo.licence.code if photo.licence else "",
        "status": photo.status.value,
    }
    when = photo.taken_at or photo.uploaded_at
    if when is not None:
        document["taken"] = int(when.timestamp())
        document["year"] = when.year
    for scope in INDEXED_SCOPES:
        until = allowed_until(photo, scope, today)
        document[scope_field(scope)] = (
            NEVER if until is None else NO_END if until == date.max else day_number(until)
        )
    for key, values in _edi_values(people).items():
        document[f"edi_{key}"] = ",".join(sorted(values))
    document["fingerprint"] = _fingerprint(document, today)
    return document


def _fingerprint(document: dict, today: date) -> str:
    # The scope fields are the only ones that depend on the day: a consent that has expired
    # since gives 0, not the last day stored, though both mean "not now". So the day goes
    # with the hash, and check makes the document again for that day, never flapping.
    content = json.dumps(document, sort_keys=True).encode()
    return f"{today.isoformat()}:{hashlib.sha256(content).hexdigest()[:16]}"


def fingerprint_day(fingerprint: str) -> date:
    """Return the day the document with this fingerprint was made for."""
    return date.fromisoformat(fingerprint.partition(":")[0])


def _edi_values(people) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {}
    for person in people:
        for answer in person.edi:
            if answer.option is not None:
                values.setdefault(answer.attribute.key, set()).add(answer.option.label)
    return values
