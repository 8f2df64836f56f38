"""Single sign-on: off to the institution's OpenID Connect provider and back."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user, login_user

from archive.auth.oidc_client import (
    ID_TOKEN,
    SignInRefused,
    finish_sign_in,
    oidc_configured,
    start_sign_in,
)
from archive.auth.redirects import safe_next
from archive.auth.services import AccountError
from archive.auth.sso import account_for_claims
from archive.core.fields import sentence
from archive.links import public_url

bp = Blueprint("sso", __name__)

# Where to go after signing in, kept while the person is at the provider.
NEXT = "sso_next"


def _refused(message: str, status: int):
    return render_template("error.html", code=status, message=message), status


@bp.get("/login/oidc")
def start():
    """Send the visitor to the institution's sign-in page."""
    if not oidc_configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(safe_next(None))
    session[NEXT] = safe_next(request.args.get("next"))
    try:
        # Registered with the provider exactly, so made from PUBLIC_URL, never from Host.
        return start_sign_in(public_url("sso.callback"))
    except SignInRefused as error:
        return _refused(str(error), error.status)


@bp.get("/login/oidc/callback")
def callback():
    """Check the provider's answer, find or make the account and open its session."""
    if not oidc_configured():
        abort(404)
    try:
        claims, id_token = finish_sign_in()
        user = account_for_claims(current_app.config["OIDC_ISSUER"], claims)
    except SignInRefused as error:
        return _refused(str(error), error.status)
    except AccountError as error:
        return _refused(sentence(error), 403)
    login_user(user)
    session[ID_TOKEN] = id_token
    return redirect(safe_next(session.pop(NEXT, None)))
