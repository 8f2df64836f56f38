"""Whether people other than admins must sign in through the institution (single sign-on)."""

from archive.auth.access import Action, allows
from archive.auth.models import SiteSetting, User
from archive.auth.oidc_client import oidc_configured
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db

SSO_REQUIRED = "SSO_REQUIRED"


def sso_required_setting() -> bool:
    """Return whether an admin has asked for single sign-on for everyone but admins."""
    setting = db.session.get(SiteSetting, SSO_REQUIRED)
    return setting is not None and setting.value == "yes"


def sso_required() -> bool:
    """Return whether password logins are for admins only now.

    Only while single sign-on is configured: with the provider's settings removed, people
    can log in with their passwords again rather than not at all.
    """
    return oidc_configured() and sso_required_setting()


def may_use_password(user: User) -> bool:
    """Return whether this account may log in with its password, as things are set now."""
    # Admins keep their passwords: the way in when the provider is down or misconfigured.
    return user.has_password and (not sso_required() or allows(user.role, Action.MANAGE_USERS))


def require_sso(required: bool, *, by: User) -> None:
    """Turn the requirement on or off, audited as the admin's change."""
    if required == sso_required_setting():
        return
    with write_transaction():
        setting = db.session.get(SiteSetting, SSO_REQUIRED) or SiteSetting(name=SSO_REQUIRED)
        setting.value = "yes" if required else "no"
        db.session.add(setting)
        record_event(by, "site.sso_required" if required else "site.sso_optional", "site", None)
