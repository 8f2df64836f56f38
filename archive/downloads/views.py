"""Downloads for communications staff, their basket, and the download history."""

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from wtforms import SelectChoice

from archive.auth.access import Action, action_required
from archive.auth.redirects import safe_next
from archive.core.fields import sentence
from archive.downloads.basket import add_to_basket, basket_of, remove_from_basket
from archive.downloads.basket_zip import download_basket
from archive.downloads.forms import DownloadForm, LicenceAcceptanceForm, basket_download_form
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
    form = _with_sizes(DownloadForm())
    institution, public_url = _credited_by()
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


@bp.post("/basket/add/<int:photo_id>")
@action_required(Action.DOWNLOAD)
def add_to_basket_page(photo_id: int):
    """Put a photo in the basket and go back to the page the button was on."""
    photo = db.get_or_404(Photo, photo_id)
    try:
        title = add_to_basket(current_user, photo)
    except DownloadRefused:
        abort(404)  # as on its download page: a photo not to be handed out is not there
    flash(f"Added “{title}” to your basket.")
    return redirect(_back())


@bp.post("/basket/remove/<int:photo_id>")
@action_required(Action.DOWNLOAD)
def remove_from_basket_page(photo_id: int):
    """Take a photo out of the basket (cleared or not) and go back."""
    photo = db.get_or_404(Photo, photo_id)
    if photo.erased:
        abort(404)  # an erased photo is gone from every route, baskets included
    title = remove_from_basket(current_user, photo)
    flash(f"Removed “{title}” from your basket.")
    return redirect(_back())


@bp.get("/basket")
@action_required(Action.DOWNLOAD)
def basket():
    """List the basket's photos with their licence and credit, and the form to download it."""
    return _basket_page(_with_sizes(basket_download_form()))


@bp.post("/basket/download")
@action_required(Action.DOWNLOAD)
def download_basket_zip():
    """Hand out the basket as one zip: one licence acceptance and one purpose for all of it."""
    form = _with_sizes(basket_download_form())
    if not form.validate_on_submit():
        return _basket_page(form)
    institution, public_url = _credited_by()
    try:
        handed = download_basket(
            current_user,
            DownloadSize(form.size.data),
            purpose=form.purpose.data,
            institution=institution,
            public_url=public_url,
        )
    except DownloadRefused as error:
        return _basket_page(form, refused=sentence(error))
    response = send_file(
        handed.file, "application/zip", as_attachment=True, download_name=handed.filename
    )
    response.content_length = handed.size
    response.headers["Cache-Control"] = "no-store"
    return response


def _basket_page(form: DownloadForm, refused: str = ""):
    """Render the basket, with a 422 when the form or the download was refused."""
    page = render_template(
        "downloads/basket.html",
        basket=basket_of(current_user, *_credited_by()),
        form=form,
        refused=refused,
    )
    return page, 422 if form.errors or refused else 200


def _with_sizes(form: DownloadForm) -> DownloadForm:
    """Offer every DownloadSize in the form's size list."""
    form.size.choices = [SelectChoice(size.value, size.label) for size in DownloadSize]
    return form


def _credited_by() -> tuple[str, str]:
    """Return the institution and public address the credits name."""
    return current_app.config["INSTITUTION"], current_app.config["PUBLIC_URL"]


def _back() -> str:
    """Return the page the basket button was on (a path on this site), else the basket."""
    return safe_next(request.form.get("next") or url_for("downloads.basket"))
