"""The admin page for licences."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.core.fields import sentence
from archive.extensions import db
from archive.licences.forms import LicenceForm
from archive.licences.models import Licence
from archive.licences.services import LICENCE_FIELDS, LicenceError, all_licences, save_licence

bp = Blueprint("licences", __name__, url_prefix="/admin")


@bp.route("/licences", methods=["GET", "POST"])
@bp.route("/licences/<int:licence_id>", methods=["GET", "POST"])
@action_required(Action.MANAGE_LICENCES)
def manage(licence_id: int | None = None):
    """List licences; add one, or edit the one named in the URL."""
    licence = db.get_or_404(Licence, licence_id) if licence_id else None
    form = LicenceForm(obj=licence)
    if form.validate_on_submit():
        try:
            target = save_licence(
                licence, {name: form[name].data for name in LICENCE_FIELDS}, current_user
            )
        except LicenceError as error:
            form.code.errors.append(sentence(error))
        else:
            flash(f"Saved the licence {target.name}.")
            return redirect(url_for("licences.manage"))
    return render_template(
        "licences/index.html", licences=all_licences(), form=form, editing=licence
    ), 422 if form.errors else 200
