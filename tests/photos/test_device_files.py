"""Files real devices write: each becomes derivatives that look right, checked by pixels."""

import io
import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from archive.core.intake import RejectedUpload
from archive.photos.analysis import Limits, analyse
from archive.photos.derivatives import DerivativeKind
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.inspection import describe_content
from archive.storage import get_storage
from tests.photos.device_files import gradient_levels, is_gradient, near, split_picture

LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_pixels=120_000_000)
RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


def analysed(path: Path, tmp_path: Path):
    """Return the analysis of path, its derivatives written under tmp_path."""
    workdir = tmp_path / f"work-{path.name}"
    workdir.mkdir()
    return analyse(path, workdir, LIMITS)


def thumb_of(analysis) -> Image.Image:
    """Return the thumb derivative, decoded."""
    [made] = [d for d in analysis.derivatives if d.kind is DerivativeKind.THUMB]
    with Image.open(made.path) as image:
        image.load()
        return image.convert("RGB")


def assert_dark_to_light(image: Image.Image) -> None:
    """Assert the middle row rises evenly from black to white, as the gradients made here do."""
    assert is_gradient(image), f"not an even gradient: {gradient_levels(image)}"


def half_red_half_blue(size=(600, 400)) -> Image.Image:
    return split_picture(RED, BLUE, size)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# --- MPO and JPEG variants -------------------------------------------------------------


def mpo(path: Path, **options) -> Path:
    """Write a two-picture MPO (as phones' gain maps and stereo cameras do): red/blue first."""
    first = half_red_half_blue()
    second = Image.new("RGB", first.size, (0, 255, 0))
    first.save(path, "MPO", save_all=True, append_images=[second], **options)
    return path


def test_an_mpo_is_stored_as_the_jpeg_it_is_from_its_first_picture(app, tmp_path):
    path = mpo(tmp_path / "IMG_0002.JPG")
    details = PhotoDetails(title="stereo", no_identifiable_people=True)
    photo = ingest_file(path, details, original_filename=path.name, uploaded_by=None).photo
    assert (photo.format, photo.content_type) == ("MPO", "image/jpeg")
    assert photo.storage_key.endswith(".jpg")
    with get_storage().open(photo.storage_key) as stored:
        assert stored.read() == path.read_bytes()  # byte for byte, every picture in it
    with get_storage().open(photo.derivative(DerivativeKind.THUMB).storage_key) as stored:
        thumb = Image.open(io.BytesIO(stored.read())).convert("RGB")
    assert near(thumb.getpixel((10, 10)), RED)  # the first picture, not the green second
    assert near(thumb.getpixel((thumb.width - 10, 10)), BLUE)


def test_an_mpo_with_lost_picture_data_is_refused(tmp_path):
    data = bytearray(mpo(tmp_path / "a.jpg", restart_marker_rows=1).read_bytes())
    scan = data.index(b"\xff\xda")
    data[scan + 2000 : scan + 2600] = b"\xff" * 600  # lost bytes inside the first picture
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(bytes(data))
    with pytest.raises(RejectedUpload, match="damaged"):
        analysed(damaged, tmp_path)


def test_a_motion_photo_with_video_after_the_picture_is_accepted(tmp_path):
    path = tmp_path / "PXL_MP.jpg"
    half_red_half_blue().save(path, "JPEG")
    with open(path, "ab") as out:
        out.write(os.urandom(200_000))  # the video a motion photo carries after EOI
    thumb = thumb_of(analysed(path, tmp_path))
    assert near(thumb.getpixel((10, 10)), RED)


def test_cmyk_jpeg_from_print_keeps_its_colours(tmp_path):
    path = tmp_path / "print.jpg"
    image = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # red ink
    image.paste((255, 255, 0, 0), (150, 0, 300, 200))  # blue ink
    image.save(path, "JPEG", quality=95)  # Pillow writes Adobe's marker, inverted CMYK
    thumb = thumb_of(analysed(path, tmp_path))
    assert near(thumb.getpixel((10, 10)), RED)
    assert near(thumb.getpixel((thumb.width - 10, 10)), BLUE)


def test_ycck_jpeg_keeps_its_colours(tmp_path):
    # A YCCK JPEG holds Y, Cb, Cr of (255 - C, 255 - M, 255 - Y) and K; Adobe's transform 2.
    ycc = Image.new("RGB", (1, 1), (0, 255, 255)).convert("YCbCr").getpixel((0, 0))  # red ink
    stored = Image.new("CMYK", (200, 100), (*(255 - v for v in ycc), 0))
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=95)
    data = bytearray(buffer.getvalue())
    adobe = data.index(b"Adobe")
    data[adobe + 11] = 2  # the transform flag: YCCK
    path = tmp_path / "ycck.jpg"
    path.write_bytes(bytes(data))
    assert near(thumb_of(analysed(path, tmp_path)).getpixel((10, 10)), RED)


# --- deep pixels ---------------------------------------------------------------------


def grey16_gradient() -> Image.Image:
    image = Image.new("I;16", (512, 64))
    image.putdata([x * 128 for _ in range(64) for x in range(512)])
    return image


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_a_16_bit_greyscale_gradient_stays_a_gradient(tmp_path, fmt):
    path = tmp_path / f"scan.{fmt.lower()}"
    grey16_gradient().save(path, fmt)
    with Image.open(path) as opened:
        assert opened.mode.startswith("I;16")  # what the test is about
    assert_dark_to_light(thumb_of(analysed(path, tmp_path)))


def test_a_big_endian_16_bit_tiff_stays_a_gradient(tmp_path):
    path = tmp_path / "mm.tif"
    grey16_gradient().convert("I").convert("I;16B").save(path, "TIFF")
    with Image.open(path) as opened:
        if opened.mode != "I;16B":
            pytest.skip(f"Pillow wrote {opened.mode}")
    assert_dark_to_light(thumb_of(analysed(path, tmp_path)))


def test_a_16_bit_rgb_png_keeps_its_colours(tmp_path):
    width, height = 256, 32
    rows = b"".join(
        b"\x00"
        + b"".join(struct.pack(">HHH", 65535, 0, 0) for _ in range(width // 2))
        + b"".join(struct.pack(">HHH", 0, 0, 65535) for _ in range(width // 2))
        for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path = tmp_path / "rgb16.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )
    thumb = thumb_of(analysed(path, tmp_path))
    assert near(thumb.getpixel((5, 5)), RED) and near(thumb.getpixel((250, 5)), BLUE)


def test_a_float_tiff_from_0_to_1_is_a_gradient_not_black(tmp_path):
    image = Image.new("F", (512, 64))
    image.putdata([x / 511 for _ in range(64) for x in range(512)])
    path = tmp_path / "float.tif"
    image.save(path, "TIFF")
    assert_dark_to_light(thumb_of(analysed(path, tmp_path)))


def test_a_32_bit_integer_tiff_is_stretched_to_a_gradient(tmp_path):
    image = Image.new("I", (512, 64))
    image.putdata([x * 100_000 - 7_000_000 for _ in range(64) for x in range(512)])
    path = tmp_path / "int32.tif"
    image.save(path, "TIFF")
    assert_dark_to_light(thumb_of(analysed(path, tmp_path)))


# --- transparency --------------------------------------------------------------------


def transparent_images() -> dict[str, Image.Image]:
    rgba = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    rgba.paste((255, 0, 0, 255), (0, 0, 100, 200))
    palette = rgba.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    black = palette.getpixel((250, 100))  # the palette entry of the transparent black
    palette.info["transparency"] = black
    la = Image.new("LA", (300, 200), (0, 0))
    la.paste((0, 255), (0, 0, 100, 200))
    return {"RGBA": rgba, "P with tRNS": palette, "LA": la}


@pytest.mark.parametrize("kind", ["RGBA", "P with tRNS", "LA"])
def test_transparent_pngs_are_flattened_on_white(tmp_path, kind):
    image = transparent_images()[kind]
    path = tmp_path / "logo.png"
    image.save(path, "PNG", transparency=image.info.get("transparency"))
    thumb = thumb_of(analysed(path, tmp_path))
    assert thumb.getpixel((thumb.width - 10, 50)) == WHITE  # transparent: white, not black
    expected = (0, 0, 0) if kind == "LA" else RED
    assert near(thumb.getpixel((10, 50)), expected)


def test_a_transparent_heic_is_flattened_on_white(tmp_path):
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 100, 200))
    path = tmp_path / "IMG_0003.HEIC"
    image.save(path, "HEIF", quality=90)
    thumb = thumb_of(analysed(path, tmp_path))
    assert near(thumb.getpixel((thumb.width - 10, 50)), WHITE, 10)
    assert near(thumb.getpixel((10, 50)), BLUE)


def test_a_10_bit_heic_keeps_its_gradient_and_colours(tmp_path):
    import pillow_heif

    width, height = 512, 64
    data = b"".join(
        struct.pack("<HHH", x * 128, x * 128, x * 128) for _ in range(height) for x in range(width)
    )
    path = tmp_path / "IMG_HDR.HEIC"
    pillow_heif.from_bytes(mode="RGB;16", size=(width, height), data=data).save(path, quality=95)
    with Image.open(path) as opened:
        assert opened.info.get("bit_depth") == 10  # what the test is about
    assert_dark_to_light(thumb_of(analysed(path, tmp_path)))


# --- colour profiles -----------------------------------------------------------------


def swapped_primaries_profile() -> bytes:
    """Return an RGB ICC profile whose red and blue primaries are sRGB's blue and red."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = int.from_bytes(profile[128:132], "big")
    entries = {bytes(profile[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    profile[red + 4 : red + 12], profile[blue + 4 : blue + 12] = (
        profile[blue + 4 : blue + 12],
        profile[red + 4 : red + 12],
    )
    return bytes(profile)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF"])
def test_an_embedded_profile_is_converted_to_srgb(tmp_path, fmt):
    path = tmp_path / f"profiled.{fmt.lower()}"
    Image.new("RGB", (300, 200), RED).save(path, fmt, icc_profile=swapped_primaries_profile())
    # Red in that profile is sRGB's blue: seen blue only if the profile was applied.
    assert near(thumb_of(analysed(path, tmp_path)).getpixel((10, 10)), BLUE)


# --- pages and frames ----------------------------------------------------------------


def test_a_multi_page_tiff_keeps_its_first_page_and_says_so(tmp_path):
    pages = [Image.new("RGB", (300, 200), colour) for colour in (RED, BLUE, (0, 255, 0))]
    path = tmp_path / "scans.tif"
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:])
    analysis = analysed(path, tmp_path)
    assert analysis.notes == ("the TIFF has 3 pages; only the first is kept as the picture",)
    assert near(thumb_of(analysis).getpixel((10, 10)), RED)


def many_page_tiff(pages: int) -> bytes:
    """Return a TIFF of `pages` 2×2 grey pages, all sharing one strip of pixels."""
    tags = [(256, 2), (257, 2), (258, 8), (259, 1), (262, 1), (273, 8), (278, 2), (279, 4)]
    ifd_size = 2 + 12 * len(tags) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 12) + bytes([0, 128, 128, 255]))
    for page in range(pages):
        following = 12 + (page + 1) * ifd_size if page + 1 < pages else 0
        out += struct.pack("<H", len(tags))
        for tag, value in tags:
            out += struct.pack("<HHII", tag, 4, 1, value)
        out += struct.pack("<I", following)
    return bytes(out)


def test_a_tiff_of_ten_thousand_pages_is_not_walked_page_by_page(tmp_path):
    path = tmp_path / "many.tif"
    path.write_bytes(many_page_tiff(10_000))
    with Image.open(path) as opened:
        assert opened.n_frames == 10_000  # a real 10,000-page file
    started = time.perf_counter()
    analysis = analysed(path, tmp_path)
    assert time.perf_counter() - started < 0.3  # Pillow's n_frames alone takes about a second
    assert analysis.notes == (
        "the TIFF has more than 100 pages; only the first is kept as the picture",
    )


def test_an_animated_webp_keeps_its_first_frame_and_says_so(tmp_path):
    frames = [Image.new("RGB", (300, 200), (20 * i, 0, 255 - 20 * i)) for i in range(12)]
    frames[0] = Image.new("RGB", (300, 200), RED)
    path = tmp_path / "anim.webp"
    frames[0].save(path, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    analysis = analysed(path, tmp_path)
    assert analysis.notes == ("the WebP is animated (12 frames); only the first frame is kept",)
    assert near(thumb_of(analysis).getpixel((10, 10)), RED)


# --- true facts: upright size and EXIF -----------------------------------------------


def phone_exif(orientation: int, gps: bool = False) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15 Pro"
    exif.get_ifd(0x8769)[0x9003] = "2024:05:06 07:08:09"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 57.0, 0.0), 3: "W", 4: (1.0, 9.0, 0.0)})
    return exif.tobytes()


def stored_sideways() -> Image.Image:
    """Return what a phone held sideways stores for orientation 6: upright, red is top-left."""
    upright = Image.new("RGB", (200, 300), "white")
    upright.paste(RED, (0, 0, 60, 60))
    return upright.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back


@pytest.mark.parametrize("fmt", ["HEIF", "TIFF", "WEBP", "PNG", "JPEG"])
def test_orientation_6_is_recorded_with_the_upright_size(tmp_path, fmt):
    path = tmp_path / f"sideways.{fmt.lower()}"
    stored_sideways().save(path, fmt, exif=phone_exif(6))
    analysis = analysed(path, tmp_path)
    assert (analysis.width, analysis.height) == (200, 300)
    assert analysis.exif.orientation == 6
    thumb = thumb_of(analysis)
    assert thumb.height > thumb.width
    assert near(thumb.getpixel((10, 10)), RED)  # upright: the red corner is top-left
    assert near(thumb.getpixel((thumb.width - 10, thumb.height - 10)), WHITE)


@pytest.mark.parametrize("fmt", ["HEIF", "WEBP"])
def test_exif_is_read_from_heic_and_webp(tmp_path, fmt):
    path = tmp_path / f"phone.{fmt.lower()}"
    half_red_half_blue().save(path, fmt, exif=phone_exif(1, gps=True))
    analysis = analysed(path, tmp_path)
    exif = analysis.exif
    assert (exif.camera_make, exif.camera_model) == ("Apple", "iPhone 15 Pro")
    assert exif.taken_at.isoformat() == "2024-05-06T07:08:09"
    assert exif.gps_latitude == pytest.approx(52.95) and exif.gps_longitude == pytest.approx(-1.15)
    for made in analysis.derivatives:  # GPS stays with the original's record only
        data = made.path.read_bytes()
        assert b"Exif" not in data[: data.index(b"\xff\xda")]
        with Image.open(made.path) as derivative:
            assert not derivative.getexif()


# --- messages a person can use -------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [b"\x00\x00\x00\x18ftypmp42", b"\x01\x02\x03\x04binary", b"abc\x00\x00\x00\x10data"],
)
def test_binary_files_are_not_called_text(head):
    assert describe_content(head) == "not a picture format this archive accepts"


def test_text_cut_inside_a_character_is_still_text():
    assert describe_content("Notes on the café".encode()[:-1]) == "a text file"


def test_a_png_with_a_huge_metadata_text_block_gets_a_sentence(tmp_path):
    text = zlib.compress(b"x" * (4 * 1024 * 1024))  # decompresses past Pillow's safe size
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    path = tmp_path / "meta.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"zTXt", b"XML:com.adobe.xmp\x00\x00" + text)
        + png_chunk(b"IDAT", zlib.compress((b"\x00" + b"\x00" * 48) * 16))
        + png_chunk(b"IEND", b"")
    )
    with pytest.raises(RejectedUpload) as refused:
        analysed(path, tmp_path)
    assert str(refused.value) == "the PNG carries a metadata text block too large to read safely"
