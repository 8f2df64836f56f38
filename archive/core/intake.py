"""What every file handed to the archive goes through first, whatever it is for.

Photos, consent forms and the demo's files all arrive this way: refused with a reason a
person understands (RejectedUpload), shown under a cleaned name, checked for size and
hashed. Nothing here knows what a picture or a PDF is (photos and rights do), and
nothing imports Flask: bulk import's worker processes use it too.
"""

import hashlib
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

MB = 1024 * 1024
HASH_CHUNK = MB


class RejectedUpload(Exception):
    """A file was refused; str(error) is a sentence to show the person who sent it."""


def clean_filename(name: str | None, fallback: str = "upload") -> str:
    """Return the name to show for an uploaded file: no folders, controls or direction marks.

    Files are stored under their hash, never this name; it is only ever displayed (escaped).
    """
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    # Cc: control characters such as NUL; Cf: format characters such as right-to-left overrides.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.strip(" .")
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:190] + dot + suffix[:9]) if dot and len(suffix) <= 9 else name[:200]
    return name or fallback


def check_size(path: Path, max_bytes: int) -> int:
    """Return the file's size, refusing empty files and files over max_bytes."""
    size = path.stat().st_size
    if size == 0:
        raise RejectedUpload("the file is empty (0 bytes)")
    if size > max_bytes:
        raise RejectedUpload(
            f"the file is too large: {size / MB:.1f} MB, the limit is {max_bytes // MB} MB"
        )
    return size


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
