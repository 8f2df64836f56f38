"""Decoding images safely, reading their EXIF and making derivatives.

Nothing here touches the database, the storage or Flask: these functions run in
worker processes during bulk import as well as in the web request.
"""

import math
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image

from archive.core.intake import RejectedUpload, sha256_of
from archive.photos.colour import peak_bytes, to_srgb
from archive.photos.exif import valid_orientation
from archive.photos.inspection import (
    NotAnImage,
    damage_message,
    describe_content,
    memory_message,
    too_many_pixels_message,
)


class DerivativeKind(StrEnum):
    """The sizes made of every photo, by the length of their longer edge."""

    THUMB = "thumb"
    DISPLAY = "display"
    LARGE = "large"

    @property
    def long_edge(self) -> int:
        """Return the longest edge in pixels (smaller originals are never enlarged)."""
        return {"thumb": 400, "display": 1600, "large": 2560}[self.value]


pillow_heif.register_heif_opener()

# Only these decoders ever run on uploads: EPS (Ghostscript), PSD and the rest stay shut.
# Pillow's JPEG opener names a JPEG carrying further pictures after the first (a phone's
# gain map, a stereo camera's second view) "MPO": it is stored and served as the JPEG it is.
ACCEPTED_FORMATS = ("JPEG", "PNG", "HEIF", "TIFF", "WEBP")
JPEG_FORMATS = ("JPEG", "MPO")
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "HEIF": "image/heic",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}
EXTENSIONS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
    "HEIF": "heic",
    "TIFF": "tif",
    "WEBP": "webp",
}
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
# Counting a TIFF's pages reads every directory: past this many, "more than" is enough.
MAX_PAGES_COUNTED = 100
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What Pillow's decoders raise on bad data; pillow-heif raises RuntimeError from libheif.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error)


@dataclass(frozen=True)
class DerivativeFile:
    """A derivative written to a working folder, ready to be stored."""

    kind: DerivativeKind
    path: Path
    width: int
    height: int
    sha256: str
    size_bytes: int


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


@contextmanager
def untrusted_image() -> Iterator[None]:
    """Run Pillow on a file from outside: metadata notes ignored, bombs refused.

    Pillow warns (UserWarning) about damaged EXIF and carries on; the pixels are checked
    when decoded. It only warns between MAX_IMAGE_PIXELS and twice that: refuse either way.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def open_image(path: Path, max_pixels: int) -> Image.Image:
    """Open an accepted image lazily, refusing other formats and decompression bombs."""
    # Pillow's own guard reads this global; the same value is set in every process, every call.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with untrusted_image():
            image = Image.open(path, formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RejectedUpload(too_many_pixels_message(max_pixels)) from None
    except Image.UnidentifiedImageError:
        with open(path, "rb") as source:
            head = source.read(512)
        raise NotAnImage(f"not an image: the file is {describe_content(head)}") from None
    except _UNREADABLE as error:
        raise RejectedUpload(damage_message(error)) from None
    if image.width * image.height > max_pixels:
        image.close()
        raise RejectedUpload(too_many_pixels_message(max_pixels))
    return image


def frame_notes(image: Image.Image) -> tuple[str, ...]:
    """Return sentences saying that only the first page or frame of the file is kept.

    Call before decoding: counting pages moves through the file and returns to the first.
    """
    if image.format == "TIFF" and (pages := _count_pages(image)) > 1:
        counted = f"more than {MAX_PAGES_COUNTED}" if pages > MAX_PAGES_COUNTED else str(pages)
        return (f"the TIFF has {counted} pages; only the first is kept as the picture",)
    elif image.format == "WEBP" and getattr(image, "is_animated", False):
        return (f"the WebP is animated ({image.n_frames} frames); only the first frame is kept",)
    elif image.format == "HEIF" and getattr(image, "n_frames", 1) > 1:
        return (f"the HEIC holds {image.n_frames} pictures; only the main one is kept",)
    return ()


def _count_pages(image: Image.Image) -> int:
    """Return a TIFF's pages, counted up to one past MAX_PAGES_COUNTED, back on the first."""
    pages = 1
    try:
        while pages <= MAX_PAGES_COUNTED:
            image.seek(pages)
            pages += 1
    except _UNREADABLE:
        pass  # the last page, or a damaged directory after it: the first page is what counts
    image.seek(0)
    return pages


def make_derivatives(
    image: Image.Image, workdir: Path, *, memory_limit: int | None = None
) -> Derivatives:
    """Decode the image and write the thumb, display and large JPEGs into workdir.

    Each is upright, sRGB and carries no metadata. The largest is decoded at reduced
    scale where the format allows (JPEG DCT scaling) and each smaller one is resized
    from the one before, so a 24-megapixel original is never decoded in full. A picture
    that would take more than memory_limit bytes to decode and convert is refused first.
    """
    sizes = sorted(DerivativeKind, key=lambda kind: kind.long_edge, reverse=True)
    width, height = image.size
    try:
        with untrusted_image():
            declared = _declared_orientation(image)
            _draft(image, sizes[0].long_edge)
            needed = _decode_bytes(image, width * height)
            if memory_limit is not None and needed > memory_limit:
                raise RejectedUpload(memory_message(needed, memory_limit))
            image.load()
            pending = valid_orientation(image.getexif().get(ExifTags.Base.Orientation))
            picture = to_srgb(image)
    except _UNREADABLE as error:
        raise RejectedUpload(damage_message(error)) from None
    if pending in (5, 6, 7, 8):
        width, height = height, width
    # Made small first, then turned: the box is square, so the picture is the same.
    picture = _shrunk(picture, sizes[0].long_edge, RESAMPLING[sizes[0]])
    if picture is image:
        picture = image.copy()  # small enough to fit: a copy of our own, to shrink and strip
    if pending in _TURNS:
        picture = picture.transpose(_TURNS[pending])
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
        sha256=sha256_of(target),
        size_bytes=target.stat().st_size,
    )


def decode_upright_srgb(image: Image.Image, long_edge: int) -> Image.Image:
    """Decode at no less than long_edge, turned upright, in sRGB, with no metadata left."""
    _draft(image, long_edge)
    image.load()
    turn = _TURNS.get(valid_orientation(image.getexif().get(ExifTags.Base.Orientation)))
    picture = _fresh(to_srgb(image), image)
    if turn is not None:
        picture = picture.transpose(turn)
    picture.info = {}
    return picture


def _draft(image: Image.Image, long_edge: int) -> None:
    """Ask a JPEG decoder for the smallest DCT scale that still covers long_edge."""
    scale = long_edge / max(image.size)
    if scale < 1:
        # The decoder picks the smallest 1/2, 1/4 or 1/8 scale no smaller than asked.
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


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


def _fresh(picture: Image.Image, image: Image.Image) -> Image.Image:
    """Return the picture as an image of its own, with no metadata, leaving the caller's alone."""
    if picture is image:
        picture = image.copy()
    picture.info = {}
    return picture
