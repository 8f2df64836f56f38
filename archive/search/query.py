"""Answering a search: query language, role filtering, facets, snippets, suggestions.

Who may find what is decided by the scope fields the gating function wrote into the
index: visitors search what may be shown on the web, comms staff what may go to press
and social media, contributors what may be used internally, curators and admins all.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date

from whoosh import sorting
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query import And, Every, NullQuery, NumericRange, Query, Term

from archive.auth.models import Role
from archive.people.edi import edi_attributes
from archive.rights.models import ConsentScope
from archive.search.index import searcher
from archive.search.schema import (
    FACETS,
    SPELLING_FIELDS,
    TEXT_FIELDS,
    build_schema,
    day_number,
    scope_field,
)

ROLE_SCOPE = {
    None: ConsentScope.WEB,
    Role.CONTRIBUTOR: ConsentScope.INTERNAL,
    Role.COMMS: ConsentScope.PRESS,
}
FIELD_ALIASES = {"people": ["person", "name"], "alt": ["alt_text"], "taken": ["date"]}
SORTS = ("relevance", "taken")


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


def search(request: SearchRequest, role: Role | None, today: date | None = None) -> SearchResults:
    """Search the index as someone in `role` (None for a visitor) may."""
    today = today or date.today()
    reviewer = role in (Role.CURATOR, Role.ADMIN)
    reader = searcher()
    query, as_words = _parse(request.text, reviewer)
    restriction = _restriction(role, today)
    for name, value in request.filters.items():
        facet = _facet_filter(name, value)
        if facet is not None:
            restriction = facet if restriction is None else And([restriction, facet])
    page = max(1, request.page)

    def run(query):
        return reader.search(
            query,
            limit=page * request.per_page,
            filter=restriction,
            sortedby="taken" if request.sort == "taken" else None,
            reverse=request.sort == "taken",
            groupedby=_facets(),
            maptype=sorting.Count,
            terms=True,
        )

    results = run(query)
    results.formatter = MarkFormatter()
    results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
    start = (page - 1) * request.per_page
    hits = list(results)[start : start + request.per_page]
    total = len(results)
    suggestion = _suggestion(reader, request.text) if total < 3 else None
    return SearchResults(
        total=total,
        page=page,
        pages=max(1, math.ceil(total / request.per_page)),
        photo_ids=[int(hit["id"]) for hit in hits],
        snippets={int(hit["id"]): hit.highlights("caption", top=2) for hit in hits},
        facets={name: _counts(results, name) for name in FACETS},
        suggestion=suggestion,
        as_words=as_words,
    )


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
    if query is not NullQuery and not _mentions_private_fields(query, reviewer):
        return query, False
    return _as_words(text, parser), True


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


def _as_words(text: str, parser: MultifieldParser) -> Query:
    """Return the text's words as a query any of them may match (best matches first)."""
    words = re.findall(r"[^\W_]+(?:['-][^\W_]+)*", text)
    plain = " ".join(word.lower() for word in words)
    parser.group = OrGroup
    return parser.parse(plain) if plain else NullQuery


def _parser(reviewer: bool) -> MultifieldParser:
    schema = build_schema()
    aliases = dict(FIELD_ALIASES)
    if reviewer:
        aliases |= {f"edi_{attribute.key}": [attribute.key] for attribute in edi_attributes()}
    else:
        # Without the EDI fields, "gender:woman" from anyone else is just two words.
        schema.remove("edi_*")
    parser = MultifieldParser(TEXT_FIELDS, schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(aliases))
    return parser


def _mentions_private_fields(query: Query, reviewer: bool) -> bool:
    return not reviewer and any(name.startswith("edi_") for name, _ in query.iter_all_terms())


def _restriction(role: Role | None, today: date) -> Query | None:
    scope = ROLE_SCOPE.get(role)
    if scope is None:
        return None  # curators and admins see everything
    return NumericRange(scope_field(scope), day_number(today), None)


def _facet_filter(name: str, value: str) -> Query | None:
    if name not in FACETS or not value:
        return None
    if name == "year":
        return NumericRange("year", int(value), int(value)) if value.isdigit() else None
    return Term(name, value.lower())


def _facets() -> dict:
    return {
        name: sorting.FieldFacet(name, allow_overlap=name != "year", maptype=sorting.Count)
        for name in FACETS
    }


def _counts(results, name: str) -> list[tuple[str, int]]:
    counts = results.groups(name)
    pairs = [(str(value), count) for value, count in counts.items() if value not in (None, "")]
    if name == "year":
        return sorted(pairs, reverse=True)
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def _suggestion(reader, text: str) -> str | None:
    """Return the text with unknown words replaced by the closest known ones, if any."""
    suggestion, changed = text, False
    # Words only: not field names ("role:"), not numbers.
    for match in re.finditer(r"(?<![\w:])([^\W\d_]{3,})(?![\w:])", text):
        word = match.group(1).lower()
        if any((f"spell_{name}", word) in reader.reader() for name in SPELLING_FIELDS):
            continue
        for name in SPELLING_FIELDS:
            candidates = reader.corrector(name).suggest(word, limit=1)
            if candidates:
                suggestion = suggestion.replace(match.group(1), candidates[0], 1)
                changed = True
                break
    return suggestion if changed else None


class MarkFormatter(HtmlFormatter):
    """Mark matches with <mark>; the text around them is HTML-escaped by Whoosh."""

    template = "<mark>%(t)s</mark>"
