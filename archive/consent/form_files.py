"""Checking a consent-form file before a curator's PDF reader or image viewer opens it.

A PDF is parsed (with pikepdf), never sniffed: it must open without repairs, carry no
password, scripts, automatic actions or attachments, have a sensible number of pages and
expand to a sensible size. A scan goes through the same checks as a photo.
"""

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from archive.consent.pdf_checks import TOO_COSTLY, PdfLimits, check_parsed
from archive.core.intake import RejectedUpload
from archive.photos.analysis import Limits, analyse
from archive.photos.imaging import CONTENT_TYPES, EXTENSIONS
from archive.photos.inspection import NotAnImage, describe_content

PDF_HEADER = b"%PDF-"
# PDF readers look for the header anywhere in the first kilobyte; so does this check.
_HEAD_BYTES = 1024
# The end marker, the cross-reference offset and any padding sit in the last kilobyte or so.
_TAIL_BYTES = 2048
# Some producers pad the end with a few bytes (NULs, spaces, a stray line); more than this
# after the last end marker is another file riding along.
_MAX_TRAILING_BYTES = 256
# A consent form of 50 pages opens in well under a second; a minute is a PDF made to hang.
_CHILD_SECONDS = 60
# What browsers look for when they sniff a file as a web page.
_HTML_MARKERS = (b"<html", b"<script", b"<!doctype", b"<body", b"<iframe", b"<svg")
# Scans accepted as consent forms (a phone's JPEG with an MPF segment is a JPEG too):
# what every curator's browser shows inline.
_SCAN_TYPES = ("image/jpeg", "image/png")

_POLYGLOT = (
    "the file is both a PDF and a web page, which a browser could run; "
    "send a plain PDF (print it to PDF, or scan the paper form)"
)


def looks_like_pdf(head: bytes) -> bool:
    """Return whether a PDF reader would take a file starting with these bytes as a PDF."""
    return PDF_HEADER in head[:_HEAD_BYTES]


def check_form_pdf(path: Path, limits: PdfLimits) -> None:
    """Refuse a PDF (RejectedUpload) that is damaged, protected, active or absurdly large.

    qpdf inflates a PDF's cross-reference streams and the object stream holding its
    catalog whole, while opening, before anything can be measured: a 1 MB file can cost
    it gigabytes. Such a PDF is opened in a child process whose memory is capped; one
    with only a classic cross-reference table (no stream qpdf inflates while opening)
    is opened here, where every stream is then measured before it is read.
    """
    _check_framing(path)
    if _classic_cross_reference(path):
        check_parsed(path, limits)
    else:
        _check_in_child(path, limits)


def check_form_scan(path: Path, limits: Limits, tmp_root: str) -> tuple[str, str]:
    """Check a scanned form as a photo is checked; return its content type and extension."""
    try:
        with tempfile.TemporaryDirectory(dir=tmp_root) as workdir:
            image_format = analyse(path, Path(workdir), limits).format
    except NotAnImage:
        with open(path, "rb") as source:
            head = source.read(512)
        raise RejectedUpload(
            f"a consent form must be a PDF, JPEG or PNG file; this is {describe_content(head)}"
        ) from None
    if CONTENT_TYPES[image_format] not in _SCAN_TYPES:
        raise RejectedUpload(
            f"a consent form must be a PDF, JPEG or PNG file; this is a {image_format} picture"
        )
    return CONTENT_TYPES[image_format], EXTENSIONS[image_format]


def _check_framing(path: Path) -> None:
    """Refuse data around the PDF: a file that is also a web page or another file."""
    size = path.stat().st_size
    with open(path, "rb") as source:
        head = source.read(_HEAD_BYTES)
        source.seek(max(0, size - _TAIL_BYTES))
        tail = source.read()
    end = tail.rfind(b"%%EOF")
    trailing = tail[end + len(b"%%EOF") :] if end >= 0 else tail
    if _has_html(head) or _has_html(trailing):
        raise RejectedUpload(_POLYGLOT)
    if not head.startswith(PDF_HEADER):
        raise RejectedUpload(
            "the file has other data before the start of the PDF, so it may be two kinds "
            "of file at once; send a plain PDF"
        )
    if end < 0:
        raise RejectedUpload("the PDF is incomplete or damaged (it has no end marker)")
    if len(trailing.strip(b" \t\r\n\f\x00")) > _MAX_TRAILING_BYTES:
        raise RejectedUpload(
            "the file has other data after the end of the PDF, so it may be two kinds "
            "of file at once; send a plain PDF"
        )


def _has_html(data: bytes) -> bool:
    lowered = data.lower()
    return any(marker in lowered for marker in _HTML_MARKERS)


def _classic_cross_reference(path: Path) -> bool:
    """Return whether the PDF's one cross-reference section is a table, not a stream.

    Read from the end as readers do: `startxref` names where the section starts. Any doubt
    (an update with /Prev, a hybrid /XRefStm, an offset that does not land on "xref")
    answers False, and the PDF is opened in the capped child.
    """
    with open(path, "rb") as source:
        size = source.seek(0, 2)
        source.seek(max(0, size - _TAIL_BYTES))
        tail = source.read()
        found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
        if found is None or int(found.group(1)) >= size:
            return False
        source.seek(int(found.group(1)))
        section = source.read(size - int(found.group(1)))
    trailer = section.rfind(b"trailer")
    return (
        section.startswith(b"xref")
        and trailer >= 0
        and b"/Prev" not in section[trailer:]
        and b"/XRefStm" not in section[trailer:]
    )


def _check_in_child(path: Path, limits: PdfLimits) -> None:
    """Run check_parsed() in a child process with its memory and time capped."""
    command = [sys.executable, "-m", "archive.consent.pdf_checks", str(path)]
    command.append(json.dumps(asdict(limits)))
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command, capture_output=True, text=True, timeout=_CHILD_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise RejectedUpload(TOO_COSTLY) from None
    if done.returncode != 0:
        # Killed or aborted when it reached its memory cap (qpdf's std::bad_alloc).
        raise RejectedUpload(TOO_COSTLY)
    refusal = json.loads(done.stdout)["refusal"]
    if refusal:
        raise RejectedUpload(refusal)
