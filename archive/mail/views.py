"""The page every message links to: which mail an address receives, reached by its token."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from archive.core.fields import CheckboxesField
from archive.mail.models import MailCategory
from archive.mail.outbox import address_from_token, set_turned_off, turned_off

bp = Blueprint("mail", __name__)

OPTIONAL = [category for category in MailCategory if category.optional]


class PreferencesForm(FlaskForm):
    receive = CheckboxesField(
        "Send me e-mail about",
        choices=[SelectChoice(category.value, category.label) for category in OPTIONAL],
        description="Untick what you do not want. Password reset links you ask for are "
        "always sent.",
    )


@bp.route("/mail/preferences/<address_token>", methods=["GET", "POST"])
def preferences(address_token: str):
    """Show and change which optional mail the token's address receives."""
    address = address_from_token(address_token)
    if address is None:
        abort(404)
    form = PreferencesForm()
    if request.method == "GET":
        form.receive.data = [c.value for c in OPTIONAL if c not in turned_off(address)]
    elif form.validate_on_submit():
        # Nothing ticked sends no value at all: everything optional is turned off.
        receive = {MailCategory(value) for value in form.receive.data or []}
        set_turned_off(address, set(OPTIONAL) - receive)
        flash("Your choices are saved.")
        return redirect(url_for("mail.preferences", address_token=address_token))
    return render_template("mail/preferences.html", form=form, address=address)
