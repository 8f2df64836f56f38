"""Whoosh's W3 codec with one fix: remember which fields have no length column.

When a segment is written, Whoosh asks for each posting's field length; for a field
that stores no lengths (IDs, numbers, keywords, spelling words) its reader checks the
disk for the missing column file every single time, one system call per posting. That
made rebuilding the index several times slower. Writers are given this codec.
"""

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader


class _LengthReader(W3PerDocReader):
    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            # Whoosh caches found columns only; cache "no such column" too.
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class ArchiveCodec(W3Codec):
    """The standard W3 codec, with field-length lookups that do not hit the disk."""

    def per_document_reader(self, storage, segment):
        """Return a reader that remembers absent length columns."""
        return _LengthReader(storage, segment)
