"""Derivatives are upright, sRGB, sized as promised and carry no metadata but their credit."""

import io

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from archive.licences.services import licence_by_code
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import DerivativeKind
from archive.storage import get_storage

ORIENTATIONS = range(1, 9)


def ingest(path):
    details = PhotoDetails(title=path.stem, no_identifiable_people=True)
    return ingest_file(path, details, original_filename=path.name, uploaded_by=None).photo


def derivative_image(photo, kind: DerivativeKind) -> Image.Image:
    with get_storage().open(photo.derivative(kind).storage_key) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def difference(a: Image.Image, b: Image.Image) -> float:
    """Return the mean absolute difference per channel (0–255) of small copies of a and b."""

    def small(image):
        return image.convert("RGB").resize((48, 36), Image.Resampling.BOX)

    return sum(ImageStat.Stat(ImageChops.difference(small(a), small(b))).mean) / 3


def best_turn(seen: Image.Image, reference: Image.Image):
    """Return the rotation or flip of `seen` closest to `reference` (None: as it is)."""
    turns = [None, *Image.Transpose]
    return min(
        turns,
        key=lambda turn: difference(seen if turn is None else seen.transpose(turn), reference),
    )


def jpeg_segments(data: bytes) -> list[int]:
    """Return the marker bytes of a JPEG's header segments, up to the start of scan."""
    markers, position = [], 2
    while position < len(data):
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_every_orientation_sample_becomes_upright(app, samples, shape):
    upright = {n: ingest(samples / "orientation" / f"{shape}_{n}.jpg") for n in ORIENTATIONS}
    for kind in DerivativeKind:
        reference = derivative_image(upright[1], kind)
        assert (reference.width > reference.height) == (shape == "landscape")
        for n in ORIENTATIONS:
            seen = derivative_image(upright[n], kind)
            assert seen.size == reference.size, f"{shape}_{n} {kind}"
            assert best_turn(seen, reference) is None, f"{shape}_{n} {kind} is not upright"


@pytest.mark.parametrize("n", [2, 3, 5, 6, 7, 8])
def test_the_upright_check_sees_a_picture_left_as_stored(samples, n):
    # Guards the test above: the stored pixels, orientation not applied, are caught as turned.
    with (
        Image.open(samples / "orientation" / "landscape_1.jpg") as reference,
        Image.open(samples / "orientation" / f"landscape_{n}.jpg") as stored,
    ):
        assert best_turn(stored, reference) is not None
        assert best_turn(ImageOps.exif_transpose(stored), reference) is None


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_generated_phone_photos_are_upright_by_their_corner_colours(app, picture, orientation):
    # make_scene paints the top-left red and the bottom-right blue when upright.
    photo = ingest(picture(size=(900, 600), orientation=orientation))
    thumb = derivative_image(photo, DerivativeKind.THUMB)
    assert thumb.size == (400, 267)
    red, _, blue = thumb.getpixel((3, 3))
    assert red > 150 and blue < 100, f"top-left is {thumb.getpixel((3, 3))}"
    red, _, blue = thumb.getpixel((thumb.width - 4, thumb.height - 4))
    assert blue > 150 and red < 100


def test_sizes_follow_the_long_edge_and_never_enlarge(app, picture):
    big = ingest(picture(size=(3000, 2000)))
    assert [
        (d.kind, d.width, d.height) for d in sorted(big.derivatives, key=lambda d: d.width)
    ] == [
        (DerivativeKind.THUMB, 400, 267),
        (DerivativeKind.DISPLAY, 1600, 1067),
        (DerivativeKind.LARGE, 2560, 1707),
    ]
    small = ingest(picture(size=(500, 800)))
    sizes = {d.kind: (d.width, d.height) for d in small.derivatives}
    assert sizes[DerivativeKind.THUMB] == (250, 400)
    assert sizes[DerivativeKind.DISPLAY] == sizes[DerivativeKind.LARGE] == (500, 800)


def test_gps_samples_leave_only_the_credit_in_every_derivative(app, samples):
    licence = licence_by_code("CC-BY-4.0")
    for path in sorted((samples / "gps").glob("*.jpg")):
        with Image.open(path) as original:
            assert original.getexif().get_ifd(0x8825), f"{path.name} should carry GPS at first"
        details = PhotoDetails(
            title=path.stem,
            photographer="Jo Whitfield",
            licence_id=licence.id,
            no_identifiable_people=True,
        )
        photo = ingest_file(path, details, original_filename=path.name, uploaded_by=None).photo
        assert photo.gps_latitude is not None  # kept on the original's record, for admins
        for derivative in photo.derivatives:
            with get_storage().open(derivative.storage_key) as stored:
                data = stored.read()
            # The JFIF header, the credit (XMP in APP1, IPTC in APP13), tables, frame and scan:
            # no EXIF, ICC or comment.
            segments = jpeg_segments(data)
            assert set(segments) <= {0xE0, 0xE1, 0xED, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA}, (
                f"{path.name} {derivative.kind}: {[hex(m) for m in segments]}"
            )
            header = data[: data.index(b"\xff\xda")]  # everything before the compressed scan
            assert b"GPS" not in header and b"Exif" not in header
            assert (
                b"<photoshop:Credit>Photo: Jo Whitfield / University Technical Services" in header
            )
            assert path.stem.encode() not in header  # the title stays on the page
            image = Image.open(io.BytesIO(data))
            assert not image.getexif()
            assert not {"exif", "icc_profile", "comment"} & set(image.info)


def test_derivatives_are_srgb_rgb_jpegs(app, tmp_path):
    # A CMYK JPEG and a transparent PNG both come out as plain RGB JPEGs.
    cmyk = tmp_path / "print.jpg"
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(cmyk)
    transparent = tmp_path / "logo.png"
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(transparent)
    for path in (cmyk, transparent):
        photo = ingest(path)
        thumb = derivative_image(photo, DerivativeKind.THUMB)
        assert (thumb.format, thumb.mode) == ("JPEG", "RGB")
    assert derivative_image(ingest(transparent), DerivativeKind.THUMB).getpixel((5, 5)) == (
        255,
        255,
        255,
    )


def test_heic_from_a_phone_is_accepted_and_upright(app, tmp_path):
    from archive.demo.pictures import make_scene

    scene = make_scene(800, 600, seed=7)
    heic = tmp_path / "IMG_0001.HEIC"
    scene.save(heic, "HEIF", quality=80)
    photo = ingest(heic)
    assert (photo.format, photo.content_type, photo.width, photo.height) == (
        "HEIF",
        "image/heic",
        800,
        600,
    )
    thumb = derivative_image(photo, DerivativeKind.THUMB)
    assert thumb.size == (400, 300)
    assert thumb.getpixel((3, 3))[0] > 150  # red corner top-left: upright
