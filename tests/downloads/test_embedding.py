"""A downloaded JPEG carries its credit and licence, readable by others, and nothing else."""

import io
import struct
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageStat, IptcImagePlugin

from archive.downloads.embedding import SRGB_PROFILE, credited_jpeg
from archive.photos.credits import Credits

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
}
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\0"
GPS_IFD = 0x8825

CC_BY = Credits(
    title="Glassblowing lathe, Chemistry workshop",
    description="A technician centres a borosilicate tube before joining it.",
    creator="Jo Whitfield",
    credit_line="Photo: Jo Whitfield / University Technical Services, CC BY 4.0",
    rights="Creative Commons Attribution 4.0",
    usage_terms="Anyone may share and adapt the photo for any purpose, giving credit.",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    alt_text="Hands holding a glass tube in a blue flame on a lathe.",
)
IRISH_AND_SPECIALS = Credits(
    title='Kiln room <script>&"',
    description="Zoë loads the kiln; temperatures reach 1 300 °C — “hot”.",
    creator="Zoë Ó Súilleabháin",
    credit_line="© Zoë Ó Súilleabháin. All rights reserved.",
    rights="All rights reserved",
    usage_terms='No use without written permission & never in <iframe src="x">.',
    licence_url="",
    alt_text='A woman in goggles beside an open kiln, <b>glowing</b> & "orange".',
)
INTERNAL = Credits(
    title="Lathe",
    description="",
    creator="M. Okafor",
    credit_line="Photo: M. Okafor / University Technical Services",
    rights="Institution internal and promotional use",
    usage_terms="May be used by the institution in its own material, with the credit line.",
    licence_url="",
    alt_text="A metal lathe.",
)
CREDIT_SETS = [
    pytest.param(CC_BY, id="cc-by"),
    pytest.param(IRISH_AND_SPECIALS, id="non-ascii-and-xml-specials"),
    pytest.param(INTERNAL, id="no-caption-no-url"),
]


def scene(size=(123, 77), mode="RGB") -> Image.Image:
    """Return a small picture with gradients and edges, so damage would show."""
    width, height = size
    red = Image.linear_gradient("L").resize(size)
    green = red.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    blue = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(250, 240, 20))
    draw.rectangle((width * 2 // 3, 5, width - 5, height - 5), fill=(10, 20, 30))
    return image.convert(mode)


def camera_jpeg() -> Image.Image:
    """Return a reopened JPEG with GPS, camera EXIF, an ICC profile, a comment and XMP."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS R5"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 12.0, 30.0), 3: "W", 4: (1.0, 33.0, 0.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    scene().save(
        buffer,
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=b"home address: 4 Privet Drive",
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>camera-owner-secret</x:xmpmeta>",
        dpi=(300, 300),
    )
    image = Image.open(io.BytesIO(buffer.getvalue()))
    # Without these the tests below would pass even if nothing were stripped.
    assert image.getexif().get_ifd(GPS_IFD)[1] == "N"
    assert image.getexif()[0x0110] == "Canon EOS R5"
    assert image.info["icc_profile"] == icc
    assert image.info["comment"].startswith(b"home address")
    assert b"camera-owner-secret" in image.info["xmp"]
    return image


def reopen(jpeg: bytes) -> Image.Image:
    """Return the JPEG bytes opened and decoded with Pillow."""
    image = Image.open(io.BytesIO(jpeg))
    image.load()
    return image


def segments(jpeg: bytes) -> list[tuple[int, bytes]]:
    """Return (marker, payload) for each segment before the image data."""
    assert jpeg[:2] == b"\xff\xd8"
    found, position = [], 2
    while jpeg[position + 1] != 0xDA:  # start of scan
        marker = jpeg[position + 1]
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        found.append((marker, jpeg[position + 4 : position + 2 + length]))
        position += 2 + length
    return found


def xmp_description(jpeg: bytes) -> ET.Element:
    """Return the rdf:Description of the file's only XMP packet."""
    packets = [
        payload[len(XMP_HEADER) :]
        for marker, payload in segments(jpeg)
        if marker == 0xE1 and payload.startswith(XMP_HEADER)
    ]
    assert len(packets) == 1
    return ET.fromstring(packets[0]).find("rdf:RDF/rdf:Description", NS)


def xmp_text(description: ET.Element, path: str) -> str | None:
    """Return the text at path under the description, or None if there is no such element."""
    element = description.find(path, NS)
    return None if element is None else element.text or ""


def alt(name: str) -> str:
    """Return the path to the x-default entry of a language alternative."""
    return f"{name}/rdf:Alt/rdf:li[@{{http://www.w3.org/XML/1998/namespace}}lang='x-default']"


def exif_text(value: str) -> str:
    """Return an EXIF string Pillow decoded as Latin-1 read as the UTF-8 it was written in."""
    return value.encode("latin-1").decode("utf-8")


def difference(a: Image.Image, b: Image.Image) -> float:
    """Return the mean absolute difference per channel (0–255) between two images."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


@pytest.mark.parametrize("credits", CREDIT_SETS)
def test_xmp_carries_every_credit_exactly(credits):
    description = xmp_description(credited_jpeg(scene(), credits))

    assert xmp_text(description, alt("dc:title")) == credits.title
    assert xmp_text(description, "dc:creator/rdf:Seq/rdf:li") == credits.creator
    assert xmp_text(description, alt("dc:rights")) == credits.rights
    assert xmp_text(description, "photoshop:Credit") == credits.credit_line
    assert xmp_text(description, alt("xmpRights:UsageTerms")) == credits.usage_terms
    assert xmp_text(description, alt("Iptc4xmpCore:AltTextAccessibility")) == credits.alt_text
    assert xmp_text(description, "xmpRights:Marked") == "True"
    assert xmp_text(description, alt("dc:description")) == (credits.description or None)
    assert xmp_text(description, "xmpRights:WebStatement") == (credits.licence_url or None)


def test_xmp_survives_control_characters_and_keeps_line_breaks():
    credits = replace(CC_BY, description="First line\x0cstill first\r\nsecond\x00 line")

    description = xmp_description(credited_jpeg(scene(), credits))

    assert xmp_text(description, alt("dc:description")) == "First linestill first\r\nsecond line"


@pytest.mark.parametrize("credits", CREDIT_SETS)
def test_iptc_carries_the_credits_as_utf8(credits):
    iptc = IptcImagePlugin.getiptcinfo(reopen(credited_jpeg(scene(), credits)))

    assert iptc[1, 90] == b"\x1b%G"
    assert iptc[2, 0] == b"\x00\x04"
    assert iptc[2, 5].decode() == credits.title
    assert iptc[2, 80].decode() == credits.creator
    assert iptc[2, 116].decode() == credits.rights
    if credits.description:
        assert iptc[2, 120].decode() == credits.description
    else:
        assert (2, 120) not in iptc


def test_iptc_is_cut_to_the_iim_limits_between_characters():
    credits = replace(
        CC_BY,
        title="€" * 30,  # 90 bytes; 64 allowed, and the 22nd euro would straddle byte 64
        creator="a" + "é" * 20,  # 41 bytes; 32 allowed, the 16th é would straddle byte 32
        credit_line="Photo: Zoë Ó Súilleabháin / University Technical Services",
        description="ü" * 1001,  # 2002 bytes; 2000 allowed
    )

    iptc = IptcImagePlugin.getiptcinfo(reopen(credited_jpeg(scene(), credits)))

    assert iptc[2, 5].decode() == "€" * 21
    assert iptc[2, 80].decode() == "a" + "é" * 15
    assert iptc[2, 110].decode() == "Photo: Zoë Ó Súilleabháin / "  # 32 bytes, 28 letters
    assert iptc[2, 120].decode() == "ü" * 1000
    # The XMP has no such limits and keeps every word.
    description = xmp_description(credited_jpeg(scene(), credits))
    assert xmp_text(description, "photoshop:Credit") == credits.credit_line


@pytest.mark.parametrize("title", ["Kiln", "Kilns"])
def test_photoshop_resource_is_padded_to_even_length(title):
    jpeg = credited_jpeg(scene(), replace(CC_BY, title=title))
    (app13,) = [payload for marker, payload in segments(jpeg) if marker == 0xED]

    assert app13.startswith(b"Photoshop 3.0\0")
    resource = app13[len(b"Photoshop 3.0\0") :]
    signature, resource_id, name, size = struct.unpack(">4sHHI", resource[:12])
    assert (signature, resource_id, name) == (b"8BIM", 0x0404, 0)
    digest = resource[12 + size + size % 2 :]  # data, then one pad byte if odd
    assert struct.unpack(">4sHHI", digest[:12]) == (b"8BIM", 0x0425, 0, 16)  # the IIM's MD5
    assert len(digest) == 12 + 16


@pytest.mark.parametrize("credits", CREDIT_SETS)
def test_exif_holds_only_caption_artist_copyright_and_the_required_tags(credits):
    exif = reopen(credited_jpeg(camera_jpeg(), credits)).getexif()

    required = {0x011A, 0x011B, 0x0128, 0x0213}  # X/YResolution, ResolutionUnit, YCbCrPositioning
    assert set(exif) == {0x013B, 0x8298} | required | ({0x010E} if credits.description else set())
    # The Metadata Working Group reads ImageDescription as the caption, not the title.
    assert exif_text(exif.get(0x010E, "")) == credits.description
    assert exif_text(exif[0x013B]) == credits.creator
    assert exif_text(exif[0x8298]) == credits.rights
    assert exif.get_ifd(GPS_IFD) == {}


def test_nothing_from_the_camera_file_survives():
    jpeg = credited_jpeg(camera_jpeg(), IRISH_AND_SPECIALS)
    image = reopen(jpeg)

    assert image.info["icc_profile"] == SRGB_PROFILE  # ours, not the camera's
    assert "comment" not in image.info
    assert image.getexif().get(0x0110) is None
    assert b"camera-owner-secret" not in jpeg
    assert b"Privet Drive" not in jpeg
    assert b"Canon" not in jpeg


def test_headers_are_jfif_exif_xmp_iptc_then_the_profile_before_the_tables():
    markers = [marker for marker, _ in segments(credited_jpeg(camera_jpeg(), CC_BY))]

    headers = markers[: markers.index(0xDB)]  # everything before the first DQT
    assert headers == [0xE0, 0xE1, 0xE1, 0xED, 0xE2]
    assert 0xFE not in markers  # no comment anywhere


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA"])
def test_picture_is_intact(mode):
    original = scene(mode=mode)

    image = reopen(credited_jpeg(original, CC_BY))

    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == original.size
    assert difference(image, original.convert("RGB")) < 3


def test_quality_is_honoured():
    low = credited_jpeg(scene(), CC_BY, quality=20)
    high = credited_jpeg(scene(), CC_BY, quality=95)

    assert len(low) < len(high)


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        pytest.param("ب" * 32, "ب" * 32, id="exactly-64-bytes"),
        pytest.param("ب" * 33, "ب" * 32, id="one-letter-over"),
        pytest.param("a" + "ب" * 32, "a" + "ب" * 31, id="letter-straddles-byte-64"),
        pytest.param("ab" + "🔬" * 16, "ab" + "🔬" * 15, id="four-byte-letters"),
    ],
)
def test_iim_object_name_is_cut_at_64_bytes_between_letters(title, kept):
    iptc = IptcImagePlugin.getiptcinfo(reopen(credited_jpeg(scene(), replace(CC_BY, title=title))))

    assert iptc[2, 5].decode() == kept  # decodes: no half letter left at the end
    assert iptc[2, 105].decode() == title  # the headline's limit is 256 bytes
