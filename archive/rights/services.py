"""The one place that decides where a photo may be used and who may see it (DESIGN rule 1)."""

from datetime import date, timedelta
from typing import NamedTuple

from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.auth.models import Role, User
from archive.extensions import db
from archive.formatting import format_day
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus
from archive.rights.models import ConsentForm, ConsentScope


class Decision(NamedTuple):
    """Whether a use is allowed and, if not, the reason to show a curator."""

    allowed: bool
    reason: str = ""


def consent_covers(form: ConsentForm, scope: ConsentScope, today: date) -> bool:
    """Return whether a signed form grants the scope today (a form expiring today still does)."""
    return form.signed_on is not None and scope in form.scopes and form.last_valid_day() >= today


def has_current_consent(person, today: date | None = None) -> bool:
    """Return whether the person has a signed form, unexpired and unwithdrawn, for any use."""
    today = today or date.today()
    return any(
        consent_covers(form, scope, today) for form in person.consent_forms for scope in form.scopes
    )


def allowed(photo: Photo, scope: ConsentScope, today: date | None = None) -> Decision:
    """Return whether the photo may be used in the scope today, with the reason if not.

    A photo may be used only if it is approved, has a licence, and either shows no
    identifiable people or every person shown holds a current consent for the scope.
    """
    today = today or date.today()
    if photo.status != PhotoStatus.APPROVED:
        return Decision(False, f"the photo is {photo.status.value}, not approved")
    if photo.licence_id is None:
        return Decision(False, "the photo has no licence")
    if photo.no_identifiable_people:
        return Decision(True)
    if not photo.people:
        return Decision(False, "no one shown is named and 'no identifiable people' is not ticked")
    for person in photo.people:
        if not any(consent_covers(form, scope, today) for form in person.consent_forms):
            return Decision(False, _missing_consent_reason(person, scope, today))
    return Decision(True)


def allowed_until(photo: Photo, scope: ConsentScope, today: date | None = None) -> date | None:
    """Return the last day the photo may be used in scope as things stand, None if not today.

    The index stores this, so that expiry takes effect without reindexing; withdrawal
    and every other change reindex the photo through the change queue.
    """
    today = today or date.today()
    if not allowed(photo, scope, today).allowed:
        return None
    if photo.no_identifiable_people:
        return date.max
    return min(
        max(
            form.last_valid_day()
            for form in person.consent_forms
            if consent_covers(form, scope, today)
        )
        for person in photo.people
    )


def _missing_consent_reason(person, scope: ConsentScope, today: date) -> str:
    forms = [form for form in person.consent_forms if scope in form.scopes]
    if not forms:
        return f"{person.name} has no consent covering {scope.label.lower()}"
    if all(form.withdrawn_on is not None and form.withdrawn_on <= today for form in forms):
        return f"{person.name} withdrew consent for {scope.label.lower()}"
    if all(form.expires_on is not None and form.expires_on < today for form in forms):
        latest = max(form.expires_on for form in forms)
        return f"{person.name}'s consent for {scope.label.lower()} expired on {format_day(latest)}"
    return f"{person.name} has no current consent covering {scope.label.lower()}"


# Inside the archive, each role sees what may be used for its work.
_ROLE_SCOPE = {Role.CONTRIBUTOR: ConsentScope.INTERNAL, Role.COMMS: ConsentScope.PRESS}


def can_view(user: User | AnonymousUserMixin | None, photo: Photo) -> bool:
    """Return whether the user may see the photo's page and derivatives.

    Visitors who are not logged in see what may be shown on the public web. A photo
    whose files were erased is there for no one.
    """
    if photo.erased:
        return False
    if user is None or not user.is_authenticated:
        return allowed(photo, ConsentScope.WEB).allowed
    if user.has_role(Role.CURATOR, Role.ADMIN):
        return True
    if photo.uploaded_by_id == user.id and photo.status != PhotoStatus.WITHDRAWN:
        return True
    return allowed(photo, _ROLE_SCOPE[user.role]).allowed


def expiring_consents(days: int = 30, today: date | None = None) -> list[ConsentForm]:
    """Return current consents that expire within `days`, soonest first."""
    today = today or date.today()
    query = (
        select(ConsentForm)
        .where(
            ConsentForm.withdrawn_on.is_(None),
            ConsentForm.person_id.isnot(None),
            ConsentForm.expires_on >= today,
            ConsentForm.expires_on <= today + timedelta(days=days),
        )
        .order_by(ConsentForm.expires_on)
        .options(selectinload(ConsentForm.person))
    )
    return list(db.session.execute(query).scalars())


def blocked_photos(today: date | None = None) -> list[tuple[Photo, dict[ConsentScope, str]]]:
    """Return approved photos that some use is closed to for want of consent, with reasons."""
    today = today or date.today()
    query = (
        select(Photo)
        .where(Photo.status == PhotoStatus.APPROVED, Photo.no_identifiable_people.is_(False))
        .order_by(Photo.id)
        .options(
            selectinload(Photo.people).selectinload(Person.consent_forms),
            selectinload(Photo.derivatives),
        )
    )
    blocked = []
    for photo in db.session.execute(query).scalars():
        reasons = {
            scope: decision.reason
            for scope in ConsentScope
            if not (decision := allowed(photo, scope, today)).allowed
        }
        if reasons:
            blocked.append((photo, reasons))
    return blocked
