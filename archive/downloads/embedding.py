"""Write a photo as a JPEG that carries its credit and licence in XMP, IPTC IIM and EXIF."""

import io
import re
import struct
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import Image

XMP_NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
}

# Maximum lengths in bytes from the IPTC IIM 4.2 specification, record 2.
IIM_OBJECT_NAME = (5, 64)
IIM_BY_LINE = (80, 32)
IIM_CREDIT = (110, 32)
IIM_COPYRIGHT_NOTICE = (116, 128)
IIM_CAPTION = (120, 2000)

EXIF_IMAGE_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298

# Characters XML 1.0 cannot carry even when escaped; a stray form feed pasted into a
# caption would otherwise make the whole XMP packet unreadable.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Credits:
    """The words that travel inside a downloaded photo; empty ones are left out."""

    title: str
    description: str  # caption
    creator: str  # photographer
    credit_line: str  # e.g. "Photo: Jo Whitfield / University Technical Services"
    rights: str  # copyright or rights statement, e.g. the licence name
    usage_terms: str  # licence terms text
    licence_url: str  # may be ""
    alt_text: str


def credited_jpeg(image: Image.Image, credits: Credits, *, quality: int = 90) -> bytes:
    """Return a JPEG of the image whose XMP, IPTC and EXIF hold the credits and nothing else."""
    picture = image.convert("RGB")  # always a new image, so clearing its info is safe
    # Pillow's JPEG writer falls back to image.info for some metadata (the comment, at
    # least), so the input's GPS, camera EXIF, ICC profile and comments must not reach it.
    picture.info = {}
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, exif=_exif(credits), xmp=_xmp(credits))
    return _insert_after_app1(buffer.getvalue(), _photoshop_segment(_iim(credits)))


def _plain(text: str) -> str:
    """Return the text without characters that XML 1.0 cannot hold."""
    return _NOT_XML_CHAR.sub("", text)


def _xml_text(text: str) -> str:
    """Return the text escaped for XML element content."""
    # A literal carriage return would be normalised to a line feed by every XML parser.
    return escape(text, {"\r": "&#13;"})


def _xmp(credits: Credits) -> bytes:
    """Return an XMP packet with the credits in Dublin Core, XMP Rights and IPTC Core."""

    def alt(name: str, text: str) -> str:
        return (
            f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{_xml_text(text)}'
            f"</rdf:li></rdf:Alt></{name}>"
        )

    def seq(name: str, text: str) -> str:
        return f"<{name}><rdf:Seq><rdf:li>{_xml_text(text)}</rdf:li></rdf:Seq></{name}>"

    def simple(name: str, text: str) -> str:
        return f"<{name}>{_xml_text(text)}</{name}>"

    fields = [
        (alt, "dc:title", credits.title),
        (alt, "dc:description", credits.description),
        (seq, "dc:creator", credits.creator),
        (alt, "dc:rights", credits.rights),
        (simple, "photoshop:Credit", credits.credit_line),
        (alt, "xmpRights:UsageTerms", credits.usage_terms),
        (simple, "xmpRights:WebStatement", credits.licence_url),
        (alt, "Iptc4xmpCore:AltTextAccessibility", credits.alt_text),
    ]
    properties = [write(name, clean) for write, name, text in fields if (clean := _plain(text))]
    # Every licence we offer, even the most open, keeps some rights (attribution at least).
    properties.append(simple("xmpRights:Marked", "True"))
    declarations = " ".join(
        f'xmlns:{prefix}="{uri}"' for prefix, uri in XMP_NAMESPACES.items() if prefix != "x"
    )
    body = "\n   ".join(properties)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f'<x:xmpmeta xmlns:x="{XMP_NAMESPACES["x"]}">\n'
        f" <rdf:RDF {declarations}>\n"
        f'  <rdf:Description rdf:about="">\n   {body}\n  </rdf:Description>\n'
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode()


def _exif(credits: Credits) -> Image.Exif:
    """Return EXIF holding only the title, artist and copyright."""
    exif = Image.Exif()
    for tag, text in [
        (EXIF_IMAGE_DESCRIPTION, credits.title),
        (EXIF_ARTIST, credits.creator),
        (EXIF_COPYRIGHT, credits.rights),
    ]:
        if clean := _plain(text):
            # EXIF says ASCII, but Pillow would turn every non-ASCII letter into "?"; UTF-8 is
            # what the Metadata Working Group recommends and what ExifTool reads by default.
            exif[tag] = clean.encode()
    return exif


def _truncated(text: str, limit: int) -> bytes:
    """Return the text as UTF-8 cut to at most limit bytes without splitting a character."""
    return text.encode()[:limit].decode("utf-8", "ignore").encode()


def _iim_dataset(record: int, number: int, data: bytes) -> bytes:
    """Return one IIM dataset: tag marker, record, dataset number, length, data."""
    return struct.pack(">BBBH", 0x1C, record, number, len(data)) + data


def _iim(credits: Credits) -> bytes:
    """Return IPTC IIM records 1 and 2 holding the credits as UTF-8."""
    datasets = [
        _iim_dataset(1, 90, b"\x1b%G"),  # coded character set: UTF-8
        _iim_dataset(2, 0, struct.pack(">H", 4)),  # record version 4
    ]
    for (number, limit), text in [
        (IIM_OBJECT_NAME, credits.title),
        (IIM_BY_LINE, credits.creator),
        (IIM_CREDIT, credits.credit_line),
        (IIM_COPYRIGHT_NOTICE, credits.rights),
        (IIM_CAPTION, credits.description),
    ]:
        if data := _truncated(_plain(text), limit):
            datasets.append(_iim_dataset(2, number, data))
    return b"".join(datasets)


def _photoshop_segment(iim: bytes) -> bytes:
    """Return an APP13 segment holding the IIM data as Photoshop resource 0x0404."""
    # An empty resource name is a zero length byte padded to an even size; the data is
    # padded to an even size too, but its recorded length excludes the padding.
    resource = b"8BIM" + struct.pack(">HHI", 0x0404, 0, len(iim)) + iim + b"\0" * (len(iim) % 2)
    payload = b"Photoshop 3.0\0" + resource
    return b"\xff\xed" + struct.pack(">H", 2 + len(payload)) + payload


def _insert_after_app1(jpeg: bytes, segment: bytes) -> bytes:
    """Return the JPEG with the segment placed after its APP0 and APP1 segments."""
    position = 2  # after SOI
    while jpeg[position] == 0xFF and jpeg[position + 1] in (0xE0, 0xE1):
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        position += 2 + length
    return jpeg[:position] + segment + jpeg[position:]
