"""Public galleries, the exhibitions index, gallery images and the IIIF manifest."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from archive.auth.access import Action, can
from archive.exhibitions.exports import iiif_manifest
from archive.exhibitions.gallery import cover_of, gallery_image, lost_items, published, shown_items
from archive.exhibitions.models import Exhibition, ExhibitionStatus, Visibility
from archive.exhibitions.services import exhibition_by_slug
from archive.extensions import login_manager
from archive.links import public_url
from archive.page_cache import for_visitors, remembered
from archive.storage.models import StoredFile

bp = Blueprint("exhibitions", __name__, url_prefix="/exhibitions")
bp.add_app_template_global(public_url)


def _curating() -> bool:
    return can(current_user, Action.CURATE_EXHIBITIONS)


def _open(slug: str) -> Exhibition:
    """Return the exhibition if the visitor may open it; 404 (or the login page) if not."""
    exhibition = exhibition_by_slug(slug)
    if exhibition is None:
        abort(404)
    if _curating():
        return exhibition  # curators preview drafts and every visibility
    if exhibition.status != ExhibitionStatus.PUBLISHED:
        abort(404)
    if (
        exhibition.visibility is Visibility.UNLISTED
        and request.args.get("key") != exhibition.secret
    ):
        abort(404)
    if exhibition.visibility is Visibility.INTERNAL and not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    return exhibition


@bp.get("/")
@for_visitors()
def index():
    """List the published public exhibitions."""
    exhibitions = published()
    covers = {exhibition.id: cover_of(exhibition) for exhibition in exhibitions}
    return render_template("exhibitions/index.html", exhibitions=exhibitions, covers=covers)


@bp.get("/<slug>")
@for_visitors()
def gallery(slug: str):
    """Show an exhibition: introduction, then its items in order."""
    exhibition = _open(slug)
    return render_template(
        "exhibitions/gallery.html",
        exhibition=exhibition,
        items=shown_items(exhibition),
        cover=cover_of(exhibition),
        key=exhibition.link_key,
        lost=lost_items(exhibition) if _curating() else [],
    )


@bp.get("/<slug>/media/<string(length=64):sha256>.jpg")
@for_visitors()
def media(slug: str, sha256: str):
    """Send an image of an item the visitor can see in this exhibition."""
    image = remembered(("exhibition image", request.full_path), lambda: _image(slug, sha256))
    if image is None:
        abort(404)
    return image.send(cache_control="private, max-age=31536000, immutable")


def _image(slug: str, sha256: str) -> StoredFile | None:
    # The file as a plain value: what is remembered outlives this request's session.
    derivative = gallery_image(_open(slug), sha256)
    return derivative.stored_file if derivative is not None else None


@bp.get("/<slug>/manifest.json")
def manifest(slug: str):
    """Return the exhibition as a IIIF Presentation 3.0 Manifest."""
    return iiif_manifest(_open(slug), current_app.config["INSTITUTION"])
