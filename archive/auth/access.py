"""Guarding views by role."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from archive.auth.models import Role

# Who may upload photos: contributors "and above" (comms staff use, not add, photos).
UPLOADERS = (Role.CONTRIBUTOR, Role.CURATOR, Role.ADMIN)
REVIEWERS = (Role.CURATOR, Role.ADMIN)


def role_required(*roles: Role) -> Callable:
    """Let in logged-in users holding one of the roles; others get 403, visitors the login page."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
