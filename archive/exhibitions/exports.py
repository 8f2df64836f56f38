"""Exhibitions taken elsewhere: a CSV of items, a static site for a kiosk, a IIIF manifest."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from flask import render_template

from archive.config import PROJECT_ROOT
from archive.csv_export import spreadsheet_csv
from archive.exhibitions.models import Exhibition
from archive.exhibitions.services import shown_items
from archive.photos.models import DerivativeKind
from archive.storage import get_storage

IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def items_csv(exhibition: Exhibition, institution: str) -> bytes:
    """Return the shown items, in order, with captions, alt text, credits and licences.

    The file is for spreadsheets: see archive.csv_export for what that guards against.
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
        for position, shown in enumerate(shown_items(exhibition), start=1)
    )
    return spreadsheet_csv(header, rows)


def static_site(exhibition: Exhibition, institution: str) -> bytes:
    """Return a zip of a self-contained site: open index.html from disk, no network needed."""
    storage = get_storage()
    shown = shown_items(exhibition)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        pictures = []
        for number, entry in enumerate(shown, start=1):
            files = {}
            for kind in (DerivativeKind.DISPLAY, DerivativeKind.LARGE):
                derivative = entry.photo.derivative(kind)
                name = f"images/{number:03d}-{kind.value}.jpg"
                with storage.open(derivative.storage_key) as stored:
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


def iiif_manifest(
    exhibition: Exhibition, institution: str, manifest_id: str, image_url: Callable[[str], str]
) -> dict:
    """Return the exhibition as a IIIF Presentation 3.0 Manifest, one Canvas per shown item."""
    base = manifest_id.split("?")[0].removesuffix("/manifest.json")
    canvases = []
    for number, shown in enumerate(shown_items(exhibition), start=1):
        large = shown.photo.derivative(DerivativeKind.LARGE)
        canvas_id = f"{base}/canvas/{number}"
        licence = shown.photo.licence
        canvas = {
            "id": canvas_id,
            "type": "Canvas",
            "label": {"en": [shown.photo.display_title]},
            "width": large.width,
            "height": large.height,
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
                                "id": image_url(large.sha256),
                                "type": "Image",
                                "format": "image/jpeg",
                                "width": large.width,
                                "height": large.height,
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


def _static(name: str) -> str:
    return str(PROJECT_ROOT / "static" / name)
