"""Answering a search: query language, role filtering, facets, snippets, suggestions.

Who may find what is decided by the scope fields the gating function wrote into the
index, for the uses consent.rules.viewer_scopes gives the role: visitors the web; comms
staff that and press; contributors that and internal use; curators and admins all.
"""

import math
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from werkzeug.exceptions import BadRequest
from whoosh.collectors import SortingCollector, TopCollector
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, QueryParser
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query import Every, MultiTerm, NullQuery, Query, Term, Wildcard
from whoosh.searching import TimeLimit
from whoosh.sorting import FieldFacet

from archive.auth.access import Action, allows
from archive.auth.models import Role
from archive.consent.rules import viewer_scopes
from archive.people.edi import edi_attributes
from archive.search.facets import FacetMasks, MatchRecorder, first_set
from archive.search.index import searcher
from archive.search.schema import (
    DEFAULT_FIELD,
    ENGLISH,
    FACETS,
    INDEXED_SCOPES,
    SPELLING_FIELDS,
    build_schema,
    day_number,
    scope_field,
)

FIELD_ALIASES = {"people": ["person", "name"]}
# Searched only by those who may see the people shown: a name field answers
# `person:oli*` letter by letter, and EDI answers are special-category data.
PEOPLE_FIELD = "people"
EDI_FIELDS = "edi_*"
SORTS = ("relevance", "taken")
# The most wildcard, prefix and range terms one query may hold, and the most index words
# they may stand for together: 78 wildcards over a large archive took a worker down.
MAX_PATTERNS = 8
MAX_EXPANDED_WORDS = 2000
# Corrections asked of Whoosh per word and field; the first one an allowed photo holds wins.
SPELLING_CANDIDATES = 10
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


class SearchRefused(BadRequest):
    """A query the archive will not run, with a message saying why (a 400 wherever it ends).

    An HTTP error on purpose: searches run from several features' views, and a refused
    one must answer 400 in each of them, never 500.
    """


def may_search_people(role: Role | None) -> bool:
    """Return whether someone in `role` may search the people shown: names and EDI answers."""
    return allows(role, Action.SEARCH_PEOPLE)


def searches_edi(text: str) -> bool:
    """Return whether a curator's query asks about people's EDI answers (e.g. gender:woman)."""
    query, _as_words = _parse(text, reviewer=True)
    return any(name.startswith("edi_") for name in _fields(query))


def search(request: SearchRequest, role: Role | None, today: date | None = None) -> SearchResults:
    """Search the index as someone in `role` (None for a visitor) may."""
    today = today or date.today()
    reader = searcher()
    masks = _masks(reader)
    query, as_words = _parse(request.text, may_search_people(role))
    _refuse_if_too_broad(query, reader)
    allowed = masks.live
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
            raise SearchRefused(_too_broad("it took too long")) from None
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
        suggestion=_suggestion(reader, masks, allowed, request.text) if total < 3 else None,
        as_words=as_words,
    )


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


def _parse(text: str, reviewer: bool) -> tuple[Query, bool]:
    """Return the query, and whether it had to be taken as plain words."""
    if not text.strip():
        return Every(), False
    parser = _parser(reviewer)
    if _malformed(text):
        return _as_words(text, parser), True
    try:
        query = parser.parse(text)
    except Exception:  # noqa: BLE001 - whatever the parser cannot read is read as words
        query = NullQuery
    if query is NullQuery:
        return _as_words(text, parser), True
    if not reviewer and _fields(query) & {PEOPLE_FIELD}:
        raise SearchRefused(
            "Only curators and admins can search by the people shown (person:, name:); "
            "search without it."
        )
    return query, False


def _fields(query: Query) -> set[str]:
    """Return the fields a query's leaves search."""
    return {leaf.fieldname for leaf in query.leaves() if getattr(leaf, "fieldname", None)}


def _refuse_if_too_broad(query: Query, reader) -> None:
    """Raise SearchRefused if wildcards, prefixes or ranges would expand past the caps."""
    patterns = [leaf for leaf in query.leaves() if isinstance(leaf, MultiTerm)]
    if any(isinstance(leaf, Wildcard) and leaf.text[:1] in "*?" for leaf in patterns):
        raise SearchRefused(_too_broad("a word may not begin with * or ?"))
    if len(patterns) > MAX_PATTERNS:
        raise SearchRefused(_too_broad(f"it holds more than {MAX_PATTERNS} wildcards or ranges"))
    expanded = 0
    for leaf in patterns:
        for _ in leaf.expanded_terms(reader.reader()):
            expanded += 1
            if expanded > MAX_EXPANDED_WORDS:
                raise SearchRefused(_too_broad("its wildcards match too many words"))


def _too_broad(reason: str) -> str:
    return f"This search is too broad: {reason}. Use fewer wildcards, or more letters before them."


def _malformed(text: str) -> bool:
    """Return whether the query syntax is broken (Whoosh would guess, often wrongly)."""
    outside_quotes = re.sub(r'"[^"]*"', " ", text)
    return (
        text.count('"') % 2 == 1
        or outside_quotes.count("(") != outside_quotes.count(")")
        or outside_quotes.count("[") != outside_quotes.count("]")
        or bool(re.search(r"(^|\s)(AND|OR|NOT)\s*$|^\s*(AND|OR)\b", outside_quotes))
        or bool(re.search(r"\w:(\s|$)", text))
    )


def _as_words(text: str, parser: QueryParser) -> Query:
    """Return the text's words as a query any of them may match (best matches first)."""
    words = re.findall(r"[^\W_]+(?:['-][^\W_]+)*", text)
    plain = " ".join(word.lower() for word in words)
    parser.group = OrGroup
    return parser.parse(plain) if plain else NullQuery


def _parser(reviewer: bool) -> QueryParser:
    """Return the parser for a reviewer (plain words find names too) or anyone else."""
    schema = build_schema()
    aliases = dict(FIELD_ALIASES)
    if reviewer:
        aliases |= {f"edi_{attribute.key}": [attribute.key] for attribute in edi_attributes()}
        # Names are kept out of `text`, so only reviewers' plain words reach them.
        parser = MultifieldParser([DEFAULT_FIELD, PEOPLE_FIELD], schema, group=AndGroup)
    else:
        # Without the EDI fields, "gender:woman" from anyone else is just two words.
        schema.remove(EDI_FIELDS)
        parser = QueryParser(DEFAULT_FIELD, schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(aliases))
    return parser


def _ordered(name: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(counts, reverse=True)
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


def _suggestion(reader, masks: FacetMasks, allowed: int, text: str) -> str | None:
    """Return the text with unknown words replaced by the closest known ones, if any.

    Known means found in a document the caller may see: Whoosh's corrector knows every
    word ever indexed, hidden photos' words too, so each candidate is checked.
    """
    suggestion, changed = text, False
    # Words only: not field names ("role:"), not numbers.
    for match in re.finditer(r"(?<![\w:])([^\W\d_]{3,})(?![\w:])", text):
        word = match.group(1).lower()
        if _seen_in(masks, word, allowed):
            continue
        candidate = next((c for c in _spellings(reader, word) if _seen_in(masks, c, allowed)), None)
        if candidate is not None:
            suggestion = suggestion.replace(match.group(1), candidate, 1)
            changed = True
    return suggestion if changed else None


def _spellings(reader, word: str) -> Iterator[str]:
    """Yield the words of titles and captions closest to `word`, closest first per field."""
    for name in SPELLING_FIELDS:
        yield from reader.corrector(name).suggest(word, limit=SPELLING_CANDIDATES)


def _seen_in(masks: FacetMasks, word: str, allowed: int) -> bool:
    """Return whether an allowed document's title or caption holds the word (a stop word counts)."""
    stems = [token.text for token in ENGLISH(word)]
    return not stems or any(
        masks.term_mask(name, stem) & allowed for name in SPELLING_FIELDS for stem in stems
    )


class MarkFormatter(HtmlFormatter):
    """Mark matches with <mark>; the text around them is HTML-escaped by Whoosh."""

    template = "<mark>%(t)s</mark>"
