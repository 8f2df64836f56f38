"""What the index holds for each photo."""

from datetime import date

from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from archive.consent.models import ConsentScope

ENGLISH = StemmingAnalyzer()
# A scope's field holds the last day (YYYYMMDD) the photo may be used in it, 0 if none:
# a consent expiring tomorrow needs no reindexing to stop counting the day after.
NEVER = 0
NO_END = 99991231
# The uses whose last day the index holds: the four it was created with. An index keeps the
# schema it was made with, so a use added later would be a field existing indexes lack;
# exhibitions about identity are judged by allowed() item by item, never through search, and
# a career profile is judged per person (profiles.showing), not per photo.
INDEXED_SCOPES = (
    ConsentScope.INTERNAL,
    ConsentScope.EXHIBITION,
    ConsentScope.WEB,
    ConsentScope.PRESS,
)


def scope_field(scope: ConsentScope) -> str:
    """Return the name of the field holding the last day the photo may be used in scope."""
    return f"until_{scope.value}"


def day_number(day: date) -> int:
    """Return a date as the integer YYYYMMDD the scope fields hold."""
    return day.year * 10000 + day.month * 100 + day.day


def build_schema() -> Schema:
    """Return the index schema; EDI answers go in unstored edi_* fields curators alone query."""
    schema = Schema(
        id=ID(stored=True, unique=True),
        # Plain words are looked up in `text` alone: one posting list per word, instead of
        # one per field, is what keeps word queries fast on a large archive.
        text=TEXT(analyzer=ENGLISH),
        title=TEXT(analyzer=ENGLISH, stored=True, spelling=True),
        caption=TEXT(analyzer=ENGLISH, stored=True, spelling=True),
        people=TEXT(stored=False),
        role=KEYWORD(commas=True, lowercase=True),
        department=KEYWORD(commas=True, lowercase=True),
        licence=KEYWORD(commas=True, lowercase=True),
        # One term per value: years are few, and only exact years and ranges are asked.
        year=NUMERIC(int, bits=16, signed=False, shift_step=16, sortable=True),
        # Only ever sorted on: a column, no postings.
        taken=COLUMN(NumericColumn("q")),
        status=ID(),
        # What the document was made from (documents.py): check compares it with the database.
        fingerprint=STORED(),
    )
    for scope in INDEXED_SCOPES:
        schema.add(scope_field(scope), NUMERIC(int, bits=32, signed=False, shift_step=16))
    schema.add("edi_*", KEYWORD(commas=True, lowercase=True), glob=True)
    return schema


DEFAULT_FIELD = "text"
SPELLING_FIELDS = ["caption", "title"]
FACETS = ["role", "department", "year", "licence"]
