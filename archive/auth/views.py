"""Login, logout, the user admin pages, the audit log and the accessibility statement."""

from datetime import date
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from archive.auth.access import Action, action_required
from archive.auth.audit_trail import audit_page
from archive.auth.forms import EditUserForm, LoginForm, NewUserForm, PasswordForm
from archive.auth.models import Role, User
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
from archive.core.fields import sentence
from archive.core.parameters import one_of, whole_number
from archive.extensions import db, limiter
from archive.mail.log import mail_log_page
from archive.mail.models import MailStatus
from archive.mail.outbox import preferences_token

bp = Blueprint("auth", __name__)

# Both forms that check a password draw on one count per client address: using both gives a
# guesser no more tries than one.
password_attempts = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="password-forms", methods=["POST"]
)


def _safe_next(target: str | None) -> str:
    """Return target if it is a path on this site, else the home page (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("home.home")


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
            return redirect(_safe_next(request.args.get("next")))
        # One message for unknown address and wrong password: no account discovery.
        form.password.errors.append("That e-mail address and password do not match an account.")
    status = 401 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Log out on every device (POST only, so another site cannot log people out with a link)."""
    if current_user.is_authenticated:
        # Clearing this browser's cookies is not enough: a copy of them would still work.
        end_every_session(current_user)
    logout_user()
    flash("You are logged out on every device.")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@action_required(Action.CHANGE_PASSWORD)
@password_attempts
def password():
    """Change your password; you are logged out everywhere and log in again with it."""
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
    return render_template("auth/users.html", form=form, users=all_users()), status


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
