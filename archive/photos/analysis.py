"""The first half of ingest: check a file and make its derivatives, touching no database.

Bulk import runs this in worker processes, which import this module and the imaging
code only (no Flask app, no SQLAlchemy): a worker is ready in a fraction of a second.
"""

from dataclasses import dataclass
from pathlib import Path

from archive.photos.imaging import (
    DerivativeFile,
    ExifFacts,
    make_derivatives,
    open_image,
    read_exif,
    sha256_of,
)
from archive.photos.inspection import RejectedUpload
from archive.photos.jpeg_integrity import jpeg_damage


@dataclass(frozen=True)
class Limits:
    """How big a file and a picture may be."""

    max_bytes: int
    max_pixels: int

    @classmethod
    def from_config(cls, config) -> "Limits":
        """Read the limits from the app's configuration."""
        return cls(
            max_bytes=config["MAX_UPLOAD_MB"] * 1024 * 1024,
            max_pixels=config["MAX_IMAGE_PIXELS"],
        )


@dataclass(frozen=True)
class Analysis:
    """Everything learned from a file before anything is stored."""

    source: Path
    sha256: str
    size_bytes: int
    format: str
    width: int
    height: int
    exif: ExifFacts
    derivatives: list[DerivativeFile]
    # Sentences for the person about what was kept, e.g. only the first page of a TIFF.
    notes: tuple[str, ...] = ()


def check_size(path: Path, limits: Limits) -> int:
    """Return the file's size, refusing empty and oversize files."""
    size = path.stat().st_size
    if size == 0:
        raise RejectedUpload("the file is empty (0 bytes)")
    if size > limits.max_bytes:
        raise RejectedUpload(
            f"the file is too large: {size / 1024 / 1024:.1f} MB, "
            f"the limit is {limits.max_bytes // 1024 // 1024} MB"
        )
    return size


def analyse(path: Path, workdir: Path, limits: Limits, sha256: str | None = None) -> Analysis:
    """Check the file and make its derivatives in workdir; raise RejectedUpload if unfit."""
    size = check_size(path, limits)
    with open_image(path, limits.max_pixels) as image:
        image_format, width, height = image.format, image.width, image.height
        if image_format == "JPEG" and (damage := jpeg_damage(path)):
            raise RejectedUpload(f"the image is damaged: {damage}")
        derivatives = make_derivatives(image, workdir)
    exif = read_exif(path)
    if exif.orientation in (5, 6, 7, 8):
        width, height = height, width  # record the size as the picture is seen, upright
    return Analysis(
        source=path,
        sha256=sha256 or sha256_of(path),
        size_bytes=size,
        format=image_format,
        width=width,
        height=height,
        exif=exif,
        derivatives=derivatives,
    )
