"""The first half of ingest: check a file, make its derivatives, find faces; no database.

Bulk import runs this in worker processes, which import this module and the imaging and
derivatives code only (no Flask app, no SQLAlchemy): a worker is ready in a fraction of a second.
"""

from dataclasses import dataclass, replace
from pathlib import Path

from archive.core.intake import MB, RejectedUpload, check_size, sha256_of
from archive.photos.derivatives import DerivativeFile, DerivativeKind, make_derivatives
from archive.photos.exif import ExifFacts, exif_facts
from archive.photos.imaging import JPEG_FORMATS, frame_notes, open_image
from archive.photos.jpeg_integrity import jpeg_damage
from archive.photos.regions import Box


@dataclass(frozen=True)
class Limits:
    """How big a file and a picture may be, and how much memory decoding one may take."""

    max_bytes: int
    max_pixels: int
    # The default of the DECODE_MEMORY_MB setting, for callers without an app's configuration.
    max_decode_bytes: int = 1024 * MB

    @classmethod
    def from_config(cls, config) -> "Limits":
        """Read the limits from the app's configuration."""
        return cls(
            max_bytes=config["MAX_UPLOAD_MB"] * MB,
            max_pixels=config["MAX_IMAGE_PIXELS"],
            max_decode_bytes=config["DECODE_MEMORY_MB"] * MB,
        )


@dataclass(frozen=True)
class Analysis:
    """Everything learned from a file before anything is stored.

    width and height are the picture's, upright, as its derivatives show it; notes are
    sentences for the person who sent it (e.g. that only a TIFF's first page is kept).
    """

    source: Path
    sha256: str
    size_bytes: int
    format: str
    width: int
    height: int
    exif: ExifFacts
    derivatives: list[DerivativeFile]
    notes: tuple[str, ...] = ()
    # Where the face check found faces on the upright picture, in reading order.
    faces: tuple[Box, ...] = ()


def analyse(path: Path, workdir: Path, limits: Limits, sha256: str | None = None) -> Analysis:
    """Check the file, make its derivatives in workdir and find faces; raise RejectedUpload."""
    size = check_size(path, limits.max_bytes)
    with open_image(path, limits.max_pixels) as image:
        image_format = image.format
        if image_format in JPEG_FORMATS and (damage := jpeg_damage(path)):
            raise RejectedUpload(f"the image is damaged: {damage}")
        notes = frame_notes(image)
        made = make_derivatives(image, workdir, memory_limit=limits.max_decode_bytes)
        # Read once decoded (a PNG's EXIF may follow its pixels), with the orientation applied.
        exif = replace(exif_facts(image), orientation=made.orientation)
    return Analysis(
        source=path,
        sha256=sha256 or sha256_of(path),
        size_bytes=size,
        format=image_format,
        width=made.width,
        height=made.height,
        exif=exif,
        derivatives=made.files,
        notes=notes,
        faces=tuple(_faces_on(made.files)),
    )


def _faces_on(derivatives: list[DerivativeFile]) -> list[Box]:
    """Run the face check on the display derivative: the upright picture a curator sees."""
    # OpenCV is imported here, not with this module: the web app loads analysis at start-up.
    from archive.photos.faces import faces_in_jpeg

    display = next(made for made in derivatives if made.kind == DerivativeKind.DISPLAY)
    return faces_in_jpeg(display.path)
