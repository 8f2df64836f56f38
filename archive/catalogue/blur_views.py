"""Blurring a bystander on a photo, from its review page or its photo page, and undoing it."""

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.catalogue.marking import back_url, photo_to_mark
from archive.core.confirmation import confirmation_page, confirmed
from archive.core.fields import sentence
from archive.photos.blur import BlurRefused, blur_region, remove_blur
from archive.photos.forms import BlurForm
from archive.photos.models import Photo

bp = Blueprint("blur", __name__)


@bp.post("/photos/<int:photo_id>/blur")
@action_required(Action.REVIEW)
def blur(photo_id: int):
    """Blur the region given in % of the picture in every picture made from the photo."""
    photo = photo_to_mark(photo_id)
    form = BlurForm()
    if not form.validate_on_submit():
        return _refused(photo, form, 422)
    try:
        blur_region(photo, form.box(), by=current_user)
    except BlurRefused as error:
        return _refused(photo, form, 409, problem=error)
    flash("Blurred the region in every picture shown or downloaded of this photo.")
    return _back(photo)


@bp.post("/photos/<int:photo_id>/blur/<int:region_id>/remove")
@action_required(Action.REVIEW)
def unblur(photo_id: int, region_id: int):
    """Show a blurred region sharp again, once confirmed: it may show someone's face."""
    photo = photo_to_mark(photo_id)
    if region_id not in {region.id for region in photo.blur_regions}:
        abort(404)
    if not confirmed():
        return confirmation_page(
            question=f"Remove the blur from “{photo.display_title}”?",
            consequences=[
                "The region is shown sharp again in every page, search result, exhibition, "
                "export and download of this photo: whoever is there becomes recognisable.",
                "Only do this if the person shown has consented, or is not there.",
            ],
            confirm_label="Remove blur",
            cancel_url=back_url(photo, "blur"),
        )
    try:
        remove_blur(photo, region_id, by=current_user)
    except BlurRefused as error:
        return _refused(photo, BlurForm(), 409, problem=error)
    flash("Removed the blur: the region is shown sharp again.")
    return _back(photo)


def _back(photo: Photo):
    return redirect(back_url(photo, "blur"))


def _refused(photo: Photo, form: BlurForm, status: int, problem: object = None):
    """Show the form again with what was wrong, on a page of its own with the photo."""
    return render_template(
        "photos/blur.html",
        photo=photo,
        form=form,
        blur_form=form,
        problem=sentence(problem) if problem else None,
        back=request.form.get("back", ""),
    ), status
