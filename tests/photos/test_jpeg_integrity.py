"""The JPEG structure check refuses only real damage, and never raises."""

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from archive.photos.analysis import Limits, analyse
from archive.photos.derivatives import DerivativeKind
from archive.photos.jpeg_integrity import jpeg_damage
from tests.photos.test_fuzz import mutate, mutation

LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_pixels=120_000_000)


def red_jpeg(**options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (255, 0, 0)).save(buffer, "JPEG", quality=90, **options)
    return buffer.getvalue()


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "upload.jpg"
    path.write_bytes(data)
    return path


def thumb_is_red(path: Path, tmp_path: Path) -> bool:
    """Return whether the file is accepted and its thumb is red: the picture decoded whole."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    analysis = analyse(path, workdir, LIMITS)
    [thumb] = [d for d in analysis.derivatives if d.kind is DerivativeKind.THUMB]
    with Image.open(thumb.path) as image:
        red, green, blue = image.convert("RGB").getpixel((image.width // 2, image.height - 3))
    return red > 200 and green < 60 and blue < 60


def test_a_frame_header_claiming_more_components_than_it_holds_is_a_reason(tmp_path):
    data = bytearray(red_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 9] = 200  # the component count; the segment holds three
    assert jpeg_damage(write(tmp_path, bytes(data))) == "the file's structure is broken"


def test_one_trailing_restart_marker_before_the_end_is_accepted(tmp_path):
    # As a Casio camera writes: one more RSTn, continuing the cycle, right before EOI.
    data = red_jpeg(restart_marker_rows=1)
    last = max(data.rfind(bytes([0xFF, 0xD0 + n])) for n in range(8))
    following = 0xD0 + (data[last + 1] - 0xD0 + 1) % 8
    assert data.endswith(b"\xff\xd9")
    path = write(tmp_path, data[:-2] + bytes([0xFF, following]) + b"\xff\xd9")
    assert jpeg_damage(path) is None
    assert thumb_is_red(path, tmp_path)


def test_a_trailing_restart_marker_out_of_cycle_is_still_damage(tmp_path):
    data = red_jpeg(restart_marker_rows=1)
    last = max(data.rfind(bytes([0xFF, 0xD0 + n])) for n in range(8))
    path = write(tmp_path, data[:-2] + data[last : last + 2] + b"\xff\xd9")  # repeats, skips none
    assert jpeg_damage(path) == "part of the picture data is missing or corrupt"


def test_an_app2_segment_14_bytes_short_is_skipped_as_libjpeg_does(tmp_path):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = bytearray(red_jpeg(icc_profile=profile))
    app2 = data.index(b"\xff\xe2")
    length = int.from_bytes(data[app2 + 2 : app2 + 4], "big")
    data[app2 + 2 : app2 + 4] = (length - 14).to_bytes(2, "big")  # lands inside the profile
    path = write(tmp_path, bytes(data))
    assert jpeg_damage(path) is None
    assert thumb_is_red(path, tmp_path)


def test_a_segment_running_past_the_end_after_the_picture_is_accepted(tmp_path):
    data = red_jpeg()[:-2]  # no EOI: a metadata segment follows the picture data instead
    path = write(tmp_path, data + b"\xff\xe1\x40\x00Exif\x00\x00")  # claims 16 kB, has 8 bytes
    assert jpeg_damage(path) is None
    assert thumb_is_red(path, tmp_path)


def test_garbage_after_the_end_of_the_picture_is_ignored(tmp_path):
    path = write(tmp_path, red_jpeg() + b"\xff\xc0\x00\x02\xff\xda\x00" + bytes(range(256)))
    assert jpeg_damage(path) is None
    assert thumb_is_red(path, tmp_path)


@pytest.mark.parametrize("cut", [3, 10, 100])
def test_a_header_cut_short_is_a_reason(tmp_path, cut):
    assert jpeg_damage(write(tmp_path, red_jpeg()[:cut])) in (
        None,
        "the file's structure is broken",
    )


SEEDS = [
    red_jpeg(),
    red_jpeg(progressive=True),
    red_jpeg(restart_marker_rows=1),
    red_jpeg(restart_marker_blocks=3, subsampling=0),
    red_jpeg(icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()),
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(range(len(SEEDS))), steps=st.lists(mutation, min_size=1, max_size=4))
def test_jpeg_damage_never_raises_on_mutated_bytes(seed, steps):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.jpg"
        path.write_bytes(mutate(SEEDS[seed], steps))
        result = jpeg_damage(path)
    assert result is None or (isinstance(result, str) and result)
