"""The search page and GET /api/search."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import Action
from archive.catalogue.api import json_answer
from archive.catalogue.photo_json import photo_summary
from archive.licences.services import all_licences
from archive.links import public_url
from archive.page_cache import for_visitors
from archive.search.index import index_generation
from archive.search.query import PER_PAGE, SearchRequest, read_search_request
from archive.search.query_language import SearchRefused
from archive.search.results import search_tiles, shown_photos
from archive.security import no_store_for

bp = Blueprint("search", __name__)


def _request() -> SearchRequest:
    """Read the search asked for; raise InvalidParameter (a 400) for a parameter it cannot use."""
    return read_search_request(request.args)


@bp.get("/search")
@no_store_for(Action.SEARCH_PEOPLE)  # they search by EDI answers and names
@for_visitors(depends_on=index_generation)
def search_page():
    """Search with facets as filters, thumbnails and snippets."""
    asked = _request()
    try:
        results, tiles = search_tiles(asked, current_user)
    except SearchRefused as refused:
        return render_template("search/search.html", asked=asked, refused=refused.description), 400
    return render_template(
        "search/search.html",
        asked=asked,
        results=results,
        tiles=tiles,
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
    return url_for("search.search_page", **_parameters(asked, filters, page))


def _parameters(asked: SearchRequest, filters: dict[str, str], page: int) -> dict:
    """Return the query parameters of a page of the search (None values are left out)."""
    per_page = asked.per_page if asked.per_page != PER_PAGE else None
    return {
        "q": asked.text or None,
        "sort": asked.sort,
        "page": page,
        "per_page": per_page,
        **filters,
    }


@bp.get("/api/search")
@no_store_for(Action.SEARCH_PEOPLE)
@for_visitors(depends_on=index_generation)
def api_search():
    """Return the same answer as JSON: a page of results, links to the pages beside it, facets.

    A refused query or a parameter that cannot be used is a 400 in the API's error shape.
    """
    asked = _request()
    results, photos = shown_photos(asked, current_user)
    return json_answer(
        {
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "per_page": asked.per_page,
            "next": _api_url(asked, results.page + 1) if results.page < results.pages else None,
            "prev": _api_url(asked, results.page - 1) if results.page > 1 else None,
            "suggestion": results.suggestion,
            "results": [
                photo_summary(photo, results.snippets.get(photo.id, "")) for photo in photos
            ],
            "facets": {name: dict(counts) for name, counts in results.facets.items()},
        }
    )


def _api_url(asked: SearchRequest, page: int) -> str:
    return public_url("search.api_search", **_parameters(asked, asked.filters, page))
