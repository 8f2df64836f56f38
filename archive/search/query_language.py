"""Reading what someone typed as a query: its syntax, the fields they may search, its caps."""

import re

from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, QueryParser
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query import Every, MultiTerm, NullQuery, Query, Wildcard

from archive.auth.access import Action, allows
from archive.auth.models import Role
from archive.core.parameters import Refusal
from archive.people.edi import edi_attributes
from archive.search.schema import DEFAULT_FIELD, build_schema

FIELD_ALIASES = {"people": ["person", "name"]}
# Searched only by those who may see the people shown: a name field answers
# `person:oli*` letter by letter, and EDI answers are special-category data.
PEOPLE_FIELD = "people"
EDI_FIELDS = "edi_*"
# The most wildcard, prefix and range terms one query may hold, and the most index words
# they may stand for together: 78 wildcards over a large archive took a worker down.
MAX_PATTERNS = 8
MAX_EXPANDED_WORDS = 2000


class SearchRefused(Refusal):
    """A query the archive will not run, with a message saying why (a 400 wherever it ends).

    An HTTP error on purpose: searches run from several features' views, and a refused
    one must answer 400 in each of them, never 500.
    """

    error_code = "query_refused"


def may_search_people(role: Role | None) -> bool:
    """Return whether someone in `role` may search the people shown: names and EDI answers."""
    return allows(role, Action.SEARCH_PEOPLE)


def searches_edi(text: str) -> bool:
    """Return whether a curator's query asks about people's EDI answers (e.g. gender:woman)."""
    query, _as_words = parse_query(text, reviewer=True)
    return any(name.startswith("edi_") for name in _fields(query))


def parse_query(text: str, reviewer: bool) -> tuple[Query, bool]:
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


def refuse_if_too_broad(query: Query, reader) -> None:
    """Raise SearchRefused if wildcards, prefixes or ranges would expand past the caps."""
    patterns = [leaf for leaf in query.leaves() if isinstance(leaf, MultiTerm)]
    if any(isinstance(leaf, Wildcard) and leaf.text[:1] in "*?" for leaf in patterns):
        raise SearchRefused(too_broad_message("a word may not begin with * or ?"))
    if len(patterns) > MAX_PATTERNS:
        raise SearchRefused(
            too_broad_message(f"it holds more than {MAX_PATTERNS} wildcards or ranges")
        )
    expanded = 0
    for leaf in patterns:
        for _ in leaf.expanded_terms(reader.reader()):
            expanded += 1
            if expanded > MAX_EXPANDED_WORDS:
                raise SearchRefused(too_broad_message("its wildcards match too many words"))


def too_broad_message(reason: str) -> str:
    """Return the sentence refusing a search too broad to run, for `reason`."""
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
