"""The print pack of a physical exhibition: what the printer and the gallery team need.

A zip of each item's full-resolution file, its wall label, a checklist (PDF and CSV) and
the exhibition's text panel. Every file is the original at its own pixel size (never
upscaled), turned upright, blurred where a curator asked (photos.blur.full_size_picture)
and converted to sRGB with the sRGB profile embedded: one colour space a print shop reads
without asking, at the cost of the few colours a wide-gamut (Adobe RGB, Display P3)
original has outside sRGB. Texts are the published ones (gallery.Shown), never a minor's
name.

A pack is refused, with the list of what to fix, unless the exhibition is physical and
every item holds physical-exhibition consent today: a pack quietly missing an item would
leave a gap on the wall nobody planned for.
"""

import io
import zipfile
from dataclasses import dataclass, replace
from datetime import date

from archive.auth.models import User
from archive.consent.rules import allowed_until
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.intake import clean_filename
from archive.csv_export import spreadsheet_csv
from archive.downloads.embedding import credited_jpeg
from archive.exhibitions.consent import consent_problems, needed_scopes
from archive.exhibitions.gallery import Shown, shown_items
from archive.exhibitions.models import Exhibition, ExhibitionUse, Showing
from archive.exhibitions.print_pdfs import (
    LabelSizeUnknown,
    checklist_pdf,
    label_page_size,
    text_panel_pdf,
    wall_labels_pdf,
)
from archive.photos.blur import full_size_picture
from archive.photos.credits import photo_credits

PRINT_DPI = 300
MM_PER_INCH = 25.4
CHECKLIST_HEADER = [
    "position",
    "file",
    "width_px",
    "height_px",
    "max_print_mm_at_300dpi",
    "max_print_in_at_300dpi",
    "title",
    "caption",
    "credit",
    "licence",
    "consent",
    "consent_checked_on",
]


class PrintPackRefused(Exception):
    """No pack can be made yet; problems says, one sentence each, what to fix."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PrintItem:
    """One item of the pack: its file, its size and its label, as the checklist lists them."""

    position: int
    file_name: str
    width: int
    height: int
    title: str
    caption: str
    credit: str
    licence: str
    consent: str  # e.g. "Cleared for physical exhibitions until 2027-03-31"

    @property
    def print_mm(self) -> str:
        """Return the largest print at 300 dpi in millimetres, e.g. "254 × 169 mm"."""
        width, height = (round(px / PRINT_DPI * MM_PER_INCH) for px in (self.width, self.height))
        return f"{width} × {height} mm"

    @property
    def print_inches(self) -> str:
        """Return the largest print at 300 dpi in inches, e.g. "10.0 × 6.7 in"."""
        return f"{self.width / PRINT_DPI:.1f} × {self.height / PRINT_DPI:.1f} in"


def print_problems(exhibition: Exhibition, today: date | None = None) -> list[str]:
    """Return what stops a print pack being made, one sentence each; empty when it can be."""
    if exhibition.use is not ExhibitionUse.PHYSICAL:
        return [
            "A print pack is for a physical exhibition: set the exhibition's use to "
            "“A physical exhibition or kiosk” in its details, then make the pack."
        ]
    if not exhibition.items:
        return ["The exhibition has no items yet: add the photos to print first."]
    return consent_problems(exhibition, Showing.PHYSICAL, today)


def print_pack(
    exhibition: Exhibition,
    *,
    by: User,
    institution: str,
    label_size: str,
    today: date | None = None,
) -> bytes:
    """Return the pack as a zip and record it; raise PrintPackRefused with what to fix."""
    today = today or date.today()
    if problems := print_problems(exhibition, today):
        raise PrintPackRefused(problems)
    try:
        label_page_size(label_size)
    except LabelSizeUnknown as error:
        raise PrintPackRefused([str(error)]) from None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        items = []
        for position, shown in enumerate(shown_items(exhibition, today, Showing.PHYSICAL), 1):
            item = _print_item(position, shown, institution, exhibition, today)
            # A JPEG does not shrink in a zip: stored, it is written faster.
            pack.writestr(
                item.file_name, _print_file(shown, institution), compress_type=zipfile.ZIP_STORED
            )
            items.append(item)
        pack.writestr("labels.pdf", wall_labels_pdf(items, label_size))
        pack.writestr("checklist.pdf", checklist_pdf(exhibition.title, items, today))
        pack.writestr("checklist.csv", checklist_csv(items, today))
        pack.writestr("text-panel.pdf", text_panel_pdf(exhibition, _credit_lines(items)))
    with write_transaction():
        record_event(
            by, "exhibition.print_pack", "exhibition", exhibition.id, f"{len(items)} items"
        )
    return buffer.getvalue()


def checklist_csv(items: list[PrintItem], checked_on: date) -> bytes:
    """Return the checklist as CSV for a spreadsheet, one row per item."""
    rows = (
        [
            item.position,
            item.file_name,
            item.width,
            item.height,
            item.print_mm,
            item.print_inches,
            item.title,
            item.caption,
            item.credit,
            item.licence,
            item.consent,
            checked_on.isoformat(),
        ]
        for item in items
    )
    return spreadsheet_csv(CHECKLIST_HEADER, rows)


def _print_item(
    position: int, shown: Shown, institution: str, exhibition: Exhibition, today: date
) -> PrintItem:
    photo = shown.photo
    title = shown.title.replace("/", "-").replace("\\", "-")[:80].strip()
    return PrintItem(
        position=position,
        file_name="images/"
        + clean_filename(f"{position:03d}-{title}.jpg", fallback=f"{position:03d}.jpg"),
        width=photo.width,
        height=photo.height,
        title=shown.title,
        caption=shown.caption,
        credit=photo.licence.credit_line(photo.photographer, institution),
        licence=photo.licence.name,
        consent=_consent_status(shown, exhibition, today),
    )


def _print_file(shown: Shown, institution: str) -> bytes:
    """Return the full-size sRGB JPEG, its credit and published texts inside, at 300 dpi."""
    photo = shown.photo
    credits = replace(
        photo_credits(photo.licence, photo.photographer, institution),
        title=shown.title,
        description=shown.caption,
        creator=photo.photographer,
        alt_text=shown.alt_text,
    )
    return credited_jpeg(full_size_picture(photo), credits, quality=95, dpi=PRINT_DPI)


def _consent_status(shown: Shown, exhibition: Exhibition, today: date) -> str:
    """Return how long the item may be exhibited as things stand today."""
    scopes = needed_scopes(exhibition, Showing.PHYSICAL)
    last_day = min(allowed_until(shown.photo, scope, today) or today for scope in scopes)
    if last_day == date.max:
        return "Cleared for physical exhibitions, with no end date"
    return f"Cleared for physical exhibitions until {last_day.isoformat()}"


def _credit_lines(items: list[PrintItem]) -> list[str]:
    """Return each distinct credit, in the order the items are hung."""
    return list(dict.fromkeys(item.credit for item in items))
