"""The home page."""

from flask import Blueprint, render_template
from flask_login import current_user

from archive.home.services import home_for
from archive.page_cache import for_visitors

bp = Blueprint("home", __name__)


@bp.get("/")
@for_visitors()
def home():
    """Show what the current user can do next: by role, from home_for."""
    return render_template("photos/home.html", home=home_for(current_user))
