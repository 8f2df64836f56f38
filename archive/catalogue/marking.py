"""What the forms that mark a photo's picture share: a blurred region, the focal point.

Both are posted from the photo page or the review page, and send the curator back there.
"""

from flask import abort, request, url_for
from flask_login import current_user

from archive.consent.rules import can_view
from archive.extensions import db
from archive.photos.models import Photo


def photo_to_mark(photo_id: int) -> Photo:
    """Return the photo the URL names, or answer 404 when the user may not see it."""
    photo = db.get_or_404(Photo, photo_id)
    if not can_view(current_user, photo):
        abort(404)
    return photo


def back_url(photo: Photo, anchor: str) -> str:
    """Return the page the form was posted from, at the anchor of its section."""
    # The form says which page it is on, so the curator goes on where they were.
    page = "photos.review" if request.form.get("back") == "review" else "photos.photo_page"
    return url_for(page, photo_id=photo.id, _anchor=anchor)
