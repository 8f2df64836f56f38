"""Group consent sheets: one signed sheet for a class or a team, a line of it per person.

Each person's line is a ConsentForm of their own naming the sheet and the sheet's file, so
consent.rules reads it like any other form: withdrawing, renewing or erasing one person
touches their line alone, and a child's line counts only with their parent or guardian
named on it (consent.minors), as on a form of their own.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from archive.auth.models import User
from archive.consent.intake import ConsentError, check_consent_file, form_row, on_disk
from archive.consent.minors import Guardian, minor_refusal
from archive.consent.models import ConsentForm, ConsentScope, ConsentSheet
from archive.consent.rules import consent_covers
from archive.core.audit import record_event
from archive.core.intake import clean_filename
from archive.extensions import db
from archive.people.models import Person
from archive.photos.events import Event
from archive.photos.file_boundary import one_file
from archive.storage.staging import store_files

# The word at the end of a child's line saying their guardian ticked the public web.
WEB_WORD = "web"


class SheetRefused(ConsentError):
    """A sheet that cannot be recorded as given; `field` names the form field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewPerson:
    """Someone on the sheet not yet in the archive: a name, and for a child, who signed."""

    name: str
    guardian: Guardian | None = None


def read_new_people(text: str) -> list[NewPerson]:
    """Read one person a line: "Name", or for a child "Name; guardian; relationship; contact",
    with "; web" after if the guardian ticked public web galleries.

    Raises SheetRefused naming the line when a guardian is given in part.
    """
    people = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [part.strip() for part in line.split(";")]
        if not parts[0]:
            continue
        allows_web = len(parts) == 5 and parts[4].lower() == WEB_WORD
        if len(parts) == 1:
            people.append(NewPerson(parts[0]))
        elif len(parts) in (4, 5) and all(parts[1:4]) and (len(parts) == 4 or allows_web):
            people.append(NewPerson(parts[0], Guardian(*parts[1:4], allows_web=allows_web)))
        else:
            raise SheetRefused(
                f"line {number} (“{line.strip()}”): write a name alone, or the name, the parent "
                "or guardian's name, their relationship and contact separated by semicolons",
                "new_people",
            )
    return people


def record_group_sheet(
    file: Path | BinaryIO,
    filename: str,
    *,
    title: str,
    event: Event | None,
    people: list[Person],
    new_people: list[NewPerson],
    scopes: set[ConsentScope],
    signed_on: date,
    expires_on: date | None,
    by: User | None,
) -> ConsentSheet:
    """Check and store the signed sheet and record a line of it for each person; one audit event.

    New people are added to the archive, a child (a line naming a guardian) flagged under 18.
    Raises SheetRefused, or RejectedUpload for the file, with nothing stored.
    """
    if not people and not new_people:
        raise SheetRefused("choose or name the people the sheet was signed for", "people")
    if not title.strip() and event is None:
        raise SheetRefused(
            "give the sheet a title (e.g. the class or team), or choose its event", "title"
        )
    filename = clean_filename(filename)
    with on_disk(file) as path, one_file(filename):
        checked = check_consent_file(path, filename)
        lines = [(person, None) for person in people] + [
            (Person(name=new.name, under_18=new.guardian is not None), new.guardian)
            for new in new_people
        ]
        with store_files() as files:
            files.put(checked.storage_key, checked.path)
            with files.transaction():
                sheet = ConsentSheet(
                    title=title.strip(), event=event, uploaded_by_id=by.id if by else None
                )
                for person, guardian in lines:
                    line = form_row(checked, uploaded_by=by, person=person, sheet=sheet)
                    line.scopes, line.signed_on, line.expires_on = scopes, signed_on, expires_on
                    if guardian is not None:
                        line.guardian_name = guardian.name
                        line.guardian_relationship = guardian.relationship
                        line.guardian_contact = guardian.contact
                        line.guardian_allows_web = guardian.allows_web
                    db.session.add(line)
                db.session.flush()  # the audit event names the new sheet
                scope_codes = ",".join(sorted(scope.value for scope in scopes)) or "none"
                record_event(
                    by,
                    "consent.sheet_recorded",
                    "consent_sheet",
                    sheet.id,
                    f"{len(lines)} people ({len(new_people)} new), scopes: {scope_codes}",
                )
    return sheet


@dataclass(frozen=True)
class SheetLine:
    """One person's line of a sheet as it stands today: what it grants, and if less, why."""

    form: ConsentForm
    grants: list[ConsentScope]
    why_not: str  # why it grants less than the sheet's uses today, "" if it grants them all


def sheet_lines(sheet: ConsentSheet, today: date) -> list[SheetLine]:
    """Return each person's line of the sheet, judged by the one gating rule."""
    lines = []
    for form in sheet.lines:
        grants = [scope for scope in ConsentScope if scope in form.scopes
                  and consent_covers(form, scope, today)]  # fmt: skip
        state = form.state(today)
        refused = [minor_refusal(form, scope, today) for scope in form.scopes - set(grants)]
        why_not = state if state in ("withdrawn", "expired") else next(filter(None, refused), "")
        lines.append(SheetLine(form, grants, why_not))
    return lines
