"""Recording what a consent form grants."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

from archive.fields import CheckboxesField
from archive.rights.models import ConsentScope

SCOPE_CHOICES = [(scope.value, scope.label) for scope in ConsentScope]


class ConsentRecordForm(FlaskForm):
    """A curator records whose consent form this is and what it grants."""

    person = SelectField("Person who signed", coerce=int, validators=[InputRequired()])
    scopes = CheckboxesField("Uses agreed to", choices=SCOPE_CHOICES)
    signed_on = DateField("Signed on", validators=[InputRequired()])
    expires_on = DateField("Expires on (leave blank if it does not)", validators=[Optional()])
