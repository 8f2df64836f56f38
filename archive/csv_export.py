"""CSV files people open in a spreadsheet: text cells cannot run as formulas, accents survive."""

import csv
import io
from collections.abc import Iterable

# A cell starting with one of these is read by Excel and LibreOffice as a formula (or as the
# start of one, after a tab or carriage return): a caption "=HYPERLINK(…)" would run on open.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a byte order mark as the machine's code page: "Émilie" garbled.
ENCODING = "utf-8-sig"

Cell = str | int | float | None


def guarded(value: Cell) -> Cell:
    """Return a text cell that would start a formula behind a single quote; others as given.

    Numbers the archive computed are left as numbers; only text (which people typed) is guarded.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_csv(header: list[str], rows: Iterable[Iterable[Cell]]) -> bytes:
    """Return the rows as CSV, UTF-8 with a byte order mark, every text cell guarded."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([guarded(name) for name in header])
    writer.writerows([guarded(cell) for cell in row] for row in rows)
    return out.getvalue().encode(ENCODING)
