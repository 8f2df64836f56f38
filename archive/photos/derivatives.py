"""Making the thumb, display and large JPEGs of a photo from the opened original.

Nothing here touches the database, the storage or Flask: bulk import runs it in worker
processes as well as in the web request.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import ExifTags, Image

from archive.core.intake import RejectedUpload
from archive.photos.blurring import blurred
from archive.photos.colour import peak_bytes, to_srgb
from archive.photos.exif import valid_orientation
from archive.photos.imaging import (
    UNREADABLE,
    UPRIGHT_TURNS,
    draft_for_long_edge,
    untrusted_image,
)
from archive.photos.inspection import damage_message, memory_message
from archive.photos.regions import Box


class DerivativeKind(StrEnum):
    """The sizes made of every photo, by the length of their longer edge."""

    THUMB = "thumb"
    DISPLAY = "display"
    LARGE = "large"

    @property
    def long_edge(self) -> int:
        """Return the longest edge in pixels (smaller originals are never enlarged)."""
        return {"thumb": 400, "display": 1600, "large": 2560}[self.value]


JPEG_QUALITY = {
    DerivativeKind.THUMB: 80,
    DerivativeKind.DISPLAY: 84,
    DerivativeKind.LARGE: 86,
}
# Progressive only for the picture shown inline on pages, where a phone on a slow link
# sees it sharpen as it arrives. The large one is opened or downloaded on demand, and a
# progressive encode costs it about four times the time of a baseline one.
PROGRESSIVE = {DerivativeKind.DISPLAY}
# The large one is a small step down from the JPEG decoder's half scale (about 1.2×),
# where Hamming's short filter loses nothing visible and costs half of bicubic's time.
RESAMPLING = {
    DerivativeKind.LARGE: Image.Resampling.HAMMING,
    DerivativeKind.DISPLAY: Image.Resampling.BICUBIC,
    DerivativeKind.THUMB: Image.Resampling.BICUBIC,
}
# What the decoders and the JPEG encoder use besides the pictures, measured generously.
CODEC_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class DerivativeFile:
    """A derivative written to a working folder, to be credited and stored (ingest)."""

    kind: DerivativeKind
    path: Path
    width: int
    height: int


@dataclass(frozen=True)
class Derivatives:
    """The derivatives written, and what the decode showed of the full picture.

    width and height are the full picture's, upright as the derivatives show it;
    orientation is the EXIF orientation that was applied (by the decoder or here).
    """

    files: list[DerivativeFile]
    width: int
    height: int
    orientation: int


def make_derivatives(
    image: Image.Image,
    workdir: Path,
    *,
    memory_limit: int | None = None,
    blur: Sequence[Box] = (),
) -> Derivatives:
    """Decode the image and write the thumb, display and large JPEGs into workdir.

    Each is upright, sRGB and carries no metadata; the boxes in blur (of the upright
    picture) are blurred in every size, each made from the one blurred. The largest is
    decoded at reduced scale where the format allows (JPEG DCT scaling) and each smaller
    one is resized from the one before, so a 24-megapixel original is never decoded in
    full. A picture that would take more than memory_limit bytes to decode and convert is
    refused first.
    """
    sizes = sorted(DerivativeKind, key=lambda kind: kind.long_edge, reverse=True)
    width, height = image.size
    try:
        with untrusted_image():
            declared = _declared_orientation(image)
            draft_for_long_edge(image, sizes[0].long_edge)
            needed = _decode_bytes(image, width * height)
            if memory_limit is not None and needed > memory_limit:
                raise RejectedUpload(memory_message(needed, memory_limit))
            image.load()
            pending = valid_orientation(image.getexif().get(ExifTags.Base.Orientation))
            picture = to_srgb(image)
    except UNREADABLE as error:
        raise RejectedUpload(damage_message(error)) from None
    if pending in (5, 6, 7, 8):
        width, height = height, width
    # Made small first, then turned: the box is square, so the picture is the same.
    picture = _shrunk(picture, sizes[0].long_edge, RESAMPLING[sizes[0]])
    if picture is image:
        picture = image.copy()  # small enough to fit: a copy of our own, to shrink and strip
    if pending in UPRIGHT_TURNS:
        picture = picture.transpose(UPRIGHT_TURNS[pending])
    if blur:
        picture = blurred(picture, blur)
    # Nothing from the original's info (EXIF, XMP, ICC, comments) may follow into a derivative.
    picture.info = {}
    files = []
    for kind in sizes:
        picture = _shrunk(picture, kind.long_edge, RESAMPLING[kind])
        files.append(_write(picture, kind, workdir))
    return Derivatives(
        files=files, width=width, height=height, orientation=pending if pending != 1 else declared
    )


def _shrunk(picture: Image.Image, long_edge: int, resample: Image.Resampling) -> Image.Image:
    """Return a new copy of the picture fitted within long_edge, or the picture if it fits."""
    width, height = picture.size
    if max(width, height) <= long_edge:
        return picture
    if width >= height:
        size = (long_edge, max(1, round(height * long_edge / width)))
    else:
        size = (max(1, round(width * long_edge / height)), long_edge)
    # Like thumbnail(): a cheap reduce() by whole factors first, then the filter proper.
    return picture.resize(size, resample, reducing_gap=2.0)


def _write(picture: Image.Image, kind: DerivativeKind, workdir: Path) -> DerivativeFile:
    """Write the picture as kind's JPEG; the picture carries no metadata."""
    target = workdir / f"{kind.value}.jpg"
    picture.save(target, "JPEG", quality=JPEG_QUALITY[kind], progressive=kind in PROGRESSIVE)
    return DerivativeFile(
        kind=kind,
        path=target,
        width=picture.width,
        height=picture.height,
    )


def _declared_orientation(image: Image.Image) -> int:
    """Return the orientation the file declares, read before a decoder applies and drops it."""
    if "original_orientation" in image.info:  # pillow-heif applies it while decoding
        return valid_orientation(image.info["original_orientation"])
    if image.format == "PNG" and "exif" not in image.info:
        return 1  # Pillow would decode the whole PNG to look for EXIF after its pixels
    return valid_orientation(image.getexif().get(ExifTags.Base.Orientation))


def _decode_bytes(image: Image.Image, full_pixels: int) -> int:
    """Return about how much memory decoding the (drafted) image and its derivatives take."""
    largest = DerivativeKind.LARGE.long_edge
    # The large derivative and its turned copy; the reduce() by whole factors before it (at
    # most a quarter of the picture at four bytes a pixel); the codecs' working memory.
    resized = 2 * largest * largest * 4 + image.width * image.height + CODEC_BYTES
    if image.info.get("progression"):
        # A progressive JPEG keeps every DCT coefficient (2 bytes per sample) at full scale.
        resized += 2 * len(image.getbands()) * full_pixels
    if image.format == "TIFF" and image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
        resized += 4 * full_pixels  # Pillow turns a TIFF upright as it decodes: one more copy
    return peak_bytes(image) + resized
