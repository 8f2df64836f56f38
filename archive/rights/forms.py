"""Recording what a consent form grants."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional

from archive.fields import CheckboxesField, options
from archive.rights.models import ConsentScope

SCOPE_CHOICES = [SelectChoice(scope.value, scope.label) for scope in ConsentScope]


class ConsentRecordForm(FlaskForm):
    """A curator records whose consent form this is and what it grants."""

    person = SelectField("Person who signed", coerce=int, validators=[InputRequired()])
    scopes = CheckboxesField("Uses agreed to", choices=SCOPE_CHOICES)
    signed_on = DateField("Signed on", validators=[InputRequired()])
    expires_on = DateField("Expires on (leave blank if it does not)", validators=[Optional()])

    def set_people(self, people) -> None:
        """Offer these people as the signatory."""
        self.person.choices = options(people)
