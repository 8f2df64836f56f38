"""Accounts of people who sign in through the institution's OpenID Connect provider."""

from flask import current_app
from sqlalchemy import select

from archive.auth.models import Role, User
from archive.auth.services import AccountError, find_user_by_email
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db


def account_for_claims(issuer: str, claims: dict) -> User:
    """Return the account for a verified ID token's claims, made or updated to match them.

    Found by issuer and `sub`, never by e-mail alone. A first sign-in takes over the local
    account with the same address only when the provider says it checked the address
    (email_verified); otherwise it makes a new account: contributor, or the role the
    person's groups give. Later sign-ins update name and e-mail, and the role as the
    mapping says (see OIDC_ROLE_MAPPING_OVERRIDES_ADMIN). Raise AccountError (with a
    sentence for the person) for a disabled account or claims the archive cannot use.
    """
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip()
    if not subject or "@" not in email:
        raise AccountError(
            "the institution's sign-in did not tell the archive your e-mail address; "
            "ask its administrators to release the email scope to the archive"
        )
    with write_transaction():
        user = _known_account(issuer, subject) or _first_sign_in(issuer, subject, email, claims)
        if not user.active:
            raise AccountError("this account is disabled: ask an admin of the archive")
        _update_from_claims(user, email, claims)
    return user


def _known_account(issuer: str, subject: str) -> User | None:
    query = select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    return db.session.execute(query).scalar_one_or_none()


def _first_sign_in(issuer: str, subject: str, email: str, claims: dict) -> User:
    """Link the local account with this address, or make one; audit which."""
    user = find_user_by_email(email)
    if user is not None:
        # Anyone can type any address into an account at some providers: only an address
        # the provider has checked belongs to the person, so only that may take over the
        # archive account (and its role) that has it.
        if claims.get("email_verified") is not True or user.oidc_subject is not None:
            raise AccountError(
                f"there is already an account for {email} in the archive, and the "
                "institution's sign-in could not confirm it is yours: ask an admin"
            )
        user.oidc_issuer, user.oidc_subject = issuer, subject
        record_event(user, "user.linked_by_sso", "user", user.id)
        return user
    role = _role_from_groups(claims) or Role.CONTRIBUTOR
    user = User(
        email=email,
        name=email.split("@")[0],
        password_hash="",
        role=role,
        role_set_by_admin=False,
        oidc_issuer=issuer,
        oidc_subject=subject,
    )
    db.session.add(user)
    db.session.flush()  # the audit event names the new user's id
    record_event(user, "user.created_by_sso", "user", user.id, detail=f"role {role.value}")
    return user


def _update_from_claims(user: User, email: str, claims: dict) -> None:
    """Bring name, e-mail and (when the mapping decides it) role in line with the claims."""
    user.name = str(claims.get("name") or "").strip()[:200] or user.name
    taken = find_user_by_email(email)
    # An address another account holds stays with it; this person keeps their old one.
    if taken is None or taken.id == user.id:
        user.email = email
    settings = current_app.config
    overrides = settings["OIDC_ROLE_MAPPING_OVERRIDES_ADMIN"]
    mapped = _role_from_groups(claims)
    if user.role_set_by_admin and not (overrides and mapped):
        return
    role = mapped or Role.CONTRIBUTOR
    if role != user.role:
        detail = f"{user.role.value} → {role.value}, from the institution's groups"
        record_event(user, "user.role_changed", "user", user.id, detail=detail)
        user.role = role
        user.session_version += 1  # sessions opened under the old role end now


def _role_from_groups(claims: dict) -> Role | None:
    """Return the role the first mapped group the person is in gives, if any."""
    groups = claims.get(current_app.config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(groups, str):
        groups = [groups]
    for group, role in current_app.config["OIDC_ROLE_MAPPING"].items():
        if group in groups:
            return Role(role)
    return None
