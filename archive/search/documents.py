"""Turning a photo, as the database has it, into its index document."""

from datetime import date

from archive.consent.rules import allowed_until
from archive.people.models import Vocabulary
from archive.photos.models import Photo
from archive.search.schema import INDEXED_SCOPES, NEVER, NO_END, day_number, scope_field

# The photos the index holds, as a condition for queries: those with derivatives (an
# erased photo has no files left). Asked of the database, so no derivative is loaded.
INDEXED = Photo.derivatives.any()


def document_for(photo: Photo, today: date | None = None) -> dict:
    """Return the index fields of a photo; the gating function decides the scope fields."""
    people = [person for person in photo.people if person.erased_at is None]
    roles = {t.label for t in photo.tags if t.vocabulary == Vocabulary.JOB_ROLE}
    roles |= {p.job_role.label for p in people if p.job_role}
    departments = {t.label for t in photo.tags if t.vocabulary == Vocabulary.DEPARTMENT}
    departments |= {p.department.label for p in people if p.department}
    names = " ".join(person.name for person in people)
    document = {
        "id": str(photo.id),
        # The title twice: a word in the title counts for more than one in the caption.
        # Names stay out: only those who may see the people shown search `people`.
        "text": " ".join(
            [photo.title, photo.title, photo.caption, photo.alt_text, *roles, *departments]
        ),
        "title": photo.title,
        "caption": photo.caption,
        "people": names,
        "role": ",".join(sorted(roles)),
        "department": ",".join(sorted(departments)),
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
    return document


def _edi_values(people) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {}
    for person in people:
        for answer in person.edi:
            if answer.option is not None:
                values.setdefault(answer.attribute.key, set()).add(answer.option.label)
    return values
