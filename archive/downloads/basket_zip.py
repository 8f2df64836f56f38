"""Downloading the basket: one zip of credited JPEGs and a credits sheet, each photo recorded."""

import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import IO

from archive.auth.models import User
from archive.core.database import write_transaction
from archive.csv_export import spreadsheet_csv
from archive.downloads.basket import Basket, BasketLine, basket_of
from archive.downloads.services import (
    DownloadRefused,
    DownloadSize,
    check_purpose,
    credited_file,
    download_name,
    record_download,
)
from archive.links import public_url as archive_url

# The zip is written here and moves to a temporary file past this size: a basket of full-size
# photos can run to hundreds of megabytes, and several people may download at once.
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024
SHEET_NAME = "credits.csv"
SHEET_HEADER = ["File", "Title", "Credit line", "Licence", "Licence URL", "Photo URL", "Included"]
LEFT_OUT = "No: left out, it is no longer cleared for press and social media use"


@dataclass
class BasketDownload:
    """The zip to send (positioned at its start; the caller closes it), its name and size."""

    file: IO[bytes]
    filename: str
    size: int
    left_out: list[str]  # the titles of photos not included


def download_basket(
    user: User,
    size: DownloadSize,
    *,
    purpose: str,
    institution: str,
    public_url: str,
    today: date | None = None,
) -> BasketDownload:
    """Return the basket's photos as one zip, and record each photo as its own download.

    Each photo is the credited JPEG a single download gives; credits.csv lists every photo,
    those left out (no longer cleared) named with the reason. Raise DownloadRefused when the
    purpose is blank or nothing in the basket may be handed out.
    """
    today = today or date.today()
    check_purpose(purpose)
    basket = basket_of(user, institution, public_url, today)
    if not basket.lines:
        raise DownloadRefused(_nothing_to_download(basket))
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115 - returned
    try:
        _write_zip(spooled, basket, size, institution, public_url, today)
        with write_transaction():
            for line in basket.lines:
                record_download(line.photo, size, user=user, purpose=purpose)
    except BaseException:
        spooled.close()
        raise
    length = spooled.tell()
    spooled.seek(0)
    return BasketDownload(
        spooled,
        f"basket-{today.isoformat()}-{size.value}.zip",
        length,
        [line.title for line in basket.left_out],
    )


def _nothing_to_download(basket: Basket) -> str:
    """Return why there is nothing to zip: an empty basket, or nothing in it cleared now."""
    if not basket.left_out:
        return "your basket is empty: add photos to it from the search results or a photo's page"
    titles = ", ".join(f"“{line.title}”" for line in basket.left_out)
    return f"none of the photos in your basket is cleared for press use any more: {titles}"


def _write_zip(
    out: IO[bytes],
    basket: Basket,
    size: DownloadSize,
    institution: str,
    public_url: str,
    today: date,
) -> None:
    """Write the photos, one at a time so only one is ever in memory, then the sheet."""
    rows, used = [], set()
    # JPEGs do not compress further: stored as they are, only the sheet is deflated.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for line in basket.lines:
            name = _unused(download_name(line.photo, f"{size.value}.jpg"), line.photo.id, used)
            archive.writestr(name, credited_file(line.photo, size, institution, public_url, today))
            licence = line.photo.licence
            rows.append(
                [name, line.title, line.credit_line, licence.name, licence.url, _url(line), "Yes"]
            )
        rows += [["", line.title, "", "", "", _url(line), LEFT_OUT] for line in basket.left_out]
        sheet = spreadsheet_csv(SHEET_HEADER, rows)
        archive.writestr(SHEET_NAME, sheet, compress_type=zipfile.ZIP_DEFLATED)


def _unused(name: str, photo_id: int, used: set[str]) -> str:
    """Return the name, or with the photo's id added if another photo of that title has it."""
    if name in used:
        path = PurePosixPath(name)
        name = f"{path.stem}-{photo_id}{path.suffix}"
    used.add(name)
    return name


def _url(line: BasketLine) -> str:
    """Return the address of the photo's page in the archive."""
    return archive_url("photos.photo_page", photo_id=line.photo.id)
