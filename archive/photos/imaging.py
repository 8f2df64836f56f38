"""Opening and decoding images from outside safely: accepted formats only, bombs refused.

Nothing here touches the database, the storage or Flask: these functions run in
worker processes during bulk import as well as in the web request.
"""

import math
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image

from archive.core.intake import RejectedUpload
from archive.photos.colour import to_srgb
from archive.photos.exif import valid_orientation
from archive.photos.inspection import (
    NotAnImage,
    damage_message,
    describe_content,
    too_many_pixels_message,
)

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
# Counting a TIFF's pages reads every directory: past this many, "more than" is enough.
MAX_PAGES_COUNTED = 100
# The turn that makes a picture upright, for each EXIF orientation but 1 (upright already).
UPRIGHT_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What Pillow's decoders raise on bad data; pillow-heif raises RuntimeError from libheif.
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error)


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
    except UNREADABLE as error:
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
    with untrusted_image():
        try:
            while pages <= MAX_PAGES_COUNTED:
                image.seek(pages)
                pages += 1
        # A damaged directory after the first page (Pillow also raises KeyError and
        # TypeError for one missing its width): the first page is what counts.
        except (*UNREADABLE, KeyError, TypeError):
            pass
        image.seek(0)
    return pages


def decode_upright_srgb(image: Image.Image, long_edge: int) -> Image.Image:
    """Decode at no less than long_edge, turned upright, in sRGB, with no metadata left."""
    draft_for_long_edge(image, long_edge)
    image.load()
    turn = UPRIGHT_TURNS.get(valid_orientation(image.getexif().get(ExifTags.Base.Orientation)))
    picture = _fresh(to_srgb(image), image)
    if turn is not None:
        picture = picture.transpose(turn)
    picture.info = {}
    return picture


def draft_for_long_edge(image: Image.Image, long_edge: int) -> None:
    """Ask a JPEG decoder for the smallest DCT scale that still covers long_edge."""
    scale = long_edge / max(image.size)
    if scale < 1:
        # The decoder picks the smallest 1/2, 1/4 or 1/8 scale no smaller than asked.
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _fresh(picture: Image.Image, image: Image.Image) -> Image.Image:
    """Return the picture as an image of its own, with no metadata, leaving the caller's alone."""
    if picture is image:
        picture = image.copy()
    picture.info = {}
    return picture
