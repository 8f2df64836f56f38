"""Downloads for communications staff, and the download history."""

import io

from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user
from wtforms import SelectChoice

from archive.auth.access import Action, action_required
from archive.core.fields import sentence
from archive.downloads.forms import DownloadForm, LicenceAcceptanceForm
from archive.downloads.services import (
    DownloadRefused,
    DownloadSize,
    credits_for,
    download,
    downloads_by,
    may_download,
)
from archive.downloads.social_kit import kit_crops, social_kit
from archive.extensions import db
from archive.photos.models import Photo

bp = Blueprint("downloads", __name__)


@bp.route("/photos/<int:photo_id>/download", methods=["GET", "POST"])
@action_required(Action.DOWNLOAD)
def download_photo(photo_id: int):
    """Show the licence and credit, then hand out the credited file."""
    photo = db.get_or_404(Photo, photo_id)
    if not may_download(current_user, photo):
        abort(404)  # a photo that may not be handed out is not there for downloading
    form = DownloadForm()
    form.size.choices = [SelectChoice(size.value, size.label) for size in DownloadSize]
    institution, public_url = current_app.config["INSTITUTION"], current_app.config["PUBLIC_URL"]
    if form.validate_on_submit():
        try:
            data, filename = download(
                photo,
                DownloadSize(form.size.data),
                user=current_user,
                purpose=form.purpose.data,
                institution=institution,
                public_url=public_url,
            )
        except DownloadRefused as error:
            form.purpose.errors.append(sentence(error))
        else:
            return _attachment(data, "image/jpeg", filename)
    return render_template(
        "downloads/download.html",
        photo=photo,
        form=form,
        credits=credits_for(photo, institution, public_url),
    ), 422 if form.errors else 200


@bp.route("/photos/<int:photo_id>/social-kit", methods=["GET", "POST"])
@action_required(Action.DOWNLOAD)
def social_kit_page(photo_id: int):
    """Show the crops, the alt text and the credit, then hand out the kit as one zip."""
    photo = db.get_or_404(Photo, photo_id)
    if not may_download(current_user, photo):
        abort(404)  # as for a single download: not there for taking out
    form = LicenceAcceptanceForm()
    institution, public_url = current_app.config["INSTITUTION"], current_app.config["PUBLIC_URL"]
    if form.validate_on_submit():
        try:
            data, filename = social_kit(
                photo,
                user=current_user,
                purpose=form.purpose.data,
                institution=institution,
                public_url=public_url,
            )
        except DownloadRefused as error:
            form.purpose.errors.append(sentence(error))
        else:
            return _attachment(data, "application/zip", filename)
    return render_template(
        "downloads/social_kit.html",
        photo=photo,
        form=form,
        crops=kit_crops(photo),
        credits=credits_for(photo, institution, public_url),
    ), 422 if form.errors else 200


def _attachment(data: bytes, mimetype: str, filename: str):
    """Send what was made as a file to save, kept by no cache (it is one person's download)."""
    # send_file writes the name as filename*= (RFC 6266/5987) with an ASCII fallback.
    response = send_file(io.BytesIO(data), mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/downloads")
@action_required(Action.DOWNLOAD)
def history():
    """List the current user's downloads."""
    return render_template("downloads/downloads.html", events=downloads_by(current_user))
