"""Public galleries, the exhibitions index, gallery images and the IIIF manifest."""

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_login import current_user

from archive.auth.access import Action, can
from archive.exhibitions.exports import iiif_manifest
from archive.exhibitions.featured import featured_shown
from archive.exhibitions.gallery import (
    cover_of,
    gallery_image,
    lost_items,
    open_to_anyone,
    published,
    shown_items,
)
from archive.exhibitions.iiif import IIIF_MEDIA_TYPE
from archive.exhibitions.models import Exhibition, ExhibitionStatus, Visibility
from archive.exhibitions.services import exhibition_by_slug
from archive.extensions import login_manager
from archive.links import public_url
from archive.page_cache import for_visitors, remembered
from archive.security import readable_by_any_site
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
    if exhibition.visibility is Visibility.INTERNAL:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
    elif not open_to_anyone(exhibition, request.args.get("key")):
        abort(404)  # an unlisted one without its key
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
        profiles=featured_shown(exhibition),
    )


@bp.get("/<slug>/media/<string(length=64):sha256>.jpg")
@for_visitors()
def media(slug: str, sha256: str):
    """Send an image of an item the visitor can see in this exhibition."""
    image, shared = remembered(
        ("exhibition image", request.full_path), lambda: _image(slug, sha256)
    )
    if image is None:
        abort(404)
    response = image.send(cache_control="private, max-age=31536000, immutable")
    # A IIIF viewer on another site shows the images its manifest names.
    return readable_by_any_site(response) if shared else response


def _image(slug: str, sha256: str) -> tuple[StoredFile | None, bool]:
    # The file as a plain value: what is remembered outlives this request's session.
    exhibition = _open(slug)
    derivative = gallery_image(exhibition, sha256)
    shared = open_to_anyone(exhibition, request.args.get("key"))
    return (derivative.stored_file if derivative is not None else None), shared


@bp.get("/<slug>/manifest.json")
def manifest(slug: str):
    """Return the exhibition as a IIIF Presentation 3.0 Manifest, as JSON-LD."""
    exhibition = _open(slug)
    response = jsonify(iiif_manifest(exhibition, current_app.config["INSTITUTION"]))
    response.content_type = IIIF_MEDIA_TYPE
    # Viewers on other sites (Mirador, Universal Viewer) open what anyone with the link may.
    shared = open_to_anyone(exhibition, request.args.get("key"))
    return readable_by_any_site(response) if shared else response
