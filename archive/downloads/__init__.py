"""Downloads: a photo handed out with its credit and rights embedded, and the record of it."""

from flask import Flask, g
from flask_login import current_user

from archive.auth.access import Action, can
from archive.downloads.basket import basket_photo_ids


def init_app(app: Flask) -> None:
    """Let every template ask which photos are in the viewer's basket (its buttons, its count)."""

    @app.context_processor
    def _basket() -> dict:
        return {"basket_ids": _basket_ids}


def _basket_ids() -> set[int]:
    """Return the ids in the current user's basket, read once per request however often asked."""
    if "basket_ids" not in g:
        downloads = can(current_user, Action.DOWNLOAD)
        g.basket_ids = basket_photo_ids(current_user) if downloads else set()
    return g.basket_ids
