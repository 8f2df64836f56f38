"""An exhibition as a IIIF Presentation 3.0 Manifest, as partners' viewers read it.

Every text is a language map under the language its writer set ("none" when not set);
the labels the archive writes itself are in its own language, English. What a canvas says
of a photo is what its gallery shows, the credit and the licence, the photographer, the
date and the job roles and departments it is tagged with: never anyone's EDI answers.
"""

import re
from urllib.parse import urlsplit

from markupsafe import escape

from archive.exhibitions.gallery import Shown, cover_of
from archive.exhibitions.models import Exhibition
from archive.licences.models import Licence
from archive.links import public_url
from archive.people.models import Vocabulary
from archive.photos.models import Derivative

IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
IIIF_MEDIA_TYPE = f'application/ld+json;profile="{IIIF_CONTEXT}"'
ARCHIVE_LANGUAGE = "en"
# The rights URIs IIIF takes, by host and first path segment: always in their http form.
_RIGHTS_VOCABULARIES = {
    ("creativecommons.org", "licenses"),
    ("creativecommons.org", "publicdomain"),
    ("rightsstatements.org", "vocab"),
}
# The terms a canvas lists (see Photo.term_labels): the work shown, never who anyone is.
_TAGGED = ((Vocabulary.JOB_ROLE, "Job role"), (Vocabulary.DEPARTMENT, "Department"))
# A licence's deed and legal code pages (…/by/4.0/deed.fr, …/by/4.0/legalcode) name it too.
_LICENCE_PAGE = re.compile(r"(deed|legalcode)(\.[A-Za-z-]+)?$")


def language_map(text: str, language: str) -> dict[str, list[str]]:
    """Return a IIIF language map of the text: under its BCP 47 tag, "none" when not set."""
    return {language or "none": [text]}


def iiif_rights(url: str) -> str | None:
    """Return a licence URL as IIIF `rights` takes it, or None if it names no such licence.

    IIIF takes Creative Commons and RightsStatements.org URIs only, and in their http
    form: https://creativecommons.org/licenses/by/4.0/ is http://creativecommons.org/….
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path
    if host == "rightsstatements.org":
        path = path.replace("/page/", "/vocab/", 1)  # a statement's page names it too
    vocabulary = (host, path.split("/")[1] if path.startswith("/") else "")
    if parts.scheme not in ("http", "https") or vocabulary not in _RIGHTS_VOCABULARIES:
        return None
    path = _LICENCE_PAGE.sub("", path)
    return f"http://{host}{path if path.endswith('/') else path + '/'}"


def manifest_of(exhibition: Exhibition, items: list[Shown], institution: str) -> dict:
    """Return the Manifest of the exhibition showing these items, one Canvas each.

    Its URLs are at PUBLIC_URL (see archive.links), each with the exhibition's link key.
    """
    slug, key, language = exhibition.slug, exhibition.link_key, exhibition.language
    manifest_id = public_url("exhibitions.manifest", slug=slug, key=key)
    base = manifest_id.split("?")[0].removesuffix("/manifest.json")
    gallery = public_url("exhibitions.gallery", slug=slug, key=key)
    manifest = {
        "@context": IIIF_CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": language_map(exhibition.title, language),
        "summary": (
            language_map(exhibition.summary, language)
            if exhibition.summary
            else _ours(f"{len(items)} photographs published by {institution}.")
        ),
        "metadata": [_statement("Published by", [institution])]
        + (
            [_entry("Date published", exhibition.published_at.date().isoformat())]
            if exhibition.published_at
            else []
        ),
        "requiredStatement": _statement("Published by", [institution]),
        "homepage": [
            {
                "id": gallery,
                "type": "Text",
                "label": language_map(exhibition.title, language),
                "format": "text/html",
                **({"language": [language]} if language else {}),
            }
        ],
        "provider": [_provider(institution)],
        "items": [
            _canvas(f"{base}/canvas/{number}", shown, exhibition, institution)
            for number, shown in enumerate(items, start=1)
        ],
    }
    cover = cover_of(exhibition)
    if cover is not None:
        manifest["thumbnail"] = [_image(_smallest(cover), slug, key)]
    return manifest


def _canvas(canvas_id: str, shown: Shown, exhibition: Exhibition, institution: str) -> dict:
    photo, licence = shown.photo, shown.photo.licence
    # The largest size the gallery sends: the manifest's images are the gallery's.
    image = photo.derivative(max(shown.sizes, key=lambda kind: kind.long_edge))
    slug, key = exhibition.slug, exhibition.link_key
    rights = iiif_rights(licence.url) if licence.url else None
    credit = licence.credit_line(photo.photographer, institution)
    painting = _image(image, slug, key)
    if shown.alt_text:
        painting["label"] = language_map(shown.alt_text, shown.alt_language)
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": language_map(shown.title, photo.language if photo.title else ""),
        "width": image.width,
        "height": image.height,
        "thumbnail": [_image(_smallest(shown), slug, key)],
        "metadata": _photo_metadata(shown, licence),
        # Without a rights URI, the statement itself says which licence applies.
        "requiredStatement": _statement(
            "Credit", [credit] if rights else [credit, *_licence_text(licence)]
        ),
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
                        "body": painting,
                    }
                ],
            }
        ],
    }
    if shown.caption:
        canvas["summary"] = language_map(shown.caption, shown.caption_language)
    if rights:
        canvas["rights"] = rights
    return canvas


def _photo_metadata(shown: Shown, licence: Licence) -> list[dict]:
    photo = shown.photo
    entries = [_entry("Photographer", photo.photographer)] if photo.photographer else []
    if photo.taken_at:
        entries.append(_entry("Date taken", photo.taken_at.date().isoformat()))
    for vocabulary, label in _TAGGED:
        terms = photo.term_labels(vocabulary)
        if terms:
            entries.append({"label": _ours(label), "value": {ARCHIVE_LANGUAGE: terms}})
    entries.append({"label": _ours("Licence"), "value": {ARCHIVE_LANGUAGE: _licence_text(licence)}})
    return entries


def _licence_text(licence: Licence) -> list[str]:
    """Return what applies: the licence's name (a link to it, if it has one) and its terms."""
    name = escape(licence.name)
    named = f'<a href="{escape(licence.url)}">{name}</a>' if licence.url else str(name)
    return [named, *([licence.terms] if licence.terms else [])]


def _smallest(shown: Shown) -> Derivative:
    return shown.photo.derivative(min(shown.sizes, key=lambda kind: kind.long_edge))


def _image(derivative: Derivative, slug: str, key: str | None) -> dict:
    return {
        "id": public_url("exhibitions.media", slug=slug, sha256=derivative.sha256, key=key),
        "type": "Image",
        "format": "image/jpeg",
        "width": derivative.width,
        "height": derivative.height,
    }


def _provider(institution: str) -> dict:
    home = public_url("home.home")
    return {
        "id": home,
        "type": "Agent",
        "label": _ours(institution),
        "homepage": [
            {"id": home, "type": "Text", "label": _ours(institution), "format": "text/html"}
        ],
    }


def _ours(text: str) -> dict[str, list[str]]:
    return language_map(text, ARCHIVE_LANGUAGE)


def _entry(label: str, value: str) -> dict:
    """Return a metadata entry of a name or date, which is in no language."""
    return {"label": _ours(label), "value": language_map(value, "")}


def _statement(label: str, values: list[str]) -> dict:
    return {"label": _ours(label), "value": {ARCHIVE_LANGUAGE: values}}
