"""The forms comms staff fill in to download a photo, its social-media kit, or their basket."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from archive.core.fields import TickField


class LicenceAcceptanceForm(FlaskForm):
    """Comms staff state the purpose and accept the licence: nothing is handed out without."""

    purpose = TextAreaField(
        "What will the photo be used for?",
        validators=[
            InputRequired("Say what the photo will be used for, such as a newsletter."),
            Length(max=1000),
        ],
        description="For example: the staff newsletter, March issue.",
    )
    accept = TickField(
        "I accept the licence terms and will use the credit line shown",
        validators=[
            DataRequired("Tick to accept the licence terms: a photo is downloaded only under them.")
        ],
    )


class DownloadForm(LicenceAcceptanceForm):
    """Comms staff choose a size too."""

    size = SelectField("Size")


def basket_download_form() -> DownloadForm:
    """Return the download form worded for a whole basket: one purpose, one acceptance."""
    form = DownloadForm()
    form.purpose.label.text = "What will these photos be used for?"
    form.accept.label.text = (
        "I accept the terms of each licence listed and will use each photo's credit line"
    )
    return form
