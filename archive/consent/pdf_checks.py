"""What a consent-form PDF holds, read with pikepdf: pages, scripts, actions, attachments, size.

check_parsed() opens the PDF and refuses it (RejectedUpload) if it is damaged, protected,
active or absurdly large. form_files.py decides whether that runs in this process or, for
a PDF whose structure qpdf inflates while opening, in a child whose memory is capped:
`python -m archive.consent.pdf_checks PATH LIMITS` is that child.
"""

import json
import resource
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from archive.consent.pdf_budget import Budget
from archive.core.intake import RejectedUpload

# Actions a person starts by clicking a link or bookmark: a reader asks before leaving.
_CLICKED_ACTIONS = (pikepdf.Name.GoTo, pikepdf.Name.URI, pikepdf.Name.Named)
# Actions that run by themselves (on opening, or chained after another) may only move
# to a page: opening a web address unasked would tell a third party the form was read.
_AUTOMATIC_ACTIONS = (pikepdf.Name.GoTo,)

_DAMAGED = "the PDF is incomplete or damaged and cannot be read"
_ACTIONS = (
    "the PDF contains JavaScript or actions that run by themselves; "
    "send a plain copy (print it to PDF, or scan the paper form)"
)


@dataclass(frozen=True)
class PdfLimits:
    """How large a consent-form PDF may be once opened."""

    max_pages: int
    max_decoded_bytes: int
    max_pixels: int

    @classmethod
    def from_config(cls, config) -> "PdfLimits":
        """Read the limits from the app's configuration."""
        return cls(
            max_pages=config["CONSENT_PDF_MAX_PAGES"],
            max_decoded_bytes=config["CONSENT_PDF_MAX_DECODED_MB"] * 1024 * 1024,
            max_pixels=config["MAX_IMAGE_PIXELS"],
        )


def check_parsed(path: Path, limits: PdfLimits) -> None:
    """Open the PDF and refuse it if it is damaged, protected, active or absurdly large."""
    try:
        # No recovery: if the file must be reconstructed to be read, each reader would
        # reconstruct it its own way, and the curator would not see what was checked.
        # Inherited page attributes are not needed, and pushing them down walks every page.
        with pikepdf.open(path, attempt_recovery=False, inherit_page_attributes=False) as pdf:
            if pdf.is_encrypted:
                raise _encrypted()
            budget = Budget(limits.max_decoded_bytes)
            packed_in = _measure_object_streams(pdf, budget)
            _check_pages(pdf, limits.max_pages)
            _check_content(pdf, limits, budget, packed_in)
    except pikepdf.PasswordError:
        raise _encrypted() from None
    except pikepdf.PdfError:
        raise RejectedUpload(_DAMAGED) from None


def _encrypted() -> RejectedUpload:
    return RejectedUpload("the PDF is password-protected or encrypted; send an unprotected copy")


def _check_pages(pdf: pikepdf.Pdf, max_pages: int) -> None:
    """Refuse a PDF with no pages or more than max_pages, counting no further than that."""
    pages = _count_pages(pdf.Root.get("/Pages"), max_pages)
    if pages == 0:
        raise RejectedUpload("the PDF has no pages")
    if pages > max_pages:
        raise RejectedUpload(
            f"the PDF has more than {max_pages} pages, too many for a consent form"
        )


def _count_pages(root: object, most: int) -> int:
    """Count the leaves of a page tree, stopping once past `most`; loops are not followed."""
    count, seen, stack = 0, set(), [root]
    while stack and count <= most:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kids = node.get("/Kids")
        if not isinstance(kids, pikepdf.Array):
            count += 1  # a page; the same page listed twice is shown twice
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if len(kids) > most:
            return len(kids)  # one node with that many children: not worth walking
        stack.extend(kids)
    return count


def _measure_object_streams(pdf: pikepdf.Pdf, budget: Budget) -> set[int]:
    """Spend the budget on the object streams; return their object numbers.

    qpdf inflates an object stream whole, into memory, as soon as one object packed in it
    is read: these are measured before pdf.objects reads them. (The cross-reference
    streams, and the object stream holding the catalog, qpdf inflates while opening.)
    """
    packed_in = {
        entry.obj_stream_number for entry in pdf.get_xref_table().values() if entry.type == 2
    }
    for number in sorted(packed_in):
        stream = pdf.get_object(number, 0)
        if isinstance(stream, pikepdf.Stream):
            budget.spend(stream)
    return packed_in


def _check_content(pdf: pikepdf.Pdf, limits: PdfLimits, budget: Budget, measured: set[int]) -> None:
    """Refuse scripts, automatic actions, attachments and content too large to open."""
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            raise RejectedUpload(_ACTIONS)
        if "/EmbeddedFiles" in names:
            raise _attachments()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            if obj.objgen[0] not in measured:
                budget.spend(obj)
            _check_picture(obj, limits.max_pixels)
        for dictionary in _dictionaries_in(obj):
            _check_dictionary(dictionary)


def _attachments() -> RejectedUpload:
    # A signed form needs none; an attachment is a file no check here has looked at.
    return RejectedUpload(
        "the PDF carries attached files; send the consent form on its own, without attachments"
    )


def _dictionaries_in(obj: object) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Yield a top-level object's dictionaries and those nested in it directly.

    Referenced (indirect) objects are not followed: pdf.objects yields each of them itself.
    """
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            yield item
            children = item.values()
        elif isinstance(item, pikepdf.Array):
            children = item
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
        )


def _check_dictionary(dictionary: pikepdf.Dictionary | pikepdf.Stream) -> None:
    """Refuse scripts, triggers, attachments and XFA forms wherever they appear."""
    # /AA: actions triggered by opening a page, focusing a field, typing, printing…
    if "/AA" in dictionary or "/JS" in dictionary:
        raise RejectedUpload(_ACTIONS)
    if "/EF" in dictionary or dictionary.get("/Type") == pikepdf.Name.EmbeddedFile:
        raise _attachments()
    if "/XFA" in dictionary:
        # XFA forms carry their own scripts, and most readers no longer show them as meant.
        raise RejectedUpload(
            "the PDF is a dynamic (XFA) form, which can run scripts; "
            "send a flat copy (print it to PDF, or scan the paper form)"
        )
    _check_action(dictionary.get("/A"), _CLICKED_ACTIONS)
    _check_action(dictionary.get("/OpenAction"), _AUTOMATIC_ACTIONS)
    chained = dictionary.get("/Next")
    for action in chained if isinstance(chained, pikepdf.Array) else [chained]:
        _check_action(action, _AUTOMATIC_ACTIONS)


def _check_action(action: object, allowed: tuple[pikepdf.Name, ...]) -> None:
    """Refuse an action dictionary whose kind is not allowed (a destination is no action)."""
    kind = action.get("/S") if isinstance(action, pikepdf.Dictionary) else None
    if kind is not None and kind not in allowed:
        raise RejectedUpload(_ACTIONS)


def _check_picture(stream: pikepdf.Stream, max_pixels: int) -> None:
    """Refuse a picture in the PDF with more pixels than a photo may have."""
    if stream.get("/Subtype") != pikepdf.Name.Image:
        return
    width, height = stream.get("/Width"), stream.get("/Height")
    if isinstance(width, int) and isinstance(height, int) and width * height > max_pixels:
        raise RejectedUpload(
            "a picture inside the PDF has too many pixels to open safely "
            f"(the limit is {max_pixels // 1_000_000} megapixels)"
        )


# What the child needs besides what the PDF expands to: Python, pikepdf and qpdf mapped.
_CHILD_BASE_BYTES = 256 * 1024 * 1024
TOO_COSTLY = (
    "the PDF takes more memory or time to open than a consent form can, as a decompression "
    "bomb would; send a plain copy (print it to PDF, or scan the paper form)"
)


def _child() -> None:
    """Check the PDF named on the command line under a memory cap; print the refusal or ""."""
    path, limits = Path(sys.argv[1]), PdfLimits(**json.loads(sys.argv[2]))
    cap = limits.max_decoded_bytes + _CHILD_BASE_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        check_parsed(path, limits)
        refusal = ""
    except RejectedUpload as refused:
        refusal = str(refused)
    except MemoryError:
        refusal = TOO_COSTLY
    print(json.dumps({"refusal": refusal}))


if __name__ == "__main__":
    _child()
