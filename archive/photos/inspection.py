"""Telling what an uploaded file really is, by its content and never by its name."""

import unicodedata

from archive.core.intake import RejectedUpload


class NotAnImage(RejectedUpload):
    """The file is not in any accepted picture format (it may be a PDF, text, a program…)."""


# Leading bytes of the things people upload by mistake, for a message that names them.
_SIGNATURES = [
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"%!PS", "a PostScript file"),
    (b"\xc5\xd0\xd3\xc6", "an EPS file"),
    (b"GIF8", "a GIF image, which is not accepted (use JPEG, PNG or HEIC)"),
    (b"<svg", "an SVG drawing, which is not accepted"),
    (b"<?xml", "an XML or SVG file"),
    (b"<!DOCTYPE", "an HTML page"),
    (b"<html", "an HTML page"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
]


# Pillow's messages about a file it cannot read, and what to tell the person who sent it.
_PLAIN_REASONS = (
    ("truncated", "the image is damaged and cannot be read: the file is cut short"),
    (
        "too large for PngImagePlugin",
        "the PNG carries a metadata text block too large to read safely",
    ),
    ("text chunks", "the PNG carries a metadata text block too large to read safely"),
    ("broken data stream", "the image is damaged and cannot be read: its picture data is corrupt"),
    ("not enough image data", "the image is damaged and cannot be read: it is cut short"),
)


def damage_message(error: Exception) -> str:
    """Return a sentence for a person about a file Pillow could not read, never its internals."""
    found = (reason for words, reason in _PLAIN_REASONS if words in str(error))
    return next(found, "the image is damaged and cannot be read")


def too_many_pixels_message(max_pixels: int) -> str:
    """Return the refusal of a picture with more pixels than the archive decodes."""
    return (
        "the image has too many pixels to process safely "
        f"(the limit is {max_pixels // 1_000_000} megapixels)"
    )


def memory_message(needed: int, allowed: int) -> str:
    """Return the refusal of a picture that would take more memory to process than allowed."""
    return (
        f"the picture would need about {needed / 1024**3:.1f} GB of memory to process, more "
        f"than this archive allows ({allowed / 1024**3:.1f} GB); send a smaller version of it"
    )


def describe_content(head: bytes) -> str:
    """Return what a file that is not an accepted image looks like, e.g. "a PDF document"."""
    if not head:
        return "an empty file"
    stripped = head.lstrip()
    for signature, description in _SIGNATURES:
        if stripped[: len(signature)].lower() == signature.lower():
            return description
    return "a text file" if _looks_like_text(head) else "not a picture format this archive accepts"


def _looks_like_text(head: bytes) -> bool:
    """Return whether the bytes read as text: UTF-8, with no control characters but spacing."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may be cut inside a multi-byte character; a bad byte earlier is not text.
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8")
    # Binary data decodes as UTF-8 often enough when its first bytes are small: NULs and
    # other control characters give it away.
    return bool(text) and all(ch in "\t\n\r\f" or unicodedata.category(ch) != "Cc" for ch in text)
