"""Running a search: role filtering, facet counts, ranking, paging and snippets.

Who may find what is decided by the scope fields the gating function wrote into the
index, for the uses consent.rules.viewer_scopes gives the role: visitors the web; comms
staff that and press; contributors that and internal use; curators and admins all.
"""

import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from whoosh.collectors import SortingCollector, TopCollector
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.query import Query, Term
from whoosh.searching import TimeLimit
from whoosh.sorting import FieldFacet

from archive.auth.models import Role
from archive.consent.rules import viewer_scopes
from archive.core.parameters import one_of, whole_number
from archive.search.facets import FacetMasks, MatchRecorder, bitmask, first_set
from archive.search.freshness import unconfirmed_photos
from archive.search.index import searcher
from archive.search.query_language import (
    SearchRefused,
    may_search_people,
    parse_query,
    refuse_if_too_broad,
    too_broad_message,
)
from archive.search.schema import (
    DEFAULT_FIELD,
    ENGLISH,
    FACETS,
    INDEXED_SCOPES,
    day_number,
    scope_field,
)
from archive.search.suggestions import spelling_suggestion

SORTS = ("relevance", "taken")
PER_PAGE = 24
MAX_PER_PAGE = 100
# Seconds a query may spend collecting matches before it is refused as too broad.
TIME_BUDGET_SECONDS = 5.0
# Fields whose words are ranked by relevance and marked in snippets.
WORD_FIELDS = (DEFAULT_FIELD, "title", "caption", "people")


@dataclass
class SearchRequest:
    """What someone asked for."""

    text: str = ""
    page: int = 1
    per_page: int = 24
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)  # facet name -> chosen value


def read_search_request(args: Mapping[str, str]) -> SearchRequest:
    """Read a search from query parameters; raise InvalidParameter (a 400) for one it cannot use.

    The search page, its API and batch work on its results all read their search so.
    """
    return SearchRequest(
        text=args.get("q", "")[:500],
        page=whole_number(args, "page", default=1),
        per_page=whole_number(args, "per_page", default=PER_PAGE, maximum=MAX_PER_PAGE),
        sort=one_of(args, "sort", SORTS, default="relevance"),
        filters={name: args[name] for name in FACETS if args.get(name)},
    )


@dataclass
class SearchResults:
    """One page of answers, with what the whole answer looks like."""

    total: int
    page: int
    pages: int
    photo_ids: list[int]
    snippets: dict[int, str]  # photo id -> caption with the matches marked (escaped HTML)
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    as_words: bool = False  # the query could not be read as a query and was taken as words


def search(request: SearchRequest, role: Role | None, today: date | None = None) -> SearchResults:
    """Search the index as someone in `role` (None for a visitor) may."""
    today = today or date.today()
    unconfirmed = unconfirmed_photos()  # catches the index up first, if it can
    reader = searcher()
    masks = _masks(reader)
    query, as_words = parse_query(request.text, may_search_people(role))
    refuse_if_too_broad(query, reader)
    allowed = masks.live & ~_documents_of(reader, unconfirmed, masks.size)
    scopes = viewer_scopes(role)
    if scopes is not None:
        allowed &= _cached(
            ("scopes", scopes, today),
            lambda: masks.usable_from(map(scope_field, scopes), day_number(today)),
        )
    for name, value in request.filters.items():
        allowed &= masks.values.get(name, {}).get(value.lower() if name != "year" else value, 0)
    page = max(1, request.page)
    start = (page - 1) * request.per_page
    words = {text for field, text in query.iter_all_terms() if field in WORD_FIELDS}
    evaluated = masks.evaluate(query)
    if evaluated is not None and (request.sort == "taken" or not words):
        # Nothing to rank by relevance, or newest first asked for: straight from the masks.
        matched = allowed & evaluated
        docs = first_set(matched, masks.newest_first, request.per_page, skip=start)
    elif evaluated is not None:
        matched = allowed & evaluated
        docs = masks.ranked(matched, _scored_words(query), request.per_page, skip=start)
    else:
        deadline = time.monotonic() + TIME_BUDGET_SECONDS
        recorder = MatchRecorder(_collector(request, start), allowed, masks.size, deadline)
        try:
            docs = _page(reader, query, recorder, start)
        except TimeLimit:
            raise SearchRefused(too_broad_message("it took too long")) from None
        matched = recorder.matched()
    stored = [reader.stored_fields(docnum) for docnum in docs]
    photo_ids = [int(fields["id"]) for fields in stored]
    snippets = {int(f["id"]): _snippet(f.get("caption", ""), words) for f in stored}
    total = matched.bit_count()
    return SearchResults(
        total=total,
        page=page,
        pages=max(1, math.ceil(total / request.per_page)),
        photo_ids=photo_ids,
        snippets=snippets,
        facets={name: _ordered(name, counts) for name, counts in masks.counts(matched).items()},
        suggestion=spelling_suggestion(reader, masks, allowed, request.text) if total < 3 else None,
        as_words=as_words,
    )


def _documents_of(reader, photo_ids: set[int] | None, size: int) -> int:
    """Return the documents of the photos as a bitmask; every document for None."""
    if photo_ids is None:
        return (1 << size) - 1
    if not photo_ids:
        return 0  # the usual case: the index holds every change
    found = (reader.document_numbers(id=str(photo_id)) for photo_id in photo_ids)
    return bitmask((docnum for docnums in found for docnum in docnums), size)


def _collector(request: SearchRequest, start: int):
    limit = start + request.per_page
    if request.sort == "taken":
        return SortingCollector(FieldFacet("taken", reverse=True), limit=limit)
    # Every match must be seen to be recorded, so no block-quality skipping here.
    return TopCollector(limit=limit, usequality=False)


def _scored_words(query: Query) -> list[Term]:
    """Return the query's words that rank answers (words under NOT match no answer anyway)."""
    return [
        leaf
        for leaf in query.leaves()
        if isinstance(leaf, Term) and leaf.fieldname in WORD_FIELDS and isinstance(leaf.text, str)
    ]


def _page(reader, query: Query, collector, start: int) -> list[int]:
    """Run the collector and return the document numbers of the requested page."""
    reader.search_with_collector(query, collector)
    results = collector.results()
    # By position: len(results) would count every match a second time.
    return [results.docnum(index) for index in range(start, results.scored_length())]


def _snippet(caption: str, words: set[str]) -> str:
    """Return the caption's best passages with the searched (stemmed) words marked."""
    if not caption or not words:
        return ""
    fragments = ContextFragmenter(maxchars=240, surround=60)
    return highlight(caption, frozenset(words), ENGLISH, fragments, MarkFormatter(), top=2)


_MASKS = threading.local()


def _masks(reader) -> FacetMasks:
    """Return the facet bitmasks of this searcher's index generation (built once per generation)."""
    cached = getattr(_MASKS, "value", None)
    if cached is None or cached[0] is not reader:
        cached = (reader, FacetMasks(reader, FACETS, [scope_field(s) for s in INDEXED_SCOPES]), {})
        _MASKS.value = cached
    return cached[1]


def _cached(key, make):
    """Return a value kept with this thread's masks (so it ends with the index generation)."""
    store = _MASKS.value[2]
    if key not in store:
        if len(store) > 64:
            store.clear()  # a new day or many filter combinations: start again
        store[key] = make()
    return store[key]


def _ordered(name: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(counts, reverse=True)
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


class MarkFormatter(HtmlFormatter):
    """Mark matches with <mark>; the text around them is HTML-escaped by Whoosh."""

    template = "<mark>%(t)s</mark>"
