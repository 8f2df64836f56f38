"""Decoding images safely, reading their EXIF and making derivatives.

Nothing here touches the database, the storage or Flask: these functions run in
worker processes during bulk import as well as in the web request.
"""

import hashlib
import io
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from functools import cache
from pathlib import Path

import exifread
import pillow_heif
from PIL import Image, ImageCms, ImageOps

from archive.photos.inspection import NotAnImage, RejectedUpload, describe_content


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
ACCEPTED_FORMATS = ("JPEG", "PNG", "HEIF", "TIFF", "WEBP")
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "HEIF": "image/heic",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}
EXTENSIONS = {
    "JPEG": "jpg",
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
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ExifFacts:
    """What the camera recorded that the archive keeps (never serial numbers)."""

    taken_at: datetime | None = None
    camera_make: str = ""
    camera_model: str = ""
    lens: str = ""
    orientation: int = 1
    gps_latitude: float | None = None
    gps_longitude: float | None = None


@dataclass(frozen=True)
class DerivativeFile:
    """A derivative written to a working folder, ready to be stored."""

    kind: DerivativeKind
    path: Path
    width: int
    height: int
    sha256: str
    size_bytes: int


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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
        raise RejectedUpload(_too_many_pixels_message(max_pixels)) from None
    except Image.UnidentifiedImageError:
        with open(path, "rb") as source:
            head = source.read(512)
        raise NotAnImage(f"not an image: the file is {describe_content(head)}") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise RejectedUpload(f"the image is damaged and cannot be read ({error})") from None
    if image.width * image.height > max_pixels:
        image.close()
        raise RejectedUpload(_too_many_pixels_message(max_pixels))
    return image


def _too_many_pixels_message(max_pixels: int) -> str:
    return (
        "the image has too many pixels to process safely "
        f"(the limit is {max_pixels // 1_000_000} megapixels)"
    )


def read_exif(path: Path) -> ExifFacts:
    """Return the EXIF facts of a file; a missing or damaged EXIF block gives empty facts."""
    try:
        with open(path, "rb") as source:
            tags = exifread.process_file(source, details=False, extract_thumbnail=False)
    except Exception:  # noqa: BLE001 - EXIF is optional: bad EXIF must not reject a good picture
        return ExifFacts()

    def text(name: str) -> str:
        tag = tags.get(name)
        return str(tag.values).strip(" \x00")[:100] if tag is not None else ""

    orientation = tags.get("Image Orientation")
    return ExifFacts(
        taken_at=_exif_datetime(text("EXIF DateTimeOriginal") or text("Image DateTime")),
        camera_make=text("Image Make"),
        camera_model=text("Image Model"),
        lens=text("EXIF LensModel"),
        orientation=_orientation(orientation.values if orientation is not None else None),
        gps_latitude=_gps_degrees(tags.get("GPS GPSLatitude"), tags.get("GPS GPSLatitudeRef")),
        gps_longitude=_gps_degrees(tags.get("GPS GPSLongitude"), tags.get("GPS GPSLongitudeRef")),
    )


def _exif_datetime(value: str) -> datetime | None:
    try:
        return datetime.strptime(value[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _orientation(values) -> int:
    if values and isinstance(values[0], int) and 1 <= values[0] <= 8:
        return values[0]
    return 1


def _gps_degrees(tag, ref_tag) -> float | None:
    try:
        degrees, minutes, seconds = (Fraction(str(v)) for v in tag.values)
        value = float(degrees + minutes / 60 + seconds / 3600)
    except (AttributeError, ValueError, ZeroDivisionError, TypeError):
        return None
    ref = str(ref_tag.values).strip().upper() if ref_tag is not None else ""
    return -value if ref in ("S", "W") else value


def make_derivatives(image: Image.Image, workdir: Path) -> list[DerivativeFile]:
    """Decode the image and write the thumb, display and large JPEGs into workdir.

    Each is upright, sRGB and carries no metadata. The largest is decoded at reduced
    scale where the format allows (JPEG DCT scaling) and each smaller one is resized
    from the one before, so a 24-megapixel original is never decoded in full.
    """
    sizes = sorted(DerivativeKind, key=lambda kind: kind.long_edge, reverse=True)
    try:
        with untrusted_image():
            picture = decode_upright_srgb(image, sizes[0].long_edge)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise RejectedUpload(f"the image is damaged or incomplete ({error})") from None

    results = []
    for kind in sizes:
        picture.thumbnail((kind.long_edge, kind.long_edge), RESAMPLING[kind])
        target = workdir / f"{kind.value}.jpg"
        picture.save(target, "JPEG", quality=JPEG_QUALITY[kind], progressive=kind in PROGRESSIVE)
        results.append(
            DerivativeFile(
                kind=kind,
                path=target,
                width=picture.width,
                height=picture.height,
                sha256=sha256_of(target),
                size_bytes=target.stat().st_size,
            )
        )
    return results


def decode_upright_srgb(image: Image.Image, long_edge: int) -> Image.Image:
    """Decode at no less than long_edge, turned upright, in sRGB, with no metadata left."""
    scale = long_edge / max(image.size)
    if scale < 1:
        # Ask for no less than the largest derivative needs; the JPEG decoder picks
        # the smallest 1/2, 1/4 or 1/8 scale that still covers it.
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image.load()
    upright = ImageOps.exif_transpose(image)
    picture = _to_srgb(upright)
    # Nothing from the original's info (EXIF, XMP, ICC, comments) may follow into a derivative.
    picture.info = {}
    return picture


def _to_srgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    icc = image.info.get("icc_profile")
    if icc:
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                _srgb_profile(),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: treat the pixels as sRGB, as browsers do
    return image if image.mode == "RGB" else image.convert("RGB")


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
