"""The form an admin adds or edits a licence with."""

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class LicenceForm(FlaskForm):
    """An admin adds or edits a licence."""

    code = StringField(
        "Code",
        validators=[InputRequired("Enter a short code, such as CC-BY-4.0."), Length(max=40)],
    )
    name = StringField(
        "Name", validators=[InputRequired("Enter the licence's name."), Length(max=120)]
    )
    terms = TextAreaField("Terms", validators=[Length(max=5000)])
    url = StringField("Web address of the licence text (optional)", validators=[Length(max=300)])
    credit_template = StringField(
        "Credit line",
        validators=[
            InputRequired("Enter the credit line photos under this licence carry."),
            Length(max=300),
        ],
        description="Use {photographer} and {institution} where they belong.",
    )
    ends_on = DateField(
        "Last day of use (optional)",
        validators=[Optional()],
        description="For permission granted for a term: after this day no photo under the "
        "licence is used. Leave empty for a licence without end.",
    )
