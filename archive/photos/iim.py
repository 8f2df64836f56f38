"""IPTC IIM (record 2) of an image's credits, in a Photoshop APP13 segment."""

import hashlib
import struct

from archive.photos.credits import Credits
from archive.photos.xmp import plain

# Dataset numbers and maximum lengths in bytes from the IPTC IIM 4.2 specification, record 2.
IIM_OBJECT_NAME = (5, 64)
IIM_KEYWORDS = (25, 64)
IIM_DATE_CREATED = (55, 8)
IIM_TIME_CREATED = (60, 11)
IIM_BY_LINE = (80, 32)
IIM_HEADLINE = (105, 256)
IIM_CREDIT = (110, 32)
IIM_COPYRIGHT_NOTICE = (116, 128)
IIM_CAPTION = (120, 2000)


def truncated(text: str, limit: int) -> bytes:
    """Return the text as UTF-8 cut to at most limit bytes without splitting a character."""
    # Only the cut can leave a partial character, and only at the end: drop its bytes.
    return text.encode()[:limit].decode("utf-8", "ignore").encode()


def iim(credits: Credits) -> bytes:
    """Return IPTC IIM records 1 and 2 holding the credits as UTF-8, in dataset order."""
    values = [
        (IIM_OBJECT_NAME, credits.title),
        *((IIM_KEYWORDS, keyword) for keyword in credits.keywords),
        (IIM_BY_LINE, credits.creator),
        (IIM_HEADLINE, credits.title),
        (IIM_CREDIT, credits.credit_line),
        (IIM_COPYRIGHT_NOTICE, credits.rights),
        (IIM_CAPTION, credits.description),
    ]
    if credits.taken_at is not None:
        # IIM's time carries its offset from UTC, as HHMMSS±HHMM.
        values.append((IIM_DATE_CREATED, credits.taken_at.strftime("%Y%m%d")))
        values.append((IIM_TIME_CREATED, credits.taken_at.strftime("%H%M%S%z")))
    datasets = [
        _dataset(1, 90, b"\x1b%G"),  # coded character set: UTF-8
        _dataset(2, 0, struct.pack(">H", 4)),  # record version 4
    ]
    for (number, limit), text in sorted(values, key=lambda value: value[0][0]):
        if data := truncated(plain(text), limit):
            datasets.append(_dataset(2, number, data))
    return b"".join(datasets)


def photoshop_segment(credits: Credits) -> bytes:
    """Return an APP13 segment holding the credits' IIM (resource 0x0404) and its digest."""
    data = iim(credits)
    # The digest (0x0425, MD5 of the IIM) tells Metadata Working Group readers that the
    # IIM was written with the XMP beside it, so neither is taken as stale.
    payload = (
        b"Photoshop 3.0\0"
        + _resource(0x0404, data)
        + _resource(0x0425, hashlib.md5(data, usedforsecurity=False).digest())
    )
    return b"\xff\xed" + struct.pack(">H", 2 + len(payload)) + payload


def _resource(number: int, data: bytes) -> bytes:
    """Return one Photoshop image resource with an empty name."""
    # An empty name is a zero length byte padded to an even size; the data is padded to an
    # even size too, but its recorded length excludes the padding.
    return b"8BIM" + struct.pack(">HHI", number, 0, len(data)) + data + b"\0" * (len(data) % 2)


def _dataset(record: int, number: int, data: bytes) -> bytes:
    """Return one IIM dataset: tag marker, record, dataset number, length, data."""
    return struct.pack(">BBBH", 0x1C, record, number, len(data)) + data
