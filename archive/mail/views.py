"""The page every message links to: which mail an address receives, reached by its token."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from archive.links import KEYED_PAGE_HEADERS
from archive.mail.forms import PreferencesForm
from archive.mail.models import MailCategory
from archive.mail.outbox import address_from_token, choose_mail, chosen_mail

bp = Blueprint("mail", __name__)


@bp.route("/mail/preferences/<address_token>", methods=["GET", "POST"])
def preferences(address_token: str):
    """Show and change which optional mail the token's address receives."""
    address = address_from_token(address_token)
    if address is None:
        abort(404)
    form = PreferencesForm()
    if request.method == "GET":
        form.receive.data = [category.value for category in chosen_mail(address)]
    elif form.validate_on_submit():
        # Nothing ticked posts no field at all: every kind of mail turned off.
        choose_mail(address, {MailCategory(value) for value in form.receive.data or []})
        flash("Your choices are saved.")
        return redirect(
            url_for("mail.preferences", address_token=address_token)
        ), KEYED_PAGE_HEADERS
    page = render_template("mail/preferences.html", form=form, address=address)
    return page, 422 if form.errors else 200, KEYED_PAGE_HEADERS
