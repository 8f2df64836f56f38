"""The access policy: what each role may do, declared once, and the checks that read it."""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Protocol

from flask import abort
from flask_login import AnonymousUserMixin, current_user, login_required

from archive.auth.models import Role, User


class Action(StrEnum):
    """Something a person does in the archive that not everyone may."""

    UPLOAD = "upload"  # add photos and follow them through review
    EDIT_PHOTO = "edit_photo"  # change a photo's title, caption, alt text and credit
    REVIEW = "review"  # approve or reject uploads, seeing who is shown and where it may go
    SEE_EVERY_PHOTO = "see_every_photo"  # every photo and size, whatever its consent
    SEARCH_PEOPLE = "search_people"  # search by the names and EDI answers of those shown
    MANAGE_PEOPLE = "manage_people"  # the records of the people shown
    RECORD_CONSENT = "record_consent"  # consent forms and links: record, renew, withdraw
    MANAGE_EVENTS = "manage_events"  # events, their notices, and who in their photos consented
    ERASE_PERSON = "erase_person"
    MANAGE_EDI_QUESTIONS = "manage_edi_questions"
    CURATE_EXHIBITIONS = "curate_exhibitions"  # build them, and preview drafts
    BATCH_EDIT = "batch_edit"  # tag, license, exhibit or approve many search results at once
    SEE_REPORTS = "see_reports"
    DOWNLOAD = "download"  # take a photo out of the archive, with its credit and licence
    SEE_DOWNLOADS_OF_PHOTO = "see_downloads_of_photo"  # who took a photo out, and why
    SEE_GPS = "see_gps"  # where a photo was taken
    MANAGE_USERS = "manage_users"
    MANAGE_LICENCES = "manage_licences"
    SEE_AUDIT = "see_audit"
    SEE_MAIL_LOG = "see_mail_log"  # every message sent or failing, to whom, and why it failed
    CHANGE_PASSWORD = "change_password"  # noqa: S105 - the name of an action, no secret
    CHOOSE_MAIL = "choose_mail"  # which optional e-mail one's own address receives


_CURATOR = frozenset(
    {
        Action.UPLOAD,
        Action.EDIT_PHOTO,
        Action.REVIEW,
        Action.SEE_EVERY_PHOTO,
        Action.SEARCH_PEOPLE,
        Action.MANAGE_PEOPLE,
        Action.RECORD_CONSENT,
        Action.MANAGE_EVENTS,
        Action.CURATE_EXHIBITIONS,
        Action.BATCH_EDIT,
        Action.SEE_REPORTS,
        Action.DOWNLOAD,
        Action.CHANGE_PASSWORD,
        Action.CHOOSE_MAIL,
    }
)

# The one table of who may do what (None: a visitor who has not logged in). Which photos
# each may see for their consent is a consent rule: consent.rules.viewer_scopes.
CAPABILITIES: dict[Role | None, frozenset[Action]] = {
    None: frozenset(),
    # Contributors edit only their own uploads, while in review: see OBJECT_RULES.
    Role.CONTRIBUTOR: frozenset(
        {Action.UPLOAD, Action.EDIT_PHOTO, Action.CHANGE_PASSWORD, Action.CHOOSE_MAIL}
    ),
    # Comms staff use photos, they do not add them.
    Role.COMMS: frozenset({Action.DOWNLOAD, Action.CHANGE_PASSWORD, Action.CHOOSE_MAIL}),
    Role.CURATOR: _CURATOR,
    Role.ADMIN: _CURATOR
    | {
        Action.ERASE_PERSON,
        Action.MANAGE_EDI_QUESTIONS,
        Action.SEE_DOWNLOADS_OF_PHOTO,
        Action.SEE_GPS,
        Action.MANAGE_USERS,
        Action.MANAGE_LICENCES,
        Action.SEE_AUDIT,
        Action.SEE_MAIL_LOG,
    },
}


class Upload(Protocol):
    """An uploaded object as the ownership rules see it (a photo)."""

    uploaded_by_id: int | None

    @property
    def awaiting_review(self) -> bool:
        """Return whether it is still waiting for a curator."""
        ...


def _their_upload_in_review(user: User, upload: Upload) -> bool:
    return upload.uploaded_by_id == user.id and upload.awaiting_review


# Actions a role holds on some objects only: (role, action) -> whether this object is one.
OBJECT_RULES: dict[tuple[Role, Action], Callable[[User, Upload], bool]] = {
    (Role.CONTRIBUTOR, Action.EDIT_PHOTO): _their_upload_in_review,
}

Viewer = User | AnonymousUserMixin | None


def role_of(user: Viewer) -> Role | None:
    """Return the user's role; None for a visitor who has not logged in."""
    return user.role if user is not None and user.is_authenticated else None


def allows(role: Role | None, action: Action | str) -> bool:
    """Return whether the role (None: a visitor) may do the action, to some object at least.

    Raises ValueError for a name that is no action, so that a typo fails at once.
    """
    action = Action(action)
    # Signing in never takes away what a visitor may do.
    return action in CAPABILITIES[None] or action in CAPABILITIES.get(role, frozenset())


def can(user: Viewer, action: Action | str, obj: Upload | None = None) -> bool:
    """Return whether the user may do the action, to obj when given.

    Without obj, an action a role holds on some objects only (OBJECT_RULES) is allowed:
    that answers a page's guard, and the page then asks about its object. Which photos
    the user may see is consent's answer (consent.rules), not this one.
    Raises ValueError for a name that is no action.
    """
    role = role_of(user)
    if not allows(role, action):
        return False
    rule = OBJECT_RULES.get((role, Action(action)))
    return rule is None or obj is None or rule(user, obj)


def action_required(action: Action) -> Callable:
    """Let in logged-in users who may do the action; others get 403, visitors the login page."""
    action = Action(action)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
