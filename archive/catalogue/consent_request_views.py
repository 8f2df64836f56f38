"""Asking the people shown in a photo for consent by e-mail, several at once."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.consent.requests import ask_people_shown
from archive.consent.rules import can_view
from archive.extensions import db
from archive.photos.models import Photo
from archive.security import no_store

bp = Blueprint("consent_requests", __name__)


@bp.post("/photos/<int:photo_id>/ask-for-consent")
@no_store
@action_required(Action.RECORD_CONSENT)
def ask_people_shown_in(photo_id: int):
    """Mail each person shown without consent their link; say, by name, who was not asked."""
    photo = db.get_or_404(Photo, photo_id)
    if not can_view(current_user, photo):
        abort(404)
    asking = ask_people_shown(photo, by=current_user)
    # Shown rather than redirected to: asking again today sends nothing twice, and says so.
    return render_template("photos/asked.html", photo=photo, asking=asking)
