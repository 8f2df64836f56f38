"""Exhibitions taken elsewhere: a CSV of items, a static site for a kiosk, a IIIF manifest.

Each export holds the items of one showing (see exhibitions.consent.needed_scopes): the
kiosk site is a physical showing, the manifest an online one, and the CSV lists the items
where the exhibition is chiefly seen.
"""

import io
import json
import zipfile
from pathlib import Path

from flask import render_template

from archive.config import PROJECT_ROOT
from archive.csv_export import spreadsheet_csv
from archive.exhibitions.gallery import Shown, shown_items
from archive.exhibitions.iiif import manifest_of
from archive.exhibitions.models import Exhibition, Showing
from archive.photos.models import DerivativeKind


def exported_items(exhibition: Exhibition, kind: str) -> list[Shown]:
    """Return the items an export of this kind ("static", "iiif" or "csv") holds."""
    showing = {"static": Showing.PHYSICAL, "iiif": Showing.ONLINE}.get(
        kind, exhibition.main_showing
    )
    return shown_items(exhibition, showing=showing)


def items_csv(exhibition: Exhibition, institution: str) -> bytes:
    """Return the shown items, in order, with captions, alt text, credits and licences.

    The items are those of the exhibition's main showing: a physical exhibition's list its
    labels, any other its gallery. The file is for spreadsheets: see archive.csv_export for
    what that guards against.
    """
    header = ["position", "photo_id", "title", "caption", "alt_text", "credit", "licence"]
    rows = (
        [
            position,
            shown.photo.id,
            shown.title,
            shown.caption,
            shown.alt_text,
            shown.photo.licence.credit_line(shown.photo.photographer, institution),
            shown.photo.licence.name,
        ]
        for position, shown in enumerate(exported_items(exhibition, "csv"), start=1)
    )
    return spreadsheet_csv(header, rows)


def static_site(exhibition: Exhibition, institution: str) -> bytes:
    """Return a zip of a self-contained site: open index.html from disk, no network needed.

    A kiosk shows its items in a room, so each needs consent to physical exhibitions,
    whoever may open the exhibition online.
    """
    shown = exported_items(exhibition, "static")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        pictures = []
        for number, entry in enumerate(shown, start=1):
            files = {}
            for kind in (DerivativeKind.DISPLAY, DerivativeKind.LARGE):
                derivative = entry.photo.derivative(kind)
                name = f"images/{number:03d}-{kind.value}.jpg"
                with derivative.open() as stored:
                    archive.writestr(name, stored.read())
                files[kind.value] = (name, derivative.width, derivative.height)
            credit = entry.photo.licence.credit_line(entry.photo.photographer, institution)
            pictures.append({"entry": entry, "files": files, "credit": credit})
        html = render_template(
            "exhibitions/static_site.html",
            exhibition=exhibition,
            pictures=pictures,
            institution=institution,
        )
        archive.writestr("index.html", html)
        archive.writestr("style.css", Path(_static("exhibition-site.css")).read_text())
    return buffer.getvalue()


def iiif_manifest(exhibition: Exhibition, institution: str) -> dict:
    """Return the exhibition as a IIIF Presentation 3.0 Manifest (see exhibitions.iiif)."""
    return manifest_of(exhibition, exported_items(exhibition, "iiif"), institution)


def export_file(exhibition: Exhibition, kind: str, institution: str) -> bytes:
    """Return the export of this kind ("static", "iiif" or "csv") as the bytes of its file."""
    if kind == "static":
        return static_site(exhibition, institution)
    if kind == "csv":
        return items_csv(exhibition, institution)
    return json.dumps(iiif_manifest(exhibition, institution), indent=2).encode()


def _static(name: str) -> str:
    return str(PROJECT_ROOT / "static" / name)
