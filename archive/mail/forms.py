"""The form of the mail preferences page."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from archive.core.fields import CheckboxesField
from archive.mail.models import OPTIONAL_CATEGORIES


class PreferencesForm(FlaskForm):
    receive = CheckboxesField(
        "Send me e-mail about",
        choices=[SelectChoice(c.value, c.label) for c in OPTIONAL_CATEGORIES],
        description="Untick what you do not want. Password reset links you ask for are "
        "always sent.",
    )
