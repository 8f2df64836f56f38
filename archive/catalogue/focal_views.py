"""Setting the focal point of a photo, from its review page or its photo page."""

from flask import Blueprint, flash, redirect, render_template, request
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.catalogue.marking import back_url, photo_to_mark
from archive.photos.focal import set_focal_point
from archive.photos.forms import FocalPointForm

bp = Blueprint("focal", __name__)


@bp.post("/photos/<int:photo_id>/focal-point")
@action_required(Action.REVIEW)
def focal_point(photo_id: int):
    """Make the point given in % of the picture the centre of the crops made from the photo."""
    photo = photo_to_mark(photo_id)
    form = FocalPointForm()
    if not form.validate_on_submit():
        # On a page of its own with the photo, so the fields are shown with what was wrong.
        return render_template(
            "photos/focal.html", photo=photo, focal_form=form, back=request.form.get("back", "")
        ), 422
    set_focal_point(photo, form.point(), by=current_user)
    flash("Set the focal point: the social-media crops of this photo centre there.")
    return redirect(back_url(photo, "focal-point"))
