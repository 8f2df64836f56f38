"""Login, logout, the user admin pages, the audit log and the accessibility statement."""

from datetime import date

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from archive.auth.access import Action, action_required
from archive.auth.audit_trail import audit_page
from archive.auth.forms import EditUserForm, LoginForm, NewUserForm, PasswordForm, SsoPolicyForm
from archive.auth.models import Role, User
from archive.auth.oidc_client import ID_TOKEN, end_session_url, oidc_configured
from archive.auth.redirects import safe_next
from archive.auth.services import (
    AccountError,
    AccountLocked,
    all_users,
    authenticate,
    change_password,
    create_user,
    end_every_session,
    update_user,
)
from archive.auth.sign_in_policy import require_sso, sso_required, sso_required_setting
from archive.core.fields import sentence
from archive.core.parameters import one_of, whole_number
from archive.extensions import db, limiter
from archive.links import public_url
from archive.mail.log import mail_log_page
from archive.mail.models import MailStatus
from archive.mail.outbox import preferences_token

bp = Blueprint("auth", __name__)

# Both forms that check a password draw on one count per client address: using both gives a
# guesser no more tries than one.
password_attempts = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="password-forms", methods=["POST"]
)


def _locked(template: str, form, error: AccountLocked):
    """Render the form with the lock's message, a 429 and when to try again."""
    form[error.field].errors.append(sentence(error))
    headers = {"Retry-After": str(error.seconds)}
    return render_template(template, form=form), 429, headers


@bp.route("/login", methods=["GET", "POST"])
@password_attempts
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except AccountLocked as error:
            return _locked("auth/login.html", form, error)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        # One message for unknown address and wrong password: no account discovery. Under
        # required SSO, a non-admin's right password gets it too, or it would tell a guesser
        # which password is right.
        form.password.errors.append(
            "That e-mail address and password do not match an admin account. Everyone else "
            f"signs in with the “Sign in with {current_app.config['OIDC_NAME']}” button."
            if sso_required()
            else "That e-mail address and password do not match an account."
        )
    status = 401 if form.errors else 200
    return render_template("auth/login.html", form=form, **_sign_in_choices()), status


def _sign_in_choices() -> dict:
    """Say whether the login page offers single sign-on and whether passwords are admins' only."""
    return {"sso_offered": oidc_configured(), "sso_required": sso_required()}


@bp.post("/logout")
def logout():
    """Log out on every device (POST only, so another site cannot log people out with a link)."""
    if current_user.is_authenticated:
        # Clearing this browser's cookies is not enough: a copy of them would still work.
        end_every_session(current_user)
    logout_user()
    id_token = session.pop(ID_TOKEN, None)
    flash("You are logged out on every device.")
    after = public_url("auth.login")
    # Signed in through the institution: end that session too, or the next person at this
    # computer would be signed straight back in by the provider.
    if id_token and oidc_configured():
        return redirect(end_session_url(id_token, after) or url_for("auth.login"))
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@action_required(Action.CHANGE_PASSWORD)
@password_attempts
def password():
    """Change your password; you are logged out everywhere and log in again with it."""
    if not current_user.has_password:
        # Signed up through the institution: there is no password here to change.
        return render_template("auth/password.html", form=None), (
            409 if request.method == "POST" else 200
        )
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except AccountLocked as error:
            return _locked("auth/password.html", form, error)
        except AccountError as error:
            form[error.field].errors.append(sentence(error))
        else:
            logout_user()
            flash("Your password is changed. Every session was ended: log in with the new one.")
            return redirect(url_for("auth.login"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200


@bp.route("/admin/users", methods=["GET", "POST"])
@action_required(Action.MANAGE_USERS)
def users():
    """List users and add one."""
    form = NewUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data,
                form.password.data,
                Role(form.role.data),
                form.name.data,
                by=current_user,
            )
        except AccountError as error:
            form[error.field].errors.append(sentence(error))
        else:
            flash(f"Added {user.email} as {user.role.value}.")
            return redirect(url_for("auth.users"))
    if form.errors:
        status = 422
    policy = SsoPolicyForm(required=sso_required_setting())
    return render_template(
        "auth/users.html", form=form, policy=policy, users=all_users(), **_sign_in_choices()
    ), status


@bp.post("/admin/users/sign-in")
@action_required(Action.MANAGE_USERS)
def sign_in_policy():
    """Require single sign-on of everyone but admins, or let passwords in again."""
    form = SsoPolicyForm()
    if form.validate_on_submit():
        require_sso(form.required.data, by=current_user)
        flash(
            "Only admins may now log in with a password."
            if form.required.data
            else "Everyone may now log in with a password again."
        )
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@action_required(Action.MANAGE_USERS)
def edit_user(user_id: int):
    """Change a user's role or disable the account."""
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(user, role=Role(form.role.data), active=form.active.data, by=current_user)
        except AccountError as error:
            form[error.field].errors.append(sentence(error))
        else:
            flash(f"Updated {user.email}.")
            return redirect(url_for("auth.users"))
    return render_template("auth/edit_user.html", form=form, user=user), (
        422 if form.errors else 200
    )


@bp.get("/admin/audit")
@action_required(Action.SEE_AUDIT)
def audit():
    """Show the audit log, newest first, a page at a time."""
    rows, older = audit_page(before=request.args.get("before", type=int))
    return render_template("auth/audit.html", rows=rows, older=older)


@bp.get("/admin/mail")
@action_required(Action.SEE_MAIL_LOG)
def mail_log():
    """Show the messages sent, waiting and given up on, newest first, a page at a time."""
    status = one_of(request.args, "status", [status.value for status in MailStatus], "")
    before = whole_number(request.args, "before", 0)
    messages, older = mail_log_page(MailStatus(status) if status else None, before)
    return render_template(
        "auth/mail_log.html", messages=messages, older=older, status=status, statuses=MailStatus
    )


@bp.get("/account/mail")
@action_required(Action.CHOOSE_MAIL)
def mail_choices():
    """Open the choices of mail for the user's own address: the page every message links to."""
    token = preferences_token(current_user.email)
    return redirect(url_for("mail.preferences", address_token=token))


@bp.get("/accessibility")
def accessibility():
    """Show the accessibility statement, with its contact and the day it was last reviewed."""
    config = current_app.config
    reviewed = date.fromisoformat(config["ACCESSIBILITY_REVIEWED"])
    return render_template(
        "auth/accessibility.html", contact=config["ACCESSIBILITY_CONTACT"], reviewed=reviewed
    )
