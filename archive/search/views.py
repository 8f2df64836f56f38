"""The search page and GET /api/search."""

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import Action
from archive.licences.services import all_licences
from archive.page_cache import for_visitors
from archive.photos.models import DerivativeKind, Photo
from archive.search.index import index_generation
from archive.search.query import SORTS, SearchRequest
from archive.search.query_language import SearchRefused
from archive.search.results import shown_photos
from archive.search.schema import FACETS
from archive.security import no_store_for

bp = Blueprint("search", __name__)
PER_PAGE = 24


def _request() -> SearchRequest:
    sort = request.args.get("sort", "relevance")
    return SearchRequest(
        text=request.args.get("q", "")[:500],
        page=max(1, request.args.get("page", 1, type=int)),
        per_page=PER_PAGE,
        sort=sort if sort in SORTS else "relevance",
        filters={name: request.args[name] for name in FACETS if request.args.get(name)},
    )


@bp.get("/search")
@no_store_for(Action.SEARCH_PEOPLE)  # they search by EDI answers and names
@for_visitors(depends_on=index_generation)
def search_page():
    """Search with facets as filters, thumbnails and snippets."""
    asked = _request()
    try:
        results, photos = shown_photos(asked, current_user)
    except SearchRefused as refused:
        return render_template("search/search.html", asked=asked, refused=refused.description), 400
    return render_template(
        "search/search.html",
        asked=asked,
        results=results,
        photos=photos,
        facets=_facet_links(asked, results),
        page_url=lambda page: _url(asked, asked.filters, page=page),
    )


FACET_TITLES = {
    "role": "Job role",
    "department": "Department",
    "year": "Year",
    "licence": "Licence",
}


def _facet_links(asked: SearchRequest, results) -> list[tuple[str, list[tuple]]]:
    """Return each facet's values as (label, count, link that toggles it, chosen?)."""
    licence_names = {licence.code.lower(): licence.name for licence in all_licences()}
    facets = []
    for name, counts in results.facets.items():
        links = []
        for value, count in counts:
            chosen = asked.filters.get(name) == value
            filters = {key: v for key, v in asked.filters.items() if key != name}
            if not chosen:
                filters[name] = value
            label = licence_names.get(value, value) if name == "licence" else value.capitalize()
            links.append((label, count, _url(asked, filters), chosen))
        if links:
            facets.append((FACET_TITLES[name], links))
    return facets


def _url(asked: SearchRequest, filters: dict[str, str], page: int = 1) -> str:
    return url_for(
        "search.search_page", q=asked.text or None, sort=asked.sort, page=page, **filters
    )


@bp.get("/api/search")
@no_store_for(Action.SEARCH_PEOPLE)
@for_visitors(depends_on=index_generation)
def api_search():
    """Return the same answer as JSON: total, results, facets (and a suggestion if any)."""
    asked = _request()
    try:
        results, photos = shown_photos(asked, current_user)
    except SearchRefused as refused:
        return jsonify(error=refused.description), 400
    return jsonify(
        total=results.total,
        page=results.page,
        pages=results.pages,
        suggestion=results.suggestion,
        results=[_as_json(photo, results.snippets.get(photo.id, "")) for photo in photos],
        facets={name: dict(counts) for name, counts in results.facets.items()},
    )


def _as_json(photo: Photo, snippet: str) -> dict:
    thumb = photo.derivative(DerivativeKind.THUMB)
    return {
        "id": photo.id,
        "title": photo.display_title,
        "url": url_for("photos.photo_page", photo_id=photo.id),
        "thumb_url": url_for("photos.derivative_file", sha256=thumb.sha256),
        "snippet": snippet,
        "alt_text": photo.alt_text,
        "photographer": photo.photographer,
        "licence": photo.licence.code if photo.licence else None,
        "taken_at": photo.taken_at.isoformat() if photo.taken_at else None,
    }
