"""The credit and rights that travel inside every image leaving the archive.

A comms download carries every field below; a derivative (gallery, IIIF, kiosk image)
only the photo's credit and rights (photo_credits): no one's name but the credit's.
"""

from dataclasses import dataclass
from datetime import datetime

from archive.licences.models import Licence

# The IPTC NewsCodes term for a picture taken by a digital camera.
DIGITAL_CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"

# The PLUS Model Release Status vocabulary (http://ns.useplus.org/ldf/vocab/).
MODEL_RELEASE_NONE = "http://ns.useplus.org/ldf/vocab/MR-NON"
MODEL_RELEASE_ALL = "http://ns.useplus.org/ldf/vocab/MR-UMR"
MODEL_RELEASE_SOME = "http://ns.useplus.org/ldf/vocab/MR-LMR"
MODEL_RELEASE_NOT_APPLICABLE = "http://ns.useplus.org/ldf/vocab/MR-NAP"


@dataclass(frozen=True)
class Credits:
    """The words that travel inside an image; empty ones are left out."""

    title: str = ""
    description: str = ""  # the caption
    creator: str = ""  # the photographer
    credit_line: str = ""  # e.g. "Photo: Jo Whitfield / University Technical Services"
    rights: str = ""  # the copyright notice
    usage_terms: str = ""  # the licence's terms
    licence_url: str = ""  # the web statement of rights; may be ""
    alt_text: str = ""
    taken_at: datetime | None = None  # with its UTC offset
    keywords: tuple[str, ...] = ()  # job role and department tags
    licensor_name: str = ""
    licensor_url: str = ""
    people: tuple[str, ...] = ()  # only those whose consent covers the use
    model_release: str = ""  # one of the MODEL_RELEASE_* URIs
    digital_source_type: str = ""


def photo_credits(licence: Licence | None, photographer: str, institution: str) -> Credits:
    """Return the credit and rights a photo's every image carries (none without a licence)."""
    if licence is None:
        return Credits()
    credit_line = licence.credit_line(photographer, institution)
    return Credits(
        credit_line=credit_line,
        rights=f"{licence.name}. {credit_line}",
        usage_terms=licence.terms,
        licence_url=licence.url,
        digital_source_type=DIGITAL_CAPTURE,
    )
