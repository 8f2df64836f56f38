"""The XMP packet of an image's credits, in the properties the IPTC Photo Metadata names."""

import re
from xml.sax.saxutils import escape

from archive.photos.credits import Credits

XMP_NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}
# A JPEG segment holds at most 64 KB, and XMP has no limits of its own: long texts (a
# caption, a licence's terms) are cut here, escaped at most five times their length.
XMP_TEXT_LIMIT = 5000

# Characters XML 1.0 cannot carry even when escaped; a stray form feed pasted into a
# caption would otherwise make the whole XMP packet unreadable.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def plain(text: str) -> str:
    """Return the text without characters that XML 1.0 cannot hold."""
    return _NOT_XML_CHAR.sub("", text)


def xmp_packet(credits: Credits) -> bytes:
    """Return an XMP packet with the credits in Dublin Core, Photoshop, XMP Rights, IPTC, PLUS."""
    title = credits.title
    fields = [
        (_alt, "dc:title", title),
        (_alt, "dc:description", credits.description),
        (_seq, "dc:creator", credits.creator),
        (_alt, "dc:rights", credits.rights),
        (_bag, "dc:subject", credits.keywords),
        (_simple, "photoshop:Headline", title),
        (_simple, "photoshop:Credit", credits.credit_line),
        (_simple, "photoshop:DateCreated", credits.taken_at and credits.taken_at.isoformat()),
        (_alt, "xmpRights:UsageTerms", credits.usage_terms),
        (_simple, "xmpRights:WebStatement", credits.licence_url),
        (_alt, "Iptc4xmpCore:AltTextAccessibility", credits.alt_text),
        (_bag, "Iptc4xmpExt:PersonInImage", credits.people),
        (_simple, "Iptc4xmpExt:DigitalSourceType", credits.digital_source_type),
        (_simple, "plus:ModelReleaseStatus", credits.model_release),
        (_licensor, "plus:Licensor", (credits.licensor_name, credits.licensor_url)),
    ]
    properties = [
        written for write, name, value in fields if value and (written := write(name, value))
    ]
    # Every licence we offer, even the most open, keeps some rights (attribution at least).
    if credits.rights:
        properties.append(_simple("xmpRights:Marked", "True"))
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


def _text(text: str) -> str:
    """Return the text cleaned, cut to XMP_TEXT_LIMIT and escaped for XML element content."""
    # A literal carriage return would be normalised to a line feed by every XML parser.
    return escape(plain(text)[:XMP_TEXT_LIMIT], {"\r": "&#13;"})


def _alt(name: str, text: str) -> str:
    if not (value := _text(text)):
        return ""
    return f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{value}</rdf:li></rdf:Alt></{name}>'


def _seq(name: str, text: str) -> str:
    if not (value := _text(text)):
        return ""
    return f"<{name}><rdf:Seq><rdf:li>{value}</rdf:li></rdf:Seq></{name}>"


def _bag(name: str, texts: tuple[str, ...]) -> str:
    items = "".join(f"<rdf:li>{value}</rdf:li>" for text in texts if (value := _text(text)))
    return f"<{name}><rdf:Bag>{items}</rdf:Bag></{name}>" if items else ""


def _simple(name: str, text: str) -> str:
    return f"<{name}>{value}</{name}>" if (value := _text(text)) else ""


def _licensor(name: str, licensor: tuple[str, str]) -> str:
    """Return the PLUS Licensor: a sequence of one structure with the name and web address."""
    parts = _simple("plus:LicensorName", licensor[0]) + _simple("plus:LicensorURL", licensor[1])
    if not parts:
        return ""
    return f'<{name}><rdf:Seq><rdf:li rdf:parseType="Resource">{parts}</rdf:li></rdf:Seq></{name}>'
