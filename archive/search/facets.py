"""Facet counts from bitmasks: each facet value's documents as one Python integer.

Whoosh's own grouping walks every posting of every facet term on every query, which
grew to hundreds of milliseconds at a hundred thousand photos. Here each value's
documents are read once per index generation into an integer bitmask; a query's count
for a value is then one AND and one bit count, in C. The same holds for ranking: each
word's scores are worked out once per generation and kept (FacetMasks.ranked).
"""

import heapq
import math
import time
from array import array
from collections.abc import Iterable, Iterator

from whoosh.collectors import WrappingCollector
from whoosh.query import And, Every, Not, NumericRange, Or, Term
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher, TimeLimit

# Word masks kept per index generation; a query mentions few words, the archive many.
TERM_CACHE = 512
# Words' relevance scores kept per generation: a float per document, 400 KB at 100,000.
SCORE_CACHE = 64
# The positions of the set bits in each byte value, to walk a bitmask a byte at a time.
_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def bitmask(docnums: Iterable[int], size: int) -> int:
    """Return the document numbers as an integer with those bits set."""
    bits = bytearray((size + 7) // 8)
    for docnum in docnums:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


class FacetMasks:
    """The bitmasks of one searcher's index generation: facet values and live documents."""

    def __init__(self, searcher: Searcher, fields: list[str], until_fields: list[str]):
        reader = searcher.reader()
        self._searcher = searcher
        self._reader = reader
        self._terms: dict[tuple[str, str], int] = {}
        self._scores: dict[tuple, tuple[array, list[int], int]] = {}
        self.size = reader.doc_count_all()
        self.live = (
            bitmask((n for n in range(self.size) if not reader.is_deleted(n)), self.size)
            if reader.has_deletions()
            else (1 << self.size) - 1
        )
        # Newest first by date taken: the order of answers that have no relevance to rank.
        taken = reader.column_reader("taken") if reader.has_column("taken") else None
        self.newest_first = sorted(
            range(self.size), key=lambda n: -(taken[n] or 0) if taken is not None else n
        )
        # For each scope: the documents usable until each day, to find "usable today" fast.
        self.until: dict[str, dict[int, int]] = {}
        for name in until_fields:
            field = searcher.schema[name]
            self.until[name] = {
                field.from_bytes(term): bitmask(reader.postings(name, term).all_ids(), self.size)
                for term in field.sortable_terms(reader, name)
            }
        self.fields = {name: searcher.schema[name] for name in fields}
        self.values: dict[str, dict[str, int]] = {}
        for name, field in self.fields.items():
            self.values[name] = {
                _label(field, term): bitmask(reader.postings(name, term).all_ids(), self.size)
                for term in reader.lexicon(name)
            }

    def evaluate(self, query) -> int | None:
        """Return the documents a query matches, from bitmasks, or None if it cannot tell.

        Terms, year ranges and their AND/OR/NOT combinations are answered here: facet
        values from the masks built with the generation, words from masks built on first
        use and kept until the next generation. Phrases and other queries need Whoosh.
        """
        if isinstance(query, Every):
            return self.live
        if isinstance(query, Term) and query.fieldname in self.values:
            text = query.text
            if isinstance(text, bytes):  # numeric terms arrive encoded
                text = _label(self.fields[query.fieldname], text)
            return self.values[query.fieldname].get(text, 0)
        if isinstance(query, Term) and isinstance(query.text, str):
            return self.term_mask(query.fieldname, query.text)
        if isinstance(query, NumericRange) and query.fieldname == "year":
            low, high = query.start or 0, query.end or 9999
            return _union(m for y, m in self.values["year"].items() if low <= int(y) <= high)
        if isinstance(query, And | Or):
            parts = [self.evaluate(part) for part in query.subqueries]
            if any(part is None for part in parts):
                return None
            if isinstance(query, Or):
                return _union(parts)
            result = self.live
            for part in parts:
                result &= part
            return result
        if isinstance(query, Not):
            inner = self.evaluate(query.query)
            return None if inner is None else self.live & ~inner
        return None

    def term_mask(self, fieldname: str, text: str) -> int:
        """Return the documents whose field holds the (analysed) word, kept for the generation."""
        key = (fieldname, text)
        if key not in self._terms:
            if len(self._terms) >= TERM_CACHE:
                self._terms.clear()
            try:
                postings = self._reader.postings(fieldname, text).all_ids()
            except TermNotFound:
                postings = ()
            self._terms[key] = bitmask(postings, self.size)
        return self._terms[key]

    def ranked(self, matched: int, words: list[Term], count: int, skip: int = 0) -> list[int]:
        """Return a page of the matched documents, most relevant to the words first.

        The ranking is Whoosh's own (each word's BM25F score, summed; ties by document
        number), but each word is scored once per generation, not on every query: at a
        hundred thousand photos a common word matches most of them.
        """
        if len(words) == 1:
            _, best_first, mask = self._word_scores(words[0])
            if not matched & ~mask:  # every match has the word: walk its documents in order
                return first_set(matched, best_first, count, skip)
        tables = [self._word_scores(word)[0] for word in words]
        best = heapq.nlargest(
            skip + count,
            set_bits(matched),
            key=lambda docnum: (sum(table[docnum] for table in tables), -docnum),
        )
        return best[skip:]

    def _word_scores(self, word: Term) -> tuple[array, list[int], int]:
        """Return a word's score for every document, its documents best first, and its mask."""
        key = (word.fieldname, word.text, word.boost)
        if key not in self._scores:
            if len(self._scores) >= SCORE_CACHE:
                self._scores.clear()
            scores = array("f", bytes(4 * self.size))
            found = []
            matcher = word.matcher(self._searcher, self._searcher.context())
            while matcher.is_active():
                docnum = matcher.id()
                scores[docnum] = matcher.score()
                found.append(docnum)
                matcher.next()
            found.sort(key=lambda docnum: -scores[docnum])  # stable: ties stay in docnum order
            self._scores[key] = (scores, found, bitmask(found, self.size))
        return self._scores[key]

    def usable_from(self, until_fields: Iterable[str], day: int) -> int:
        """Return the documents whose last usable day (YYYYMMDD) in any field is `day` or later."""
        return _union(
            mask
            for until_field in until_fields
            for last, mask in self.until[until_field].items()
            if last >= day
        )

    def counts(self, matched: int) -> dict[str, list[tuple[str, int]]]:
        """Return, for each facet, its values with how many matched documents have them."""
        counts = {}
        for name, values in self.values.items():
            pairs = [(label, (mask & matched).bit_count()) for label, mask in values.items()]
            counts[name] = [(label, count) for label, count in pairs if count and label]
        return counts


def _union(masks) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def _label(field, term: bytes) -> str:
    value = field.from_bytes(term)
    return str(value) if not isinstance(value, str) else value


def set_bits(mask: int) -> Iterator[int]:
    """Yield the document numbers set in mask, in order."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8 or 1, "little")
    for index, value in enumerate(data):
        if value:
            base = index << 3
            for bit in _BITS[value]:
                yield base + bit


def first_set(mask: int, order: list[int], count: int, skip: int = 0) -> list[int]:
    """Return up to `count` document numbers set in mask, in the given order, after `skip`."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8 or 1, "little")
    found: list[int] = []
    for docnum in order:
        index = docnum >> 3
        if index < len(data) and data[index] >> (docnum & 7) & 1:
            if skip:
                skip -= 1
            else:
                found.append(docnum)
                if len(found) == count:
                    break
    return found


class MatchRecorder(WrappingCollector):
    """Collects the top matches among allowed documents, and records every allowed match.

    One pass over the matches gives both the page of results and the bitmask the facet
    counts and the total come from. Block-quality skipping is off in the child collector,
    since every match must be seen to be recorded.
    """

    def __init__(self, child, allowed: int, size: int, deadline: float = math.inf):
        super().__init__(child)
        self.deadline = deadline
        length = (size + 7) // 8 or 1
        self.allowed = allowed.to_bytes(length, "little")
        self.bits = bytearray(length)

    def collect_matches(self) -> None:
        """Collect the allowed matches of this sub-searcher; raise TimeLimit past the deadline."""
        child, allowed, bits, offset = self.child, self.allowed, self.bits, self.offset
        deadline = self.deadline
        for seen, sub_docnum in enumerate(child.matches()):
            # The clock every 4096 matches costs little; a signal would need the main thread.
            if not seen & 0xFFF and time.monotonic() > deadline:
                raise TimeLimit
            docnum = offset + sub_docnum
            index, bit = docnum >> 3, 1 << (docnum & 7)
            if allowed[index] & bit:
                bits[index] |= bit
                child.collect(sub_docnum)

    def matched(self) -> int:
        """Return the allowed matches as a bitmask."""
        return int.from_bytes(self.bits, "little")
