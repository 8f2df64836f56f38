"""Suggesting other words for a search that found little, drawn from what the caller may see."""

import re
from collections.abc import Iterator

from archive.search.facets import FacetMasks
from archive.search.schema import ENGLISH, SPELLING_FIELDS

# Corrections asked of Whoosh per word and field; the first one an allowed photo holds wins.
SPELLING_CANDIDATES = 10


def spelling_suggestion(reader, masks: FacetMasks, allowed: int, text: str) -> str | None:
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
