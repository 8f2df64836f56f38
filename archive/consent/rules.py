"""The one place that decides where a photo may be used and who may see it (DESIGN rule 1)."""

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from archive.auth.access import Action, Viewer, allows, can, role_of
from archive.auth.models import Role
from archive.consent import minors
from archive.consent.models import PHOTO_USES, ConsentForm, ConsentScope
from archive.core.formatting import format_day
from archive.extensions import db
from archive.people.models import Person
from archive.photos.derivatives import DerivativeKind
from archive.photos.models import Derivative, Photo, PhotoStatus


class Decision(NamedTuple):
    """Whether a use is allowed and, if not, the reason to show a curator."""

    allowed: bool
    reason: str = ""


def consent_covers(form: ConsentForm, scope: ConsentScope, today: date) -> bool:
    """Return whether a signed form grants the scope today (a form expiring today still does)."""
    return (
        form.signed_on is not None
        and scope in form.scopes
        and form.last_valid_day() >= today
        and not minors.minor_refusal(form, scope, today)
    )


def holds_consent(person: Person, scope: ConsentScope, today: date) -> bool:
    """Return whether one of the person's signed forms grants the scope today."""
    return any(consent_covers(form, scope, today) for form in person.consent_forms)


def has_current_consent(person, today: date | None = None) -> bool:
    """Return whether the person has a signed form, unexpired and unwithdrawn, for any use."""
    today = today or date.today()
    return any(
        consent_covers(form, scope, today) for form in person.consent_forms for scope in form.scopes
    )


def current_consent_sql(person_id, today: date):
    """Return an SQL condition true where has_current_consent is, for the person id given."""
    return exists().where(
        ConsentForm.person_id == person_id,
        Person.id == person_id,
        minors.counts_for_a_minor_sql(today),
        ConsentForm.signed_on.is_not(None),
        ConsentForm.scope_codes != "",
        or_(ConsentForm.expires_on.is_(None), ConsentForm.expires_on >= today),
        or_(ConsentForm.withdrawn_on.is_(None), ConsentForm.withdrawn_on > today),
    )


def allowed(photo: Photo, scope: ConsentScope, today: date | None = None) -> Decision:
    """Return whether the photo may be used in the scope today, with the reason if not.

    A photo may be used only if it is approved, has a licence not past its last day, and
    either shows no identifiable people or every person shown holds a current consent for
    the scope.
    The reason names every person who lacks it, so a curator can ask each of them.
    """
    today = today or date.today()
    if photo.status != PhotoStatus.APPROVED:
        return Decision(False, f"the photo is {photo.status.value}, not approved")
    if photo.licence_id is None:
        return Decision(False, "the photo has no licence")
    if _licence_end(photo) < today:
        return Decision(False, f"the photo's licence ended on {format_day(_licence_end(photo))}")
    if photo.no_identifiable_people:
        return Decision(True)
    if not photo.people:
        return Decision(False, "no one shown is named and 'no identifiable people' is not ticked")
    missing = [
        _missing_consent_reason(person, scope, today)
        for person in photo.people
        if not holds_consent(person, scope, today)
    ]
    return Decision(not missing, "; ".join(missing))


def allowed_everywhere(
    photo: Photo, scopes: Iterable[ConsentScope], today: date | None = None
) -> Decision:
    """Return whether the photo may be used in every one of the scopes, with all reasons if not.

    For a showing that takes several consents at once, e.g. a physical exhibition that
    is also published online.
    """
    wanted = set(scopes)
    reasons = [
        decision.reason
        for scope in ConsentScope
        if scope in wanted and not (decision := allowed(photo, scope, today)).allowed
    ]
    # A photo that is not approved fails every scope for the same reason: say it once.
    return Decision(not reasons, "; ".join(dict.fromkeys(reasons)))


def allowed_until(photo: Photo, scope: ConsentScope, today: date | None = None) -> date | None:
    """Return the last day the photo may be used in scope as things stand, None if not today.

    The index stores this, so that expiry takes effect without reindexing; withdrawal
    and every other change reindex the photo through the change queue.
    """
    today = today or date.today()
    if not allowed(photo, scope, today).allowed:
        return None
    if photo.no_identifiable_people:
        return _licence_end(photo)
    return min(
        _licence_end(photo),
        *(
            max(
                minors.last_day(form)
                for form in person.consent_forms
                if consent_covers(form, scope, today)
            )
            for person in photo.people
        ),
    )


def _licence_end(photo: Photo) -> date:
    """Return the last day the photo's licence lets it be used (date.max: no end)."""
    return photo.licence.ends_on or date.max


def _missing_consent_reason(person, scope: ConsentScope, today: date) -> str:
    forms = [form for form in person.consent_forms if scope in form.scopes]
    if not forms:
        return f"{person.name} has no consent covering {scope.label.lower()}"
    if all(form.withdrawn_on is not None and form.withdrawn_on <= today for form in forms):
        return f"{person.name} withdrew consent for {scope.label.lower()}"
    if all(form.expires_on is not None and form.expires_on < today for form in forms):
        latest = max(form.expires_on for form in forms)
        return f"{person.name}'s consent for {scope.label.lower()} expired on {format_day(latest)}"
    refusals = [minors.minor_refusal(form, scope, today) for form in forms]
    if all(refusals):
        return refusals[-1]  # the latest form's, which a curator would look at first
    return f"{person.name} has no current consent covering {scope.label.lower()}"


# What visitors see: what may be shown on the public web.
VISITOR_SCOPE = ConsentScope.WEB
# Inside the archive, each role sees that and what may be used for its work.
_ROLE_SCOPE = {
    Role.CONTRIBUTOR: ConsentScope.INTERNAL,
    Role.COMMS: ConsentScope.PRESS,
}

# Sizes fit for a page. The large file leaves the archive only through the download step
# (licence, credit, a record of who took it and why), or to those reviewing.
PAGE_SIZES = frozenset({DerivativeKind.THUMB, DerivativeKind.DISPLAY})
# A consent link may reach someone other than its person: thumbnails only.
LINK_SIZES = frozenset({DerivativeKind.THUMB})
EVERY_SIZE = frozenset(DerivativeKind)
NO_SIZE: frozenset[DerivativeKind] = frozenset()
# The photos a person's consent link shows them: not a rejected or withdrawn one.
_SHOWN_ON_LINKS = (PhotoStatus.PENDING, PhotoStatus.APPROVED)


def viewer_scopes(role: Role | None) -> frozenset[ConsentScope] | None:
    """Return the uses, any one of which shows a photo to the role on the archive's pages.

    None is a visitor, who gets the public web; a signed-in role gets that too, so that
    logging in never hides a photo. None back means every photo whatever its consent
    (curators and admins, who review them).
    """
    if allows(role, Action.SEE_EVERY_PHOTO):
        return None
    return frozenset({VISITOR_SCOPE, *([_ROLE_SCOPE[role]] if role in _ROLE_SCOPE else [])})


def has_withdrawn(person: Person, today: date | None = None) -> bool:
    """Return whether the person took their consent back: a form withdrawn, none current since.

    A form superseded by a newer answer counts as withdrawn; the newer one keeps it from
    being a withdrawal. An expired consent is no withdrawal.
    """
    today = today or date.today()
    return not has_current_consent(person, today) and any(
        form.state(today) == "withdrawn" for form in person.consent_forms
    )


def servable_sizes(
    photo: Photo,
    viewer: Viewer = None,
    *,
    gallery_scopes: Collection[ConsentScope] | None = None,
    link_person: Person | None = None,
    today: date | None = None,
) -> frozenset[DerivativeKind]:
    """Return the derivative sizes of the photo that may be sent; empty if none may.

    The one answer every route that sends a photo's image (and every page linking one) asks:

    - in a gallery that needs the consents `gallery_scopes` (an exhibition the viewer has
      opened): page sizes, to everyone alike, of a photo they all allow today;
    - on the consent link of `link_person`: thumbnails of their own photos in review or
      approved;
    - on the archive's pages, to `viewer`: every size to curators and admins, and to the
      uploader of their own photo; page sizes of a photo one of their viewer_scopes allows.

    A photo in which someone shown has withdrawn is sent only to curators and admins; one
    whose files were erased, to no one.
    """
    today = today or date.today()
    if photo.erased:
        return NO_SIZE
    if gallery_scopes is not None:
        shown = allowed_everywhere(photo, gallery_scopes, today).allowed
        return PAGE_SIZES if shown else NO_SIZE
    role = role_of(viewer)
    scopes = viewer_scopes(role)
    if scopes is None:
        return EVERY_SIZE
    if is_withdrawn(photo, today):
        return NO_SIZE
    if link_person is not None:
        shown = photo.status in _SHOWN_ON_LINKS and link_person in photo.people
        return LINK_SIZES if shown else NO_SIZE
    if role is not None and photo.uploaded_by_id == viewer.id:
        return EVERY_SIZE  # their own work, in review or not; they hold the original anyway
    shown = any(allowed(photo, scope, today).allowed for scope in scopes)
    return PAGE_SIZES if shown else NO_SIZE


def can_view(user: Viewer, photo: Photo) -> bool:
    """Return whether the user may see the photo's page: whether any size may be sent to them.

    Visitors who are not logged in see what may be shown on the public web. A photo
    whose files were erased is there for no one.
    """
    return bool(servable_sizes(photo, user))


def is_withdrawn(photo: Photo, today: date | None = None) -> bool:
    """Return whether the photo is withdrawn: its person erased, or someone shown withdrew.

    Such a photo is counted nowhere and sent only to curators and admins.
    """
    today = today or date.today()
    return photo.status == PhotoStatus.WITHDRAWN or any(
        has_withdrawn(person, today) for person in photo.people
    )


def expiring_consents(days: int = 30, today: date | None = None) -> list[ConsentForm]:
    """Return current consents that expire within `days`, soonest first.

    Not one that a newer form of the person granting as much outlasts (a paper form recorded
    since, say): nothing ends with it, so there is nothing to renew or to warn of.
    """
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
        .options(selectinload(ConsentForm.person).selectinload(Person.consent_forms))
    )
    return [form for form in db.session.execute(query).scalars() if not _outlasted(form, today)]


def _outlasted(form: ConsentForm, today: date) -> bool:
    """Return whether another current form of the person grants as much for longer."""
    return any(
        other.id != form.id
        and other.state(today) == "valid"
        and other.scopes >= form.scopes
        and other.last_valid_day() > form.last_valid_day()
        for other in form.person.consent_forms
    )


def blocked_photos(today: date | None = None) -> list[tuple[Photo, dict[ConsentScope, str]]]:
    """Return approved photos that some photo use is closed to for want of consent, with reasons."""
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
            for scope in PHOTO_USES
            if not (decision := allowed(photo, scope, today)).allowed
        }
        if reasons:
            blocked.append((photo, reasons))
    return blocked


def visible_derivative(sha256: str, user: Viewer) -> Derivative | None:
    """Return a derivative with this hash, of a photo and a size the user may be sent.

    Two rows may share a hash (a small original's display and large are the same file):
    any one the user may have will do.
    """
    query = select(Derivative).filter_by(sha256=sha256).options(selectinload(Derivative.photo))
    for derivative in db.session.execute(query).scalars():
        if derivative.kind in servable_sizes(derivative.photo, user):
            return derivative
    return None


def may_edit(user: Viewer, photo: Photo) -> bool:
    """Return whether the user may change the photo's description (never one they cannot see)."""
    return can_view(user, photo) and can(user, Action.EDIT_PHOTO, photo)
