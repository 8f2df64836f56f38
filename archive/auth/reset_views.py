"""Forgot your password: ask for a link by e-mail, then choose a new password from it."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from archive.auth.forms import NewPasswordForm, ResetRequestForm
from archive.auth.reset import (
    RESET_LINK_SECONDS,
    ResetLinkRefused,
    ResetsPaused,
    reset_password,
    send_reset_link,
    user_for_reset,
)
from archive.auth.services import AccountError
from archive.core.fields import sentence
from archive.extensions import limiter
from archive.links import KEYED_PAGE_HEADERS

bp = Blueprint("reset", __name__, url_prefix="/password")


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def ask():
    """Ask for a reset link; the answer is the same whether the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            send_reset_link(form.email.data)
        except ResetsPaused as error:
            form.email.errors.append(sentence(error))
            headers = {"Retry-After": str(error.seconds)}
            return render_template("auth/reset_ask.html", form=form), 429, headers
        return redirect(url_for("reset.sent"))
    return render_template("auth/reset_ask.html", form=form), 422 if form.errors else 200


@bp.get("/forgot/sent")
def sent():
    """Say a link was sent if an account uses the address, and what to do next."""
    return render_template("auth/reset_sent.html", hours=RESET_LINK_SECONDS // 3600)


@bp.route("/reset/<reset_token>", methods=["GET", "POST"])
def choose(reset_token: str):
    """Choose a new password from the link; every session ends and the link stops working."""
    form = NewPasswordForm()
    try:
        user = user_for_reset(reset_token)
        if form.validate_on_submit():
            reset_password(reset_token, form.new.data)
            flash("Your password is changed and every session was ended: log in with it now.")
            return redirect(url_for("auth.login"))
    except ResetLinkRefused as error:
        page = render_template("auth/reset_refused.html", message=str(error))
        return page, error.status, KEYED_PAGE_HEADERS
    except AccountError as error:
        form[error.field].errors.append(sentence(error))
    page = render_template("auth/reset_choose.html", form=form, user=user)
    return page, 422 if form.errors else 200, KEYED_PAGE_HEADERS
