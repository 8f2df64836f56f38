"""The batch form on the search page."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField

from archive.batch.services import BatchAction

WHICH = ("ticked", "all")


class BatchForm(FlaskForm):
    """The photos ticked (or all matching), the change chosen and what it needs.

    Choices are not checked here: the service looks each chosen row up and says what is
    missing, and a photo that went away meanwhile is simply not among those changed.
    """

    photo = SelectMultipleField("Select", coerce=int, validate_choice=False)
    which = RadioField("Which photos", choices=WHICH, default="ticked", validate_choice=True)
    job_role = SelectField("Job role", coerce=int, default=0, validate_choice=False)
    department = SelectField("Department", coerce=int, default=0, validate_choice=False)
    licence = SelectField("Licence", coerce=int, default=0, validate_choice=False)
    exhibition = SelectField("Exhibition", coerce=int, default=0, validate_choice=False)
    # The button pressed: each part of the form has its own.
    action = RadioField("Change", choices=[a.value for a in BatchAction], validate_choice=True)
