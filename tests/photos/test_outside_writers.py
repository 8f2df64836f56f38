"""Files written by tools nobody here wrote (libvips, ExifTool), read back through ingest.

Pillow made most test files, so a pipeline built on Pillow could agree with its own
mistakes. libvips writes CMYK JPEGs with a real CMYK profile, 16-bit and float scans,
multi-page TIFF and animated WebP as other software does; ExifTool writes camera EXIF
into WebP and HEIC the way phones and cameras lay it out, and reads derivatives back to
show that nothing (GPS above all) survived.
"""

import json
import shutil
import subprocess
from datetime import datetime

import pillow_heif
import pytest
import pyvips
from PIL import Image

from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import DerivativeKind
from archive.storage import get_storage
from tests.photos.device_files import (
    BLUE,
    GREEN,
    RED,
    device_files,
    gradient_levels,
    is_gradient,
    near,
)

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(
    EXIFTOOL is None, reason="ExifTool is missing: ./scripts/test installs Debian's exiftool"
)


def ingest(path):
    details = PhotoDetails(title=path.stem, no_identifiable_people=True)
    return ingest_file(path, details, original_filename=path.name, uploaded_by=None)


def display(photo, tmp_path) -> Image.Image:
    target = tmp_path / f"display-{photo.id}.jpg"
    with get_storage().open(photo.derivative(DerivativeKind.DISPLAY).storage_key) as stored:
        target.write_bytes(stored.read())
    with Image.open(target) as image:
        return image.convert("RGB")


def mode_of(path) -> str:
    with Image.open(path) as image:
        return image.mode


def solid(colour, width=640, height=480) -> pyvips.Image:
    return (
        pyvips.Image.black(width, height)
        .new_from_image(list(colour))
        .cast("uchar")
        .copy(interpretation="srgb")
    )


def test_a_cmyk_jpeg_with_its_profile_keeps_its_colours(app, tmp_path):
    path = tmp_path / "print.jpg"
    solid(RED).icc_transform("cmyk").jpegsave(str(path))
    assert mode_of(path) == "CMYK"
    picture = display(ingest(path).photo, tmp_path)
    assert near(picture.getpixel((320, 240)), RED, tolerance=45), picture.getpixel((320, 240))


@pytest.mark.parametrize("suffix", ["png", "tif"])
def test_a_16_bit_greyscale_scan_keeps_its_gradient(app, tmp_path, suffix):
    path = tmp_path / f"scan.{suffix}"
    ramp = pyvips.Image.xyz(512, 256)[0].cast("float") * (65535 / 511)
    ramp.cast("ushort").copy(interpretation="grey16").write_to_file(str(path))
    assert mode_of(path).startswith("I;16")
    picture = display(ingest(path).photo, tmp_path)
    assert is_gradient(picture), gradient_levels(picture)


def test_a_floating_point_tiff_is_neither_black_nor_white(app, tmp_path):
    path = tmp_path / "measurement.tif"
    (pyvips.Image.xyz(512, 256)[0].cast("float") / 511).copy(interpretation="b-w").tiffsave(
        str(path)
    )
    assert mode_of(path) == "F"
    picture = display(ingest(path).photo, tmp_path)
    assert is_gradient(picture), gradient_levels(picture)


def pages(*colours) -> pyvips.Image:
    strip = pyvips.Image.arrayjoin([solid(c, 300, 200) for c in colours], across=1).copy()
    strip.set_type(pyvips.GValue.gint_type, "page-height", 200)
    return strip


def test_a_multi_page_tiff_gives_its_first_page_and_says_so(app, tmp_path):
    path = tmp_path / "document.tif"
    pages(GREEN, BLUE, RED).tiffsave(str(path))
    outcome = ingest(path)
    assert near(display(outcome.photo, tmp_path).getpixel((150, 100)), GREEN)
    assert any("3 pages" in note for note in outcome.notes), outcome.notes


def test_an_animated_webp_gives_its_first_frame_and_says_so(app, tmp_path):
    path = tmp_path / "clip.webp"
    animation = pages(RED, BLUE, GREEN)
    animation.set_type(pyvips.GValue.array_int_type, "delay", [100, 100, 100])
    animation.webpsave(str(path))
    outcome = ingest(path)
    assert near(display(outcome.photo, tmp_path).getpixel((150, 100)), RED)
    assert any("3 frames" in note for note in outcome.notes), outcome.notes


def exiftool(*args) -> str:
    return subprocess.run(
        [EXIFTOOL, *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


CAMERA_TAGS = (
    "-Make=Pentax",
    "-Model=K-3 Mark III",
    "-DateTimeOriginal=2024:05:06 07:08:09",
    "-GPSLatitude=51.5",
    "-GPSLatitudeRef=N",
    "-GPSLongitude=0.12",
    "-GPSLongitudeRef=W",
)


@needs_exiftool
def test_exif_that_exiftool_writes_into_a_webp_is_read_and_never_reaches_a_derivative(
    app, tmp_path
):
    path = tmp_path / "phone.webp"
    sideways = Image.new("RGB", (640, 480), RED)
    sideways.paste(BLUE, (320, 0, 640, 480))
    sideways.save(path, "WEBP", quality=95)
    exiftool("-q", "-overwrite_original", *CAMERA_TAGS, "-Orientation#=6", str(path))
    photo = ingest(path).photo
    assert (photo.camera_make, photo.camera_model) == ("Pentax", "K-3 Mark III")
    assert photo.taken_at == datetime(2024, 5, 6, 7, 8, 9)
    assert round(photo.gps_latitude, 3) == 51.5 and round(photo.gps_longitude, 3) == -0.12
    # Orientation 6 turns it clockwise: upright it is portrait, the left (red) half on top.
    assert (photo.orientation, photo.width, photo.height) == (6, 480, 640)
    picture = display(photo, tmp_path)
    assert picture.height > picture.width
    assert near(picture.getpixel((picture.width // 2, picture.height // 4)), RED)
    derivative = tmp_path / f"display-{photo.id}.jpg"
    [tags] = json.loads(exiftool("-json", "-EXIF:all", "-XMP:all", "-GPS:all", str(derivative)))
    assert set(tags) == {"SourceFile"}, tags


@needs_exiftool
def test_exif_that_exiftool_writes_into_a_heic_is_read(app, tmp_path):
    path = tmp_path / "phone.heic"
    pillow_heif.register_heif_opener()
    Image.new("RGB", (640, 480), GREEN).save(path, "HEIF")
    exiftool("-q", "-overwrite_original", *CAMERA_TAGS, str(path))
    photo = ingest(path).photo
    assert (photo.camera_make, photo.camera_model) == ("Pentax", "K-3 Mark III")
    assert photo.taken_at == datetime(2024, 5, 6, 7, 8, 9)
    assert (photo.width, photo.height) == (640, 480)


@needs_exiftool
def test_the_generated_phone_jpeg_is_a_real_multi_picture_file(tmp_path):
    """ExifTool, an outside reader, confirms the MPO the other tests use is what phones write."""
    mpo = next(f for f in device_files() if f.name.endswith(".MP.jpg"))
    path = tmp_path / mpo.name
    path.write_bytes(mpo.content)
    [tags] = json.loads(exiftool("-json", "-MPF:all", str(path)))
    assert tags["NumberOfImages"] == 2, tags
