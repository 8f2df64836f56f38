"""Credits spliced into a JPEG: one place builds the segments, for downloads and derivatives.

The IPTC Photo Metadata Standard maps each field to XMP and to IIM; both are written, in
their own segments, without decoding the picture.
"""

import struct

from archive.photos.credits import Credits
from archive.photos.iim import photoshop_segment
from archive.photos.xmp import xmp_packet

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\0"
PHOTOSHOP_HEADER = b"Photoshop 3.0\0"
_SOS = 0xDA
_APP0, _APP1, _APP13 = 0xE0, 0xE1, 0xED


def credit_segments(credits: Credits) -> bytes:
    """Return the APP1 (XMP) and APP13 (IPTC IIM) segments holding the credits."""
    if credits == Credits():
        return b""
    return _segment(_APP1, XMP_HEADER + xmp_packet(credits)) + photoshop_segment(credits)


def with_credits(jpeg: bytes, credits: Credits) -> bytes:
    """Return the JPEG with its XMP and IIM replaced by the credits' (the pixels untouched).

    The segments go after the JFIF and EXIF headers, where readers look for them first.
    """
    kept, position, insert_at = [jpeg[:2]], 2, None
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    while jpeg[position] == 0xFF and jpeg[position + 1] != _SOS:
        marker = jpeg[position + 1]
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        segment = jpeg[position : position + 2 + length]
        payload = segment[4:]
        position += 2 + length
        if (marker == _APP1 and payload.startswith(XMP_HEADER)) or (
            marker == _APP13 and payload.startswith(PHOTOSHOP_HEADER)
        ):
            continue  # replaced by the new credits
        if insert_at is None and marker not in (_APP0, _APP1):
            insert_at = len(kept)
        kept.append(segment)
    if insert_at is None:
        insert_at = len(kept)
    kept.insert(insert_at, credit_segments(credits))
    return b"".join(kept) + jpeg[position:]


def _segment(marker: int, payload: bytes) -> bytes:
    """Return a JPEG marker segment holding the payload."""
    return struct.pack(">BBH", 0xFF, marker, 2 + len(payload)) + payload
