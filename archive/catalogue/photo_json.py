"""What the API says about a photo: one shape for a search result and for the photo itself.

Every URL is absolute, made from PUBLIC_URL. Only what the photo page shows its caller:
never the people shown, never anything of their EDI answers, and the texts as published
(no name of anyone under 18: consent.public_names).
"""

from flask import current_app

from archive.auth.access import Viewer
from archive.consent.public_names import published_texts
from archive.consent.rules import servable_sizes
from archive.core.formatting import camera_time
from archive.links import public_url
from archive.people.models import Vocabulary
from archive.photos.models import Derivative, DerivativeKind, Photo


def photo_summary(photo: Photo, snippet: str) -> dict:
    """Return a search result: what every answer says of a photo, and the snippet.

    snippet is the caption with the matched words marked (escaped HTML).
    """
    return {**_described(photo), "snippet": snippet}


def photo_detail(photo: Photo, viewer: Viewer) -> dict:
    """Return what the viewer may see of a photo they may see: the summary and its particulars.

    Its files are the sizes the photo page would send them.
    """
    licence = photo.licence
    institution = current_app.config["INSTITUTION"]
    sizes = sorted(servable_sizes(photo, viewer), key=list(DerivativeKind).index)
    return {
        **_described(photo),
        "caption": published_texts(photo).caption,
        "credit_line": licence.credit_line(photo.photographer, institution) if licence else None,
        "tags": {
            "job_roles": photo.term_labels(Vocabulary.JOB_ROLE),
            "departments": photo.term_labels(Vocabulary.DEPARTMENT),
        },
        "width": photo.width,
        "height": photo.height,
        "files": {kind.value: _file(photo.derivative(kind)) for kind in sizes},
    }


def _described(photo: Photo) -> dict:
    """Return what every answer says of a photo: title, links, credit, licence, date."""
    licence, texts = photo.licence, published_texts(photo)
    return {
        "id": photo.id,
        "title": texts.title,
        "url": public_url("photos.photo_page", photo_id=photo.id),
        "api_url": public_url("api.photo", photo_id=photo.id),
        "thumb_url": _file_url(photo.derivative(DerivativeKind.THUMB)),
        "alt_text": texts.alt_text,
        "photographer": photo.photographer,
        "licence": licence
        and {"code": licence.code, "name": licence.name, "url": licence.url or None},
        "taken_at": (taken := camera_time(photo.taken_at)) and taken.isoformat(),
    }


def _file(derivative: Derivative) -> dict:
    return {"url": _file_url(derivative), "width": derivative.width, "height": derivative.height}


def _file_url(derivative: Derivative) -> str:
    return public_url("photos.derivative_file", sha256=derivative.sha256)
