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
from archive.exhibitions.models import Exhibition, Showing
from archive.links import public_url
from archive.photos.models import DerivativeKind

IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


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
            shown.photo.display_title,
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
    """Return the exhibition as a IIIF Presentation 3.0 Manifest, one Canvas per shown item.

    Its URLs are at PUBLIC_URL (see archive.links), each with the exhibition's link key.
    """
    slug, key = exhibition.slug, exhibition.link_key
    manifest_id = public_url("exhibitions.manifest", slug=slug, key=key)
    base = manifest_id.split("?")[0].removesuffix("/manifest.json")
    canvases = []
    for number, shown in enumerate(exported_items(exhibition, "iiif"), start=1):
        # The largest size the gallery sends: the manifest's images are the gallery's.
        image = shown.photo.derivative(max(shown.sizes, key=lambda kind: kind.long_edge))
        canvas_id = f"{base}/canvas/{number}"
        licence = shown.photo.licence
        canvas = {
            "id": canvas_id,
            "type": "Canvas",
            "label": {"en": [shown.photo.display_title]},
            "width": image.width,
            "height": image.height,
            "items": [
                {
                    "id": f"{canvas_id}/page",
                    "type": "AnnotationPage",
                    "items": [
                        {
                            "id": f"{canvas_id}/page/painting",
                            "type": "Annotation",
                            "motivation": "painting",
                            "target": canvas_id,
                            "body": {
                                "id": public_url(
                                    "exhibitions.media", slug=slug, sha256=image.sha256, key=key
                                ),
                                "type": "Image",
                                "format": "image/jpeg",
                                "width": image.width,
                                "height": image.height,
                            },
                        }
                    ],
                }
            ],
            "requiredStatement": {
                "label": {"en": ["Credit"]},
                "value": {"en": [licence.credit_line(shown.photo.photographer, institution)]},
            },
        }
        if shown.caption:
            canvas["summary"] = {"en": [shown.caption]}
        if licence.url:
            canvas["rights"] = licence.url
        canvases.append(canvas)
    manifest = {
        "@context": IIIF_CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": {"en": [exhibition.title]},
        "requiredStatement": {"label": {"en": ["Published by"]}, "value": {"en": [institution]}},
        "items": canvases,
    }
    if exhibition.summary:
        manifest["summary"] = {"en": [exhibition.summary]}
    return manifest


def export_file(exhibition: Exhibition, kind: str, institution: str) -> bytes:
    """Return the export of this kind ("static", "iiif" or "csv") as the bytes of its file."""
    if kind == "static":
        return static_site(exhibition, institution)
    if kind == "csv":
        return items_csv(exhibition, institution)
    return json.dumps(iiif_manifest(exhibition, institution), indent=2).encode()


def _static(name: str) -> str:
    return str(PROJECT_ROOT / "static" / name)
