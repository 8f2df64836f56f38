"""GET /api/photos/<id>: one photo, as the photo page shows it to its caller."""

from flask import Blueprint, abort
from flask_login import current_user

from archive.catalogue.api import json_answer
from archive.catalogue.photo_json import photo_detail
from archive.consent.rules import can_view
from archive.extensions import db
from archive.photos.models import Photo

bp = Blueprint("api", __name__)


@bp.get("/api/photos/<int:photo_id>")
def photo(photo_id: int):
    """Return what the caller may see of the photo; 404 alike for a hidden and a missing one."""
    found = db.session.get(Photo, photo_id)
    if found is None or not can_view(current_user, found):
        abort(404)
    return json_answer(photo_detail(found, current_user))
