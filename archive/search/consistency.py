"""Whether this host's index says of each photo what the database says of it now."""

from archive.search.documents import document_for, fingerprint_day
from archive.search.index import open_index, photo_batches


def stale_documents() -> list[int]:
    """Return the ids of the indexed photos whose document the database would now make otherwise.

    A document without a fingerprint (from an index made before they were stored) counts
    as stale. Photos missing from the index, or in it though they should not be, are not
    named: comparing the ids finds those. One pass over the database in batches, loading
    what a rebuild loads; no query per photo.
    """
    stored = _stored_fingerprints()
    stale = []
    for batch in photo_batches():
        for photo in batch:
            if photo.id not in stored:
                continue
            fingerprint = stored[photo.id]
            if fingerprint is None or (
                document_for(photo, fingerprint_day(fingerprint))["fingerprint"] != fingerprint
            ):
                stale.append(photo.id)
    return stale


def _stored_fingerprints() -> dict[int, str | None]:
    with open_index().searcher() as reader:
        return {
            int(fields["id"]): fields.get("fingerprint") for fields in reader.all_stored_fields()
        }
